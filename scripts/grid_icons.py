"""Draw the 网格采集 app icons (192 and 512 px PNG) for the installable PWA (issue 12 item 7).

Run once, then commit the PNGs: `.venv/bin/python scripts/grid_icons.py`. No font is needed: a white 3×3 grid
on the app's primary blue, one cell filled (a household recorded). The drawing stays inside the middle 80 %,
so the icon also works as "maskable" (Android crops it to a circle or a squircle).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "yks_web" / "static" / "grid"
BLUE = (21, 101, 192)  # --primary of static/css/app.css
WHITE = (255, 255, 255)


def icon(size: int) -> Image.Image:
    scale = 4  # drawn large, then scaled down: smooth edges without antialiasing support in ImageDraw
    big = size * scale
    image = Image.new("RGB", (big, big), BLUE)
    draw = ImageDraw.Draw(image)
    side = big * 0.5  # the grid, centred, well inside the maskable safe zone
    left = (big - side) / 2
    cell = side / 3
    line = max(scale, round(big * 0.025))
    for i in range(4):
        offset = left + i * cell
        draw.rectangle((offset - line / 2, left - line / 2, offset + line / 2, left + side + line / 2), fill=WHITE)
        draw.rectangle((left - line / 2, offset - line / 2, left + side + line / 2, offset + line / 2), fill=WHITE)
    pad = line * 1.5
    draw.rectangle((left + cell + pad, left + cell + pad, left + 2 * cell - pad, left + 2 * cell - pad), fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(OUT / f"icon-{size}.png")


if __name__ == "__main__":
    main()

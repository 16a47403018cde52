"""A real camera for the scanner tests: Chromium's fake capture device, fed a video made from a QR image (SPEC O9).

Chromium plays a .y4m file as the camera (--use-file-for-fake-video-capture) and grants it without asking
(--use-fake-ui-for-media-stream), so the page's getUserMedia, <video> and decoder run as on a phone; nothing in
the page is stubbed. The video shows the QR the test took from the citizen's 粤康码 screen, centred on a
grey background as a phone held up to a screen would see it.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 640, 480
FRAMES = 10


def y4m_from_png(png: bytes, path: Path, *, frames: int = FRAMES) -> Path:
    """Write a 640×480 4:2:0 YUV4MPEG2 video of `png` centred on light grey, `frames` identical frames at 10 fps."""
    qr = Image.open(io.BytesIO(png)).convert("RGB")
    side = min(WIDTH, HEIGHT) - 80
    qr = qr.resize((side, side), Image.NEAREST)
    canvas = Image.new("RGB", (WIDTH, HEIGHT), (200, 200, 200))
    canvas.paste(qr, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    y, cb, cr = canvas.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    chroma = cb.resize(half, Image.BILINEAR).tobytes() + cr.resize(half, Image.BILINEAR).tobytes()
    frame = b"FRAME\n" + y.tobytes() + chroma
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(frame)
    return path


def camera_args(video: Path) -> list[str]:
    """Chromium's switches for a fake camera playing `video`, allowed without a prompt."""
    return ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]

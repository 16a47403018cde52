"""Server-side SVG charts (pygal), embedded as <img src="data:image/svg+xml;base64,…"> (issue 10 item 6).

An <img> is a sealed document: its own <style> is its own (the page's CSP forbids inline styles, not an image's),
nothing in it runs, and img-src allows data:. Each chart is followed on screen by a <table> with the same
numbers, so the figures are readable without the picture (screen readers, print). No external JS (js=[]), and
pygal's inline config <script> is dropped: an image would not run it anyway. Sized for a phone (360×240).
The same figures make the same picture, so a small cache spares re-drawing an unchanged chart.
"""

from __future__ import annotations

import base64
import math
import re
from functools import lru_cache

import pygal
from pygal.style import Style

from yks_web.i18n import gettext

WIDTH, HEIGHT = 360, 240
_STYLE = Style(
    font_family='-apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
    background="#ffffff", plot_background="#ffffff", foreground="#1f1f1f", foreground_strong="#1f1f1f",
    foreground_subtle="#595959", colors=("#1565c0", "#c62828", "#9e9e9e", "#2e7d32", "#ef6c00", "#6a1b9a"),
    title_font_size=15, label_font_size=11, major_label_font_size=11, legend_font_size=13, value_font_size=12,
)
_COMMON = {
    "width": WIDTH, "height": HEIGHT, "style": _STYLE, "js": [], "disable_xml_declaration": True,
    "margin": 8, "explicit_size": True,
}
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _data_uri(svg: str | bytes) -> str:
    text = svg.decode() if isinstance(svg, bytes) else svg
    text = _COMMENT.sub("", _SCRIPT.sub("", text))
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode("ascii")


def _whole(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _integer_ticks(top: int) -> list[int]:
    """0…top in at most six whole steps (people are counted in whole numbers)."""
    step = max(1, math.ceil(top / 5))
    return list(range(0, max(top, 1) + step, step))


def pie(title: str, parts: tuple[tuple[str, int], ...]) -> str:
    """A pie of (label, count) parts, as a data: URI. All zero draws 暂无数据 (in the reader's language)."""
    return _pie(title, parts, gettext("暂无数据"))


def bar(title: str, labels: tuple[str, ...], values: tuple[int, ...], every: int = 1) -> str:
    """A bar chart of one series (people per label), as a data: URI; `every` labels only each n-th x label."""
    return _bar(title, labels, values, every, gettext("暂无数据"))


@lru_cache(maxsize=256)  # per language too: `no_data` is that language's 暂无数据
def _pie(title: str, parts: tuple[tuple[str, int], ...], no_data: str) -> str:
    chart = pygal.Pie(title=title, inner_radius=0.35, legend_at_bottom=True, legend_at_bottom_columns=len(parts),
                      value_formatter=_whole, no_data_text=no_data, **_COMMON)
    for label, value in parts:
        chart.add(label, value if value else None)
    return _data_uri(chart.render())


@lru_cache(maxsize=256)
def _bar(title: str, labels: tuple[str, ...], values: tuple[int, ...], every: int, no_data: str) -> str:
    chart = pygal.Bar(title=title, show_legend=False, x_labels_major_every=every, show_minor_x_labels=every == 1,
                      truncate_label=-1, value_formatter=_whole, y_labels=_integer_ticks(max(values, default=0)),
                      no_data_text=no_data, **_COMMON)
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    return _data_uri(chart.render())

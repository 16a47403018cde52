"""体温正常快速打卡 葵花码, the printable A4 poster (SPEC O4; issue 10 item 5; guide "打印葵花码贴在场所出入口").

One page, read from a few metres at a door: the place name large at the top, 体温正常快速打卡 and how to use
it, the big check-in QR, the date the poster was made (so a guard can tell an old print from the live one),
and below it the small QR that opens 粤康码 directly ("若市民难于找到粤康码，可引导其扫描…下方的小程序码").

The QR codes are drawn as vector squares from qrcode's matrix, so they stay sharp at any printer's
resolution; the Chinese text uses reportlab's built-in Adobe CID font STSong-Light (the PDF viewer supplies
the glyphs), so no font file is shipped and the text stays searchable.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import qrcode
from flask_babel import format_date
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from yks_web.clock import TZ
from yks_web.i18n import DEFAULT_LOCALE, N_, gettext
from yks_web.i18n_setup import current_language

FONT = "STSong-Light"
# The poster's words, in the language of whoever downloads it (gettext in render).
TITLE = N_("体温正常快速打卡")
INSTRUCTION = N_("请使用手机扫码打卡（默认体温正常）")
CODE_CAPTION = N_("扫码直达粤康码")
SUNFLOWER = HexColor("#f5a800")  # the 葵花码's frame; the QR modules themselves stay black on white

PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
BIG_QR = 115 * mm  # about 4 mm a module at version 3: read from well over a metre away
SMALL_QR = 38 * mm

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def made_on(issued_at: datetime) -> date:
    """The poster's date as the place sees it: its naive-UTC `issued_at` in Asia/Shanghai."""
    return issued_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(TZ).date()


def date_label(day: date) -> str:
    """生成日期：2026年1月5日, or the reader's language's long date."""
    if current_language() == DEFAULT_LOCALE:
        shown = f"{day.year}年{day.month}月{day.day}日"  # i18n: data (the guide's format, the msgid language's own)
    else:
        shown = format_date(day, format="long")
    return gettext("生成日期：%(date)s", date=shown)


def _matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """The QR of `data` with its top-left corner at (x, y + size), a white quiet zone of 4 modules around it.
    Each row's dark runs are one rectangle, so no hairline seams show between neighbouring modules."""
    matrix = _matrix(data)
    count = len(matrix)
    module = size / (count + 8)
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(black)
    path = canvas.beginPath()
    left, top = x + 4 * module, y + size - 4 * module
    for r, row in enumerate(matrix):
        c = 0
        while c < count:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < count and row[c]:
                c += 1
            path.rect(left + start * module, top - (r + 1) * module, (c - start) * module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def _fit_lines(text: str, width: float, largest: float, smallest: float) -> tuple[float, list[str]]:
    """The largest font size in [smallest, largest] at which `text` fits on one line of `width`; when even
    `smallest` is too wide, `text` broken into lines at that size (character by character: Chinese has no spaces)."""
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, FONT, size) > width:
        size -= 2
    size = max(size, smallest)
    lines, line = [], ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, FONT, size) > width:
            lines.append(line)
            line = ""
        line += ch
    lines.append(line)
    return size, lines


def _centred(canvas: Canvas, text: str, y: float, size: float, bold: bool = False) -> None:
    """One line centred on the page; `bold` strokes the glyphs too (the CID font has no bold face)."""
    t = canvas.beginText()
    t.setFont(FONT, size)
    if bold:
        t.setTextRenderMode(2)
        canvas.setLineWidth(size / 40)
    t.setTextOrigin((PAGE_W - pdfmetrics.stringWidth(text, FONT, size)) / 2, y)
    t.textLine(text)
    canvas.drawText(t)


def _fitted(canvas: Canvas, text: str, y: float, size: float, bold: bool = False) -> float:
    """`text` centred at `size` from `y` down, smaller (to 2/3 of it) and on more lines where a translation is
    longer than the page is wide; the baseline of its last line (`y` itself for one line, as the guide's words
    always are in Chinese)."""
    size, lines = _fit_lines(text, PAGE_W - 2 * MARGIN, size, round(size * 2 / 3))
    for n, line in enumerate(lines):
        if n:
            y -= size * 1.25
        _centred(canvas, line.strip(), y, size, bold=bold)
    return y


def render(*, place_name: str, checkin_url: str, code_url: str, issued_on: date) -> bytes:
    """The poster as PDF bytes. The same arguments always give the same bytes (reportlab's invariant mode)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    title, instruction = gettext(TITLE), gettext(INSTRUCTION)
    canvas.setTitle(gettext("%(place)s 体温正常快速打卡葵花码", place=place_name))
    canvas.setSubject(instruction)
    canvas.setCreator(gettext("粤康码 公共场所"))

    canvas.setStrokeColor(SUNFLOWER)
    canvas.setLineWidth(3 * mm)
    canvas.roundRect(8 * mm, 8 * mm, PAGE_W - 16 * mm, PAGE_H - 16 * mm, 6 * mm, stroke=1, fill=0)
    canvas.setStrokeColor(black)
    canvas.setFillColor(black)

    y = PAGE_H - MARGIN - 12 * mm
    size, lines = _fit_lines(place_name, PAGE_W - 2 * MARGIN - 10 * mm, 40, 26)
    for line in lines[:3]:  # 50 characters at most (Place.name): three lines at the smallest size
        _centred(canvas, line, y, size, bold=True)
        y -= size * 1.25
    y -= 6 * mm
    y = _fitted(canvas, title, y, 30, bold=True) - 12 * mm
    y = _fitted(canvas, instruction, y, 18) - 6 * mm

    canvas.setFillColor(SUNFLOWER)
    frame = BIG_QR + 8 * mm
    canvas.roundRect((PAGE_W - frame) / 2, y - frame, frame, frame, 5 * mm, stroke=0, fill=1)
    _draw_qr(canvas, checkin_url, (PAGE_W - BIG_QR) / 2, y - 4 * mm - BIG_QR, BIG_QR)
    y -= frame + 9 * mm
    canvas.setFillColor(black)
    _centred(canvas, date_label(issued_on), y, 14)

    small_top = min(y - 8 * mm, MARGIN + 12 * mm + SMALL_QR)
    _draw_qr(canvas, code_url, (PAGE_W - SMALL_QR) / 2, small_top - SMALL_QR, SMALL_QR)
    _fitted(canvas, gettext(CODE_CAPTION), small_top - SMALL_QR - 7 * mm, 14)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

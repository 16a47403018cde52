"""解除医学观察电子告知书 as a PDF the person downloads (issue 11 item 6): one A4 page with the notice's text, its
number, the issuer's 单位名称 and the QR of its verification page (/n/<number>), so whoever is shown the paper can
check it is genuine and not revoked.

Drawn as the 葵花码 poster is (services/poster_pdf): reportlab's built-in CID font STSong-Light, so no font file is
shipped and the text stays searchable, and the QR as vector squares.
"""

from __future__ import annotations

import io
import re
from datetime import date

from flask_babel import format_date
from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from yks_web.i18n import N_, gettext
from yks_web.i18n_setup import DEFAULT_LOCALE, current_language
from yks_web.services import poster_pdf  # registers the font

FONT = poster_pdf.FONT
TITLE = N_("解除医学观察告知书")
VERIFY_CAPTION = N_("扫码核验真伪")
PAGE_W, PAGE_H = A4
MARGIN = 25 * mm
QR = 40 * mm
REVOKED_RED = HexColor("#c62828")
_CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # i18n: data (Chinese characters, punctuation)


def _day(day: date) -> str:
    """2026年11月20日 in 简体中文 as always; the locale's long date in the others (issue 15)."""
    if current_language() == DEFAULT_LOCALE:
        return f"{day.year}年{day.month}月{day.day}日"  # i18n: data (the msgid language's own format)
    return format_date(day, "long")


def _wrapped(text: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width`: character by character (Chinese has no spaces), or word by word
    when the text has spaces and no Chinese (English remarks, an English reader's lines)."""
    if _CJK.search(text) or " " not in text.strip():
        return _wrapped_chars(text, size, width)
    indent = text[:len(text) - len(text.lstrip())]
    lines, line = [], indent
    for word in text.split():
        if line.strip() and pdfmetrics.stringWidth(f"{line} {word}", FONT, size) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line.strip() else line + word
    lines.append(line)
    return [piece for whole in lines for piece in _wrapped_chars(whole, size, width)]  # a word wider than a line


def _wrapped_chars(text: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, FONT, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def render(*, number: str, name: str, id_masked: str, body: str, remarks: str, institution: str, issuer_name: str,
           issued_on: date, verify_url: str, revoked: bool) -> bytes:
    """The notice as PDF bytes; the same arguments give the same bytes (reportlab's invariant mode)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(f"{gettext(TITLE)} {number}")
    canvas.setCreator(gettext("粤康码 医护人员"))
    width = PAGE_W - 2 * MARGIN

    y = PAGE_H - MARGIN - 10 * mm
    poster_pdf._centred(canvas, gettext(TITLE), y, 24, bold=True)
    y -= 10 * mm
    poster_pdf._centred(canvas, gettext("编号：%(number)s", number=number), y, 12)
    if revoked:
        y -= 9 * mm
        canvas.setFillColor(REVOKED_RED)
        poster_pdf._centred(canvas, gettext("本告知书已撤销"), y, 16, bold=True)
        canvas.setFillColor(black)
    y -= 16 * mm

    lines = [gettext("%(name)s（证件号码：%(id)s）：", name=name, id=id_masked), *_wrapped("    " + body, 14, width)]
    if remarks:
        lines += _wrapped(gettext("备注：%(remarks)s", remarks=remarks), 14, width)
    lines.append(gettext("特此告知。"))
    for line in lines:
        canvas.setFont(FONT, 14)
        canvas.drawString(MARGIN, y, line)
        y -= 9 * mm

    y -= 8 * mm
    for line in (gettext("出具单位：%(unit)s", unit=institution), gettext("医护人员：%(name)s", name=issuer_name),
                 gettext("出具日期：%(day)s", day=_day(issued_on))):
        canvas.setFont(FONT, 13)
        canvas.drawRightString(PAGE_W - MARGIN, y, line)
        y -= 8 * mm

    poster_pdf._draw_qr(canvas, verify_url, MARGIN, MARGIN + 10 * mm, QR)
    canvas.setFont(FONT, 11)
    canvas.drawString(MARGIN + QR + 6 * mm, MARGIN + 10 * mm + QR / 2 + 4 * mm, gettext(VERIFY_CAPTION))
    canvas.setFont(FONT, 9)
    canvas.drawString(MARGIN + QR + 6 * mm, MARGIN + 10 * mm + QR / 2 - 4 * mm, verify_url)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

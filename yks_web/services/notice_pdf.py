"""解除医学观察电子告知书 as a PDF the person downloads (issue 11 item 6): one A4 page with the notice's text, its
number, the issuer's 单位名称 and the QR of its verification page (/n/<number>), so whoever is shown the paper can
check it is genuine and not revoked.

Drawn as the 葵花码 poster is (services/poster_pdf): reportlab's built-in CID font STSong-Light, so no font file is
shipped and the text stays searchable, and the QR as vector squares.
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from yks_web.services import poster_pdf  # registers the font

FONT = poster_pdf.FONT
TITLE = "解除医学观察告知书"
VERIFY_CAPTION = "扫码核验真伪"
PAGE_W, PAGE_H = A4
MARGIN = 25 * mm
QR = 40 * mm
REVOKED_RED = HexColor("#c62828")


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _wrapped(text: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width` (character by character: Chinese has no spaces)."""
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
    canvas.setTitle(f"{TITLE} {number}")
    canvas.setCreator("粤康码 医护人员")
    width = PAGE_W - 2 * MARGIN

    y = PAGE_H - MARGIN - 10 * mm
    poster_pdf._centred(canvas, TITLE, y, 24, bold=True)
    y -= 10 * mm
    poster_pdf._centred(canvas, f"编号：{number}", y, 12)
    if revoked:
        y -= 9 * mm
        canvas.setFillColor(REVOKED_RED)
        poster_pdf._centred(canvas, "本告知书已撤销", y, 16, bold=True)
        canvas.setFillColor(black)
    y -= 16 * mm

    lines = [f"{name}（证件号码：{id_masked}）：", *_wrapped("    " + body, 14, width)]
    if remarks:
        lines += _wrapped(f"备注：{remarks}", 14, width)
    lines.append("特此告知。")
    for line in lines:
        canvas.setFont(FONT, 14)
        canvas.drawString(MARGIN, y, line)
        y -= 9 * mm

    y -= 8 * mm
    for line in (f"出具单位：{institution}", f"医护人员：{issuer_name}", f"出具日期：{_cn(issued_on)}"):
        canvas.setFont(FONT, 13)
        canvas.drawRightString(PAGE_W - MARGIN, y, line)
        y -= 8 * mm

    poster_pdf._draw_qr(canvas, verify_url, MARGIN, MARGIN + 10 * mm, QR)
    canvas.setFont(FONT, 11)
    canvas.drawString(MARGIN + QR + 6 * mm, MARGIN + 10 * mm + QR / 2 + 4 * mm, VERIFY_CAPTION)
    canvas.setFont(FONT, 9)
    canvas.drawString(MARGIN + QR + 6 * mm, MARGIN + 10 * mm + QR / 2 - 4 * mm, verify_url)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

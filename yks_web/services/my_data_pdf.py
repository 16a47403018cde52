"""我的数据 as a printable A4 PDF (issue 16 item 1): the same sections and words as the screen, the newest
my_data.PDF_LIMIT rows of each (about 1 ms a row to draw; the web page and JSON copies hold up to EXPORT_LIMIT).

Drawn as the other PDFs are (services/poster_pdf, notice_pdf): reportlab's built-in CID font STSong-Light, so no
font file is shipped and the text stays searchable; lines are broken character by character (Chinese has no
spaces; English breaks at the last space that fits). Each row is a block of "label：value" lines, which reads on
paper where a 14-column table would not.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from yks_web.i18n import N_, gettext
from yks_web.i18n_setup import current_language
from yks_web.services import poster_pdf  # registers the font
from yks_web.services.my_data import EXPORT_LIMIT, MyData, Section, shown

FONT = poster_pdf.FONT
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
WIDTH = PAGE_W - 2 * MARGIN
MUTED = HexColor("#666666")
TITLE = N_("我的数据")


_WIDTHS: dict[str, float] = {}


def _width(ch: str) -> float:
    """A character's advance at size 1 (a CID font has no kerning, so a line's width is the sum of its characters')."""
    width = _WIDTHS.get(ch)
    if width is None:
        width = _WIDTHS[ch] = pdfmetrics.stringWidth(ch, FONT, 1000) / 1000
    return width


def _wrapped(text: str, size: float, width: float, words: bool = False) -> list[str]:
    """Broken character by character, as Chinese is; with `words` (English) at the line's last space when it has one."""
    lines, line, used = [], "", 0.0
    room = width / size
    for ch in text:
        advance = 0.0 if ch == "\n" else _width(ch)
        if ch == "\n" or (line and used + advance > room):
            carried = ""
            if words and ch not in ("\n", " ") and " " in line.strip():
                line, carried = line.rsplit(" ", 1)
            lines.append(line)
            line, used = carried, sum(_width(c) for c in carried)
            if ch == "\n":
                continue
            if ch == " " and not line:
                continue
        line += ch
        used += advance
    return [*lines, line]


class _Writer:
    """Lines down the page, a new page (numbered) when the next one would not fit."""

    def __init__(self, canvas: Canvas, footer: str, words: bool = False) -> None:
        self.canvas, self.footer, self.page, self.words = canvas, footer, 1, words
        self.y = PAGE_H - MARGIN

    def _new_page(self) -> None:
        self._finish_page()
        self.canvas.showPage()
        self.page += 1
        self.y = PAGE_H - MARGIN

    def _finish_page(self) -> None:
        self.canvas.setFillColor(MUTED)
        self.canvas.setFont(FONT, 8)
        self.canvas.drawString(MARGIN, MARGIN / 2, self.footer)
        self.canvas.drawRightString(PAGE_W - MARGIN, MARGIN / 2, gettext("第%(page)s页", page=self.page))
        self.canvas.setFillColor(black)

    def space(self, height: float) -> None:
        self.y -= height
        if self.y < MARGIN:
            self._new_page()

    def text(self, text: str, size: float = 10, *, indent: float = 0, muted: bool = False, bold: bool = False,
             keep: float = 0) -> None:
        """`text` wrapped to the page; `keep` asks for that much room below the first line too (a heading is not
        left alone at the foot of a page)."""
        self.lines([text], size, indent=indent, muted=muted, bold=bold, keep=keep)

    def lines(self, texts: list[str], size: float = 10, *, indent: float = 0, muted: bool = False,
              bold: bool = False, keep: float = 0) -> None:
        """Each of `texts` wrapped, one under the other, in one text object a page (a record's fields at once)."""
        leading = size * 1.45
        if self.y - leading - keep < MARGIN:
            self._new_page()
        t = None
        for line in (line for text in texts for line in _wrapped(text, size, WIDTH - indent, self.words)):
            if self.y - leading < MARGIN:
                if t is not None:
                    self._draw(t)
                    t = None
                self._new_page()
            self.y -= leading
            if t is None:
                t = self.canvas.beginText()
                t.setFont(FONT, size, leading)
                if bold:  # the CID font has no bold face: bold strokes the glyphs too (see _draw)
                    t.setTextRenderMode(2)
                    self.canvas.setLineWidth(size / 40)
                t.setFillColor(MUTED if muted else black)
                t.setTextOrigin(MARGIN + indent, self.y)
            t.textLine(line)
        if t is not None:
            self._draw(t)

    def _draw(self, t) -> None:
        """The text render mode is graphics state, which outlives the text object, and a new text object thinks it
        is 0 (so setting 0 writes nothing): a stroked (bold) object puts it back to 0 itself before it ends."""
        t.setTextRenderMode(0)
        self.canvas.drawText(t)

    def finish(self) -> None:
        self._finish_page()
        self.canvas.showPage()


def _section(w: _Writer, section: Section, limit: int) -> None:
    w.text(section.title, 12, bold=True, keep=30)
    w.text(section.about, 9, muted=True)
    w.text(gettext("谁保存、谁可以看到：%(text)s", text=section.who), 9, muted=True)
    w.text(gettext("用途：%(text)s", text=section.why), 9, muted=True)
    w.text(gettext("保存期限：%(text)s", text=section.kept), 9, muted=True)
    w.space(2 * mm)
    if not section.rows:
        w.text(gettext("暂无记录"), 10, indent=4 * mm)
    for number, row in enumerate(section.rows, start=1):
        w.text(f"{number}.", 10, keep=14)
        w.lines([gettext("%(label)s：%(value)s", label=label, value=shown(row.get(key)))
                 for key, label in section.fields], 10, indent=6 * mm)
        w.space(1.5 * mm)
    if section.more:
        if limit < EXPORT_LIMIT:
            w.text(gettext("记录过多，PDF只列出最近的%(num)s条。全部记录请下载网页版或JSON。", num=limit), 9,
                   muted=True)
        else:
            w.text(gettext("记录过多，PDF只列出最近的%(num)s条。", num=limit), 9, muted=True)
    w.space(5 * mm)


def render(data: MyData) -> bytes:
    """The whole copy as PDF bytes (reportlab's invariant mode: the same data gives the same bytes)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(f"{gettext(TITLE)} {data.name}")
    canvas.setCreator(gettext("粤康码 个人中心"))
    when = shown(data.generated_at)
    w = _Writer(canvas, gettext("%(name)s的个人数据副本 · 生成于%(time)s（北京时间）", name=data.name, time=when),
                words=current_language() == "en")
    w.text(gettext(TITLE), 20, bold=True)
    w.text(gettext("%(name)s · 生成于%(time)s（北京时间）", name=data.name, time=when), 10, muted=True)
    w.text(gettext("本副本含您完整的证件号码和手机号，请妥善保管。其他人的姓名和号码已部分隐藏。"), 10, muted=True)
    w.space(6 * mm)
    for part in data.parts:
        if not (len(part.sections) == 1 and part.sections[0].title == part.title):  # 家庭成员 … is headed once
            w.text(part.title, 15, bold=True, keep=60)
            w.space(2 * mm)
        for section in part.sections:
            _section(w, section, data.limit)
    w.text(data.not_listed, 9, muted=True)
    w.finish()
    canvas.save()
    return buffer.getvalue()

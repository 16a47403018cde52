"""The printable 葵花码 poster (SPEC O4; issue 10 items 5 and 8): an A4 PDF whose QR codes decode when printed,
with the place name, the guide's words and the date the poster was made as real (searchable) text."""

from __future__ import annotations

from datetime import date, datetime

import pypdfium2 as pdfium
import qrcode

from tests.blueprints.code_qr import qr_codes
from yks_web.services import poster_pdf

CHECKIN = "https://yks.test/p/7K3M9QXB2D"
CODE = "https://yks.test/code/"
DAY = date(2026, 11, 20)


def page_of(body: bytes):
    document = pdfium.PdfDocument(body)
    assert len(document) == 1
    return document[0]


def decoded(page, dpi: int = 150) -> list[tuple[str, int]]:
    """Each QR code's text and its width in pixels, as a printer at `dpi` and a phone camera would see it."""
    image = page.render(scale=dpi / 72).to_pil().convert("L")
    found = []
    for result in qr_codes(image):
        xs = [p.x for p in (result.position.top_left, result.position.top_right, result.position.bottom_left,
                            result.position.bottom_right)]
        found.append((result.text, max(xs) - min(xs)))
    return found


def test_o4_poster_is_one_a4_page_with_both_codes_decodable():
    body = poster_pdf.render(place_name="天河城购物中心", checkin_url=CHECKIN, code_url=CODE, issued_on=DAY)
    assert body.startswith(b"%PDF")
    page = page_of(body)
    width, height = page.get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    codes = decoded(page)
    assert sorted(text for text, _ in codes) == sorted([CHECKIN, CODE])
    big = max(codes, key=lambda c: c[1])
    small = min(codes, key=lambda c: c[1])
    assert big[0] == CHECKIN and small[0] == CODE
    assert big[1] > 2.5 * small[1]  # the check-in code is the big one; the 粤康码 one sits small below it


def test_o4_poster_decodes_at_a_low_print_resolution():
    """An office printer in draft mode (75 dpi) still prints a check-in code a phone reads."""
    body = poster_pdf.render(place_name="天河城购物中心", checkin_url=CHECKIN, code_url=CODE, issued_on=DAY)
    assert CHECKIN in [text for text, _ in decoded(page_of(body), dpi=75)]


def test_o4_poster_text_says_what_the_guide_says():
    body = poster_pdf.render(place_name="天河城购物中心", checkin_url=CHECKIN, code_url=CODE, issued_on=DAY)
    words = page_of(body).get_textpage().get_text_range()
    lines = [line.strip() for line in words.splitlines()]
    assert lines[0] == "天河城购物中心"  # the place name first, at the top
    for expected in ("体温正常快速打卡", "请使用手机扫码打卡（默认体温正常）", "生成日期：2026年11月20日",
                     "扫码直达粤康码"):
        assert expected in lines


def test_o4_a_long_place_name_wraps_and_keeps_every_character():
    name = "广州市天河区天河路街道天河城购物中心东门北门南门西门地下停车场电梯厅体温检测点一二三四五六七"
    assert len(name) <= 50  # Place.name's length
    body = poster_pdf.render(place_name=name, checkin_url=CHECKIN, code_url=CODE, issued_on=DAY)
    page = page_of(body)
    words = page.get_textpage().get_text_range()
    assert name in words.replace("\r", "").replace("\n", "")
    assert words.splitlines()[0] != name  # broken into lines rather than running off the page
    assert CHECKIN in [text for text, _ in decoded(page)]


def test_o4_the_date_is_the_day_in_shanghai_the_poster_was_made():
    assert poster_pdf.made_on(datetime(2026, 11, 19, 16, 30)) == date(2026, 11, 20)  # 00:30 in Shanghai
    assert poster_pdf.made_on(datetime(2026, 11, 19, 15, 59)) == date(2026, 11, 19)
    assert poster_pdf.date_label(date(2026, 1, 5)) == "生成日期：2026年1月5日"


def test_o4_same_poster_same_bytes():
    """Reportlab's invariant mode: no creation time inside, so a reprint of the same poster is the same file."""
    args = dict(place_name="天河城购物中心", checkin_url=CHECKIN, code_url=CODE, issued_on=DAY)
    assert poster_pdf.render(**args) == poster_pdf.render(**args)


def test_item5_the_check_in_payload_is_a_small_qr():
    """Issue 10 item 5: a short URL, so the code has few, large modules an old phone reads from a distance."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(CHECKIN)
    code.make(fit=True)
    assert code.version <= 3
    assert len(poster_pdf._matrix(CHECKIN)) == 17 + 4 * code.version  # the poster draws that same code

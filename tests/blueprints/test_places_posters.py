"""体温正常快速打卡 葵花码, the place's side (SPEC O4; issue 10 items 5, 8 and 9; guide "打印葵花码贴在场所出入口",
FAQ (二) 10): the page with 长按保存 and 下载打印版（PDF）, the PNG that is not remade on every request, the A4
poster whose QR decodes to the live check-in URL, and who may see them."""

from __future__ import annotations

import base64
import io
import re
from datetime import datetime
from urllib.parse import quote

import pypdfium2 as pdfium
import qrcode
from PIL import Image
from sqlalchemy import select

from tests.blueprints.code_qr import decoded, qr_codes
from tests.blueprints.support import assert_fragment, assert_whole_page, count, location_path, text
from tests.factories import make_person, make_place
from yks_web import clock, qr
from yks_web.models.place import Place, PlacePoster
from yks_web.services import place_posters, place_staff

HX = {"HX-Request": "true"}
PNG_SRC = re.compile(r'src="(/places/\d+/poster\.png\?v=[0-9A-Z]+)"')


def live_token(db, place: Place) -> str:
    return place_posters.live(db.session, place.id).token


def checkin_url(token: str) -> str:
    return f"http://yks.test/p/{token}"  # SERVER_NAME yks.test; the test client speaks http


def decode_png(body: bytes) -> list[str]:
    return decoded(Image.open(io.BytesIO(body)))


# -- the page ----------------------------------------------------------------------------------------------


def test_item5_admin_sees_the_poster_page(client, db, actions):
    place = make_place(db)
    actions.login(place.admin)
    response = client.get(f"/places/{place.id}/poster")
    assert_whole_page(response)
    page = text(response)
    assert "<title>体温正常快速打卡" in page
    assert "天河城购物中心" in page
    assert "长按保存葵花码，打印后贴于检测点，引导群众扫描快速打卡" in page
    assert "若市民难于找到粤康码，可引导其扫描下方二维码直达粤康码页面" in page
    assert "生成日期：2026年11月20日" in page
    pdf = re.search(rf'<a [^>]*href="/places/{place.id}/poster\.pdf"[^>]*>下载打印版（PDF）</a>', page)
    assert pdf and "download" in pdf.group(0) and 'hx-boost="false"' in pdf.group(0)
    assert PNG_SRC.search(page).group(1) == f"/places/{place.id}/poster.png?v={live_token(db, place)}"
    assert 'class="back" href="/places/admin"' in page  # the admin's 我的场所
    assert place.code not in page  # the 场所申报码 is for inspectors only, never on the poster (O8)


def test_item5_small_qr_opens_yuekangma_directly(client, db, actions):
    """Guide: "若市民难于找到粤康码，可引导其扫描…下方的小程序码直达粤康码页面"."""
    place = make_place(db)
    actions.login(place.admin)
    page = text(client.get(f"/places/{place.id}/poster"))
    uri = re.search(r'class="poster-code-qr" src="data:image/png;base64,([^"]+)"', page).group(1)

    assert decode_png(base64.b64decode(uri)) == ["http://yks.test/code/"]


def test_item5_poster_page_fragment_for_htmx(client, db, actions):
    place = make_place(db)
    actions.login(place.admin)
    assert_fragment(client.get(f"/places/{place.id}/poster", headers=HX))


def test_item5_inspector_sees_it_from_temperature_checking(client, db, actions):
    """FAQ (二) 10: the inspector makes it from 体温检测, and 返回 leads back there."""
    place = make_place(db)
    guard = make_person(db, "王保安")
    place_staff.bind(db.session, guard.id, place, clock.utcnow())
    db.session.commit()
    actions.login(guard)
    response = client.get(f"/places/{place.id}/poster")
    assert_whole_page(response)
    assert f'class="back" href="/places/{place.id}/check"' in text(response)


def test_item5_nobody_else_sees_the_poster(client, db, actions):
    place = make_place(db)
    other = make_place(db, make_person(db, "赵其他"), "东站")
    guard = make_person(db, "王保安")
    place_staff.bind(db.session, guard.id, other, clock.utcnow())
    former = make_person(db, "钱前任")
    staff = place_staff.bind(db.session, former.id, place, clock.utcnow())
    staff.active = False  # unbound: no longer this place's inspector
    db.session.commit()
    for person in (make_person(db, "孙路人"), guard, former, other.admin):
        db.session.commit()
        actions.login(person)
        for suffix in ("poster", "poster.png", "poster.pdf"):
            assert client.get(f"/places/{place.id}/{suffix}").status_code == 404, (person.name, suffix)
    actions.login(place.admin)
    for suffix in ("poster", "poster.png", "poster.pdf"):
        assert client.get(f"/places/99999/{suffix}").status_code == 404
        assert client.get(f"/places/99999999999999999999/{suffix}").status_code == 404


def test_item5_anonymous_goes_to_login(client, db):
    place = make_place(db)
    db.session.commit()
    response = client.get(f"/places/{place.id}/poster")
    assert response.status_code == 302 and location_path(response) == "/auth/login"


def test_item5_a_place_without_a_live_poster_gets_one(client, db, actions):
    place = make_place(db, poster=False)
    actions.login(place.admin)
    assert client.get(f"/places/{place.id}/poster").status_code == 200
    assert client.get(f"/places/{place.id}/poster.png").status_code == 200
    assert count(db, PlacePoster, PlacePoster.place_id == place.id, PlacePoster.retired_at.is_(None)) == 1


# -- the PNG ----------------------------------------------------------------------------------------------


def test_item5_png_is_the_live_check_in_url(client, db, actions):
    place = make_place(db)
    actions.login(place.admin)
    response = client.get(f"/places/{place.id}/poster.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert decode_png(response.data) == [checkin_url(live_token(db, place))]


def test_item9_png_carries_an_etag_and_answers_304(client, db, actions):
    place = make_place(db)
    token = live_token(db, place)
    actions.login(place.admin)
    first = client.get(f"/places/{place.id}/poster.png")
    assert first.headers["ETag"] == f'"{token}"'
    assert first.headers["Cache-Control"] == "private, max-age=300"
    again = client.get(f"/places/{place.id}/poster.png", headers={"If-None-Match": f'"{token}"'})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == f'"{token}"'
    stale = client.get(f"/places/{place.id}/poster.png", headers={"If-None-Match": '"0000000000"'})
    assert stale.status_code == 200 and stale.data == first.data


def test_item9_png_is_not_remade_on_every_request(client, db, actions, monkeypatch):
    place = make_place(db)
    actions.login(place.admin)
    made = []
    real_png = qr.png
    monkeypatch.setattr(qr, "png", lambda *args, **kw: made.append(args) or real_png(*args, **kw))
    qr.png_cached.cache_clear()
    bodies = {client.get(f"/places/{place.id}/poster.png").data for _ in range(3)}
    assert len(bodies) == 1
    assert len(made) == 1  # made once, then served from the process's cache


def test_item5_reissued_poster_is_a_new_image_url_and_etag(client, db, actions):
    place = make_place(db)
    old = live_token(db, place)
    actions.login(place.admin)
    place_posters.reissue(db.session, place, place_posters.REISSUED, clock.utcnow())
    db.session.commit()
    new = live_token(db, place)
    assert new != old
    page = text(client.get(f"/places/{place.id}/poster"))
    assert PNG_SRC.search(page).group(1).endswith(f"?v={new}")  # a cached old image is never shown
    response = client.get(f"/places/{place.id}/poster.png", headers={"If-None-Match": f'"{old}"'})
    assert response.status_code == 200 and response.headers["ETag"] == f'"{new}"'
    assert decode_png(response.data) == [checkin_url(new)]


# -- the PDF ----------------------------------------------------------------------------------------------


def pdf_codes(body: bytes) -> tuple[list[tuple[str, int]], str]:
    page = pdfium.PdfDocument(body)[0]
    image = page.render(scale=150 / 72).to_pil()
    codes = []
    for found in qr_codes(image):
        xs = [found.position.top_left.x, found.position.top_right.x, found.position.bottom_left.x,
              found.position.bottom_right.x]
        codes.append((found.text, max(xs) - min(xs)))
    return codes, page.get_textpage().get_text_range()


def test_item5_pdf_poster_decodes_to_the_live_check_in_url(client, db, actions, clock):
    clock(datetime(2026, 11, 20, 0, 30))  # just after midnight in Shanghai: still 19 November in UTC
    place = make_place(db)
    token = live_token(db, place)
    clock(datetime(2026, 11, 25, 9, 0))  # printed days later: the date is the day it was made
    actions.login(place.admin)
    response = client.get(f"/places/{place.id}/poster.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('葵花码')}-{place.id}.pdf" in disposition
    codes, words = pdf_codes(response.data)
    assert sorted(t for t, _ in codes) == sorted([checkin_url(token), "http://yks.test/code/"])
    assert max(codes, key=lambda c: c[1])[0] == checkin_url(token)  # the big one is the check-in code
    assert "天河城购物中心" in words
    assert "体温正常快速打卡" in words and "请使用手机扫码打卡（默认体温正常）" in words
    assert "生成日期：2026年11月20日" in words
    assert "扫码直达粤康码" in words


def test_item5_inspector_downloads_the_pdf_too(client, db, actions):
    place = make_place(db)
    guard = make_person(db, "王保安")
    place_staff.bind(db.session, guard.id, place, clock.utcnow())
    db.session.commit()
    actions.login(guard)
    response = client.get(f"/places/{place.id}/poster.pdf")
    assert response.status_code == 200
    codes, _ = pdf_codes(response.data)
    assert checkin_url(live_token(db, place)) in [t for t, _ in codes]


def test_item5_renamed_place_prints_its_new_name_and_token(client, db, actions):
    place = make_place(db)
    old = live_token(db, place)
    place.name = "天河城广场"
    place_posters.reissue(db.session, place, place_posters.RENAMED, clock.utcnow())
    db.session.commit()
    actions.login(place.admin)
    codes, words = pdf_codes(client.get(f"/places/{place.id}/poster.pdf").data)
    assert "天河城广场" in words
    assert checkin_url(old) not in [t for t, _ in codes]
    assert checkin_url(live_token(db, place)) in [t for t, _ in codes]


# -- the payload ------------------------------------------------------------------------------------------


def test_item5_payload_is_a_short_url_in_a_small_qr(client, db, actions):
    """Old phones read the poster from a distance: a short URL, a QR of version 3 at most (error correction M)."""
    place = make_place(db)
    token = db.session.scalar(select(PlacePoster.token).where(PlacePoster.place_id == place.id))
    url = f"https://yks.test/p/{token}"
    assert len(url) < 40
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    assert code.version <= 3

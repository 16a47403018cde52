"""我的数据 at a phone (issue 16 item 1): 个人中心 → 我的数据 shows what is held, in plain words, and the JSON copy
downloads with the person's own whole 证件号码; with JavaScript off the same links work."""

from __future__ import annotations

import json
from datetime import date, timedelta

from e2e.conftest import STORY_START
from e2e.people import Person
from tests.factories import make_check, make_place
from yks_web import clock
from yks_web.extensions import db
from yks_web.models import Person as PersonRow
from yks_web.services import audit
from yks_web.services.identity import build_id_card_number, find_person, make_identity

NAME, NUMBER, PHONE = "黄恺", build_id_card_number("440106", date(1990, 3, 2), 71), "13900000071"


def _some_records(server) -> None:
    """A temperature check at a shopping centre, and the place admin's read of it (as if they had looked)."""
    with server.app.app_context():
        me = find_person(db.session, make_identity(NAME, "id_card", NUMBER))
        place = make_place(db, name="天河城购物中心")
        make_check(db, place, me)
        admin = db.session.get(PersonRow, place.admin_id)
        audit.record(db.session, actor_id=admin.id, role="place_admin", action="view_health", subject_ids=[me.id],
                     utc_now=me.created_at, context="天河城购物中心")
        db.session.commit()


def test_my_data_from_the_personal_centre(browser, server, e2e_app, browser_context_args):
    sender = e2e_app.extensions["sms_sender"]
    phone = Person(browser, server, sender, name=NAME, id_number=NUMBER, phone=PHONE,
                   context_args=browser_context_args)
    offline_js = Person(browser, server, sender, name=NAME, id_number=NUMBER, phone=PHONE,
                        context_args={**browser_context_args, "java_script_enabled": False})
    try:
        phone.open("/me")
        phone.log_in()
        phone.sees_screen("个人中心")
        _some_records(server)

        phone.click("我的数据", role="link")
        phone.sees_screen("我的数据")
        phone.sees("公共场所体温检测")
        phone.sees("保存28天，到期后自动删除")
        phone.sees(NUMBER)  # my own number, whole
        section = phone.page.locator("#section-checkins")
        section.get_by_text("查看记录").click()
        phone.sees("天河城购物中心")
        phone.page.locator("#section-reads").get_by_text("查看记录").click()
        phone.sees("公共场所管理员")
        phone.axe_check()

        copy = json.loads(phone.downloads("下载JSON（机器可读）"))
        sections = {s["key"]: s for part in copy["parts"] for s in part["sections"]}
        assert sections["identity"]["rows"][0]["id_number"] == NUMBER
        assert sections["identity"]["rows"][0]["phone"] == PHONE
        assert [r["place"] for r in sections["checkins"]["rows"]] == ["天河城购物中心"]
        assert sections["reads"]["rows"][0]["reader"].startswith("*")
        assert phone.downloads("下载PDF").startswith(b"%PDF")

        # JavaScript off: plain links, the same screen and the same copy (a new login, past the SMS interval).
        clock.set_now(STORY_START + timedelta(minutes=2))
        offline_js.open("/me")
        offline_js.log_in()
        offline_js.sees_screen("个人中心")
        offline_js.click("我的数据", role="link")
        offline_js.sees_screen("我的数据")
        page = offline_js.downloads("下载网页版（可打印）").decode()
        assert "天河城购物中心" in page and NUMBER in page
        assert not phone.csp_violations and not offline_js.csp_violations
    finally:
        phone.close()
        offline_js.close()

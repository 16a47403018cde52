"""SPEC P3: every page also works with JavaScript off — a member declares with plain forms."""

from __future__ import annotations

from datetime import date

import pytest

from e2e.people import Person
from tests.factories import make_org
from yks_web import clock
from yks_web.extensions import db
from yks_web.services import invites
from yks_web.services.identity import build_id_card_number


@pytest.fixture
def member_link(e2e_app, server):
    with e2e_app.app_context():
        org = make_org(db, size=10)
        invite = invites.member_invite(
            db.session, org_id=org.id, school_id=org.school_id, creator_id=None, utc_now=clock.utcnow()
        )
        db.session.commit()
        return f"{server.url}/invite/{invite.token}"


def test_a_member_declares_with_javascript_off(browser, server, e2e_app, member_link, browser_context_args):
    student = Person(
        browser, server, e2e_app.extensions["sms_sender"], name="黄恺",
        id_number=build_id_card_number("440106", date(2008, 1, 1), 1), phone="13900000031",
        context_args={**browser_context_args, "java_script_enabled": False},
    )
    try:
        student.open(member_link)
        student.log_in()
        student.sees_screen("填报方式")
        student.click("本人填报")
        student.sees_screen("确认组织信息")
        student.click("下一步")
        student.sees_screen("学生/教职工个人健康申报")
        student.fill_declaration(temperature="38.2")
        student.submit_declaration()
        student.sees_screen("提交成功")
        student.page.go_back()
        student.page.reload()
        student.sees_screen("学生/教职工个人健康申报")
    finally:
        student.close()

"""平台运营 → 帮助与反馈 (issue 16 item 2): the operators see what people reported, newest first, and the 注销账号申请
that wait for them; senders masked and audited (SPEC P6, P10); nobody else sees the page; one statement for the rows
whatever their number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from tests.blueprints.support import count, text
from tests.conftest import DEFAULT_NOW
from tests.factories import make_person
from yks_web.models.people import AuditLog, Feedback
from yks_web.services.account_deletion_plan import REQUEST_PREFIX


@pytest.fixture
def operator(db, actions):
    person = make_person(db, "孙运营", is_operator=True)
    db.session.commit()
    actions.login(person)
    return person


def _feedback(db, person, body: str, minutes: int) -> None:
    db.session.add(Feedback(person_id=person.id, text=body, created_at=DEFAULT_NOW + timedelta(minutes=minutes)))


def test_the_operator_sees_feedback_newest_first_with_deletion_requests_marked(client, db, operator):
    reporter = make_person(db, "黄恺", phone="13800138000")
    leaver = make_person(db, "陈采集", phone="13900139000")
    _feedback(db, reporter, "申报页面打不开", 1)
    _feedback(db, leaver, f"{REQUEST_PREFIX}我是采集员，请处理我的组织后注销账号", 2)
    db.session.commit()
    assert "帮助与反馈（含注销账号申请）" in text(client.get("/operator/"))
    page = text(client.get("/operator/feedback"))
    assert page.index("请处理我的组织后注销账号") < page.index("申报页面打不开")  # newest first
    assert page.count("注销账号申请</span>") == 1
    assert "*恺" in page and "138****8000" in page and "黄恺" not in page and "13800138000" not in page
    readers = db.session.scalars(select(AuditLog.subject_id).where(AuditLog.action == "view_feedback")).all()
    assert sorted(readers) == sorted([reporter.id, leaver.id])


def test_nobody_but_an_operator_opens_it(client, db, actions):
    person = make_person(db, "黄恺")
    _feedback(db, person, "申报页面打不开", 1)
    db.session.commit()
    actions.login(person)
    assert client.get("/operator/feedback").status_code == 404
    assert count(db, AuditLog) == 0


@pytest.mark.parametrize("rows", [2, 30])
def test_the_page_costs_the_same_statements_for_2_and_30_rows(client, db, operator, rows):
    for n in range(rows):
        _feedback(db, make_person(db, f"反馈人{n}"), f"第{n}条", n)
    db.session.commit()
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get("/operator/feedback").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    # the user, the rows, the audit INSERT, the user again after the commit (the page frame reads it): 4 for any N
    assert len(seen) == 4, seen

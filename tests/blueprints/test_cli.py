"""Operator commands `flask yks …` (SPEC W1; issue item 5: `make run` loads the demo once)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.blueprints.support import count
from tests.factories import make_school
from yks_web.demo import ACCOUNTS
from yks_web.models import (
    Collector,
    DailyReport,
    Declaration,
    Invite,
    Membership,
    Organisation,
    Person,
    ProxyBinding,
    School,
    SchoolAdmin,
)

LINK = re.compile(r"http://yks\.test/invite/([A-Za-z0-9_-]+)")


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


def test_w1_create_school_prints_the_admin_invite(runner, db):
    result = runner.invoke(args=["yks", "create-school", "--name", "广州市第五中学", "--type", "高中",
                                 "--region", "广东省广州市", "--base-url", "http://yks.test"])
    assert result.exit_code == 0, result.output
    school = db.session.scalar(select(School))
    assert (school.name, school.school_type, school.region) == ("广州市第五中学", "高中", "广东省广州市")
    assert f"学校已创建：广州市第五中学（编号 {school.id}）" in result.output
    token = LINK.search(result.output).group(1)
    invite = db.session.scalar(select(Invite).where(Invite.token == token))
    assert (invite.kind, invite.school_id) == ("school_admin", school.id)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "学校", "--type", "大学", "--region", "广州"], "Invalid value for '--type'"),
        (["--name", "  ", "--type", "高中", "--region", "广州"], "学校名称应为1–100个字"),
        (["--name", "学校", "--type", "高中", "--region", "区" * 101], "地区应为1–100个字"),
        (["--type", "高中", "--region", "广州"], "Missing option '--name'"),
    ],
)
def test_w1_create_school_refuses_bad_values(runner, db, args, message):
    result = runner.invoke(args=["yks", "create-school", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert count(db, School) == 0


def test_w1_admin_invite_for_an_existing_school(runner, db):
    school = make_school(db)
    db.session.commit()
    result = runner.invoke(args=["yks", "admin-invite", str(school.id), "--base-url", "http://yks.test"])
    assert result.exit_code == 0, result.output
    token = LINK.search(result.output).group(1)
    invite = db.session.scalar(select(Invite).where(Invite.token == token))
    assert (invite.kind, invite.school_id) == ("school_admin", school.id)


def test_w1_admin_invite_for_an_unknown_school(runner, db):
    result = runner.invoke(args=["yks", "admin-invite", "999"])
    assert result.exit_code == 2
    assert "没有编号为 999 的学校" in result.output
    assert count(db, Invite) == 0


def test_w1_make_operator(runner, db):
    number = ACCOUNTS[0].id_number
    result = runner.invoke(args=["yks", "make-operator", "--name", "王运营", "--id-number", number])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Person.is_operator).where(Person.name == "王运营")) is True
    bad = runner.invoke(args=["yks", "make-operator", "--name", "王运营", "--id-number", number[:-1] + "0"])
    assert bad.exit_code == 2
    assert count(db, Person) == 1


def test_demo_prints_the_accounts_and_loads_once(runner, db):
    result = runner.invoke(args=["yks", "demo", "--base-url", "http://yks.test"])
    assert result.exit_code == 0, result.output
    for account in ACCOUNTS:
        assert account.name in result.output
        assert account.id_number in result.output
        assert account.phone in result.output
    assert "成员邀请卡片链接（高一(1)班）" in result.output
    assert len(LINK.findall(result.output)) == 2

    rows = {model: count(db, model) for model in (School, SchoolAdmin, Collector, Organisation, Person, Membership,
                                                   ProxyBinding, Declaration, DailyReport)}
    assert rows[School] == rows[Organisation] == rows[Collector] == rows[SchoolAdmin] == 1
    assert rows[Membership] == 50
    assert rows[Declaration] > 200 and rows[DailyReport] == 5

    again = runner.invoke(args=["yks", "demo", "--base-url", "http://yks.test"])
    assert again.exit_code == 0, again.output
    assert ACCOUNTS[2].name in again.output
    db.session.expire_all()
    assert {model: count(db, model) for model in rows} == rows
    # the member card already handed out stays the same link
    assert LINK.findall(again.output)[0] == LINK.findall(result.output)[0]


def test_demo_accounts_can_log_in(runner, db, client, actions, sms):
    """The printed accounts work with 实名认证 (make run's promise)."""
    runner.invoke(args=["yks", "demo"])
    collector = ACCOUNTS[2]
    response = actions.post("/auth/login", {"name": collector.name, "id_type": "id_card",
                                            "id_number": collector.id_number, "phone": collector.phone})
    assert response.status_code == 303
    actions.post("/auth/verify", {"code": sms.last_code(collector.phone)})
    page = client.get("/workbench/").get_data(as_text=True)
    assert "高一(1)班" in page and "已申报" in page

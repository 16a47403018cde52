"""Operator commands `flask yks …` (SPEC W1; issue item 5: `make run` loads the demo once)."""

from __future__ import annotations

import re
from datetime import timedelta

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


# --- issue 9 item 9: links for the address served; one live admin link per school ------------------------------

SERVED = re.compile(r"http://127\.0\.0\.1:5001/invite/[A-Za-z0-9_-]+")


def test_item9_printed_links_use_the_served_address(runner, db):
    """`make run PORT=5001` passes YKS_BASE_URL to the commands; a trailing slash makes no double slash."""
    env = {"YKS_BASE_URL": "http://127.0.0.1:5001/"}
    demo = runner.invoke(args=["yks", "demo"], env=env)
    assert demo.exit_code == 0, demo.output
    assert len(SERVED.findall(demo.output)) == 2 and "//invite" not in demo.output
    created = runner.invoke(args=["yks", "create-school", "--name", "广州市第五中学", "--type", "高中",
                                  "--region", "广东省广州市"], env=env)
    assert len(SERVED.findall(created.output)) == 1
    school_id = db.session.scalar(select(School.id).where(School.name == "广州市第五中学"))
    assert SERVED.search(runner.invoke(args=["yks", "admin-invite", str(school_id)], env=env).output)
    default = runner.invoke(args=["yks", "admin-invite", str(school_id)], env={"YKS_BASE_URL": None})
    assert "http://127.0.0.1:5000/invite/" in default.output


def admin_token(output: str) -> str:
    return LINK.search(output).group(1)


def admin_invite(runner, school_id: int, *flags: str):
    result = runner.invoke(args=["yks", "admin-invite", str(school_id), "--base-url", "http://yks.test", *flags])
    assert result.exit_code == 0, result.output
    return result


def live(db, token: str) -> bool:
    from yks_web import clock
    from yks_web.services import invites

    try:
        invites.resolve(db.session, token, "school_admin", clock.utcnow())
    except invites.InviteInvalid:
        return False
    return True


def test_item9_admin_invite_prints_the_live_link_create_school_handed_out(runner, db):
    created = runner.invoke(args=["yks", "create-school", "--name", "广州市第五中学", "--type", "高中",
                                  "--region", "广东省广州市", "--base-url", "http://yks.test"])
    school_id = db.session.scalar(select(School.id))
    first = admin_token(created.output)
    again = admin_invite(runner, school_id)
    assert admin_token(again.output) == first
    assert "此前发出的链接，仍然有效" in again.output and "--renew" in again.output
    assert count(db, Invite) == 1


def test_item9_renew_revokes_the_unused_link_and_says_so(runner, db):
    school = make_school(db)
    db.session.commit()
    first = admin_token(admin_invite(runner, school.id).output)
    renewed = admin_invite(runner, school.id, "--renew")
    second = admin_token(renewed.output)
    assert second != first and "已作废" in renewed.output and "新链接" in renewed.output
    db.session.expire_all()
    assert not live(db, first) and live(db, second)
    assert admin_token(admin_invite(runner, school.id).output) == second


def test_item9_a_used_admin_link_is_followed_by_a_new_one(runner, db):
    """A second school admin: the first link made one, the next run hands out a fresh link (nothing revoked)."""
    from yks_web import clock
    from yks_web.services import invites

    school = make_school(db)
    db.session.commit()
    first = admin_token(admin_invite(runner, school.id).output)
    invites.use(db.session.scalar(select(Invite).where(Invite.token == first)), clock.utcnow())
    db.session.commit()
    after = admin_invite(runner, school.id)
    assert admin_token(after.output) != first and "新链接" in after.output and "已作废" not in after.output


def test_item9_a_link_in_its_last_day_is_replaced_and_revoked(runner, db, clock):
    from tests.conftest import DEFAULT_NOW

    school = make_school(db)
    db.session.commit()
    first = admin_token(admin_invite(runner, school.id).output)
    clock(DEFAULT_NOW + timedelta(days=6, hours=12))
    replaced = admin_invite(runner, school.id)
    assert admin_token(replaced.output) != first and "已作废" in replaced.output
    db.session.expire_all()
    assert not live(db, first)


def test_item9_of_several_unused_links_only_the_newest_stays_live(runner, db):
    """Links handed out before this rule (one per run): the newest is printed, the others are revoked."""
    from yks_web import clock
    from yks_web.services import invites

    school = make_school(db)
    older, newest = (invites.create(db.session, kind="school_admin", school_id=school.id, utc_now=clock.utcnow())
                     for _ in range(2))
    db.session.commit()
    result = admin_invite(runner, school.id)
    assert admin_token(result.output) == newest.token and "已作废" in result.output
    db.session.expire_all()
    assert live(db, newest.token) and not live(db, older.token)

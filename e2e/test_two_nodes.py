"""Two nodes as one (issue 14 item 6): two gunicorn instances of wsgi:app behind Debian's nginx on loopback,
round-robin (bench/nodes.py), in production mode with one database and one SECRET_KEY; each step names the node
that must answer it and nginx's response header says which did.

What a person does on one node holds on the other, because it lives in the database (or the signed cookie), never
in a process: a login whose code one node sent and the other accepted (SPEC I3, I4a), logout (I4a), the SMS
limits (I3: one code a minute and 5 an hour a phone, 200 an hour an address, the client's address taken from
X-Forwarded-For), the 2-proxy limit (S6), the 团体码 【刷新数据】 cap (G4: once per 30 minutes) and invite expiry
(W1, S1, G3).

Plain HTTP, no browser (e2e/two_nodes.py). The data is seeded with the app's services and tests/factories in the
database the nodes serve (e2e_app's: a SQLite file, or PostgreSQL when DATABASE_URL says so). Both nodes read the
machine's clock (no YKS_FROZEN_NOW: a frozen start gives every process a clock of its own), and what has expired
is seeded in the past.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from bench import nodes
from e2e.two_nodes import Nodes, Phone
from tests.database import empty_tables
from tests.factories import id_number, make_group, make_group_member, make_org, make_person
from yks_web import clock
from yks_web.extensions import db
from yks_web.models import Group, Person, ProxyBinding, SmsSend
from yks_web.models.sessions import LoginSession
from yks_web.services import group_members, invites, membership, sms
from yks_web.services.identity import make_identity

_phones = itertools.count(1)


@dataclass(frozen=True)
class Who:
    name: str
    number: str
    phone: str
    id: int

    def login_form(self) -> dict[str, str]:
        return {"name": self.name, "id_type": "id_card", "id_number": self.number, "phone": self.phone, "next": ""}


@pytest.fixture(scope="module")
def cluster(e2e_app, tmp_path_factory):
    """The nodes (their keys are the suite's, so what the test seeds they read) and the file of sent SMS codes."""
    work = tmp_path_factory.mktemp("two-nodes")
    outbox = work / "sms.jsonl"
    keys = {"SECRET_KEY": "two-nodes-secret", "YKS_DATA_KEY": e2e_app.config["DATA_KEY"],
            "YKS_LOOKUP_KEY": e2e_app.config["LOOKUP_KEY"]}
    env = nodes.node_env(e2e_app.config["SQLALCHEMY_DATABASE_URI"], keys, YKS_SMS_SENDER="bench.nodes:FileOutbox",
                         YKS_SMS_OUTBOX=str(outbox))
    with nodes.running(env, work=work / "run") as running:
        yield Nodes(running, outbox)


@pytest.fixture
def two(cluster, e2e_app):
    clock.set_now(None)  # the machine's clock, as the nodes read it
    yield cluster
    empty_tables(e2e_app)


def person(app, name: str) -> Who:
    """Someone the real-name source holds, with a phone of their own, who has logged in before."""
    with app.app_context():
        phone = f"1390007{next(_phones):04d}"
        row = make_person(db, name, id_number(), phone=phone)
        db.session.commit()
        return Who(name, row.id_number, phone, row.id)


def logs_in(phone: Phone, who: Who, *, send_on: str, verify_on: str) -> None:
    """实名认证: the code asked for through `send_on`, entered through `verify_on`."""
    token = phone.get("/auth/login").csrf()
    assert phone.post("/auth/login", who.login_form(), send_on, csrf=token).redirects_to("/auth/verify")
    sent = phone.nodes.codes(who.phone)[-1]
    assert sent["node"] == send_on  # the node's own process sent it
    assert phone.post("/auth/verify", {"code": sent["code"]}, verify_on, csrf=token).redirects_to("/")


def to_login(answer) -> bool:
    return answer.status in (302, 303) and answer.location.split("?")[0].endswith("/auth/login")


def test_nginx_sends_consecutive_requests_to_the_two_nodes_in_turn(two):
    phone = Phone(two)
    served = [phone.get("/healthz").node for _ in range(6)]
    assert set(served) == {"A", "B"}
    assert all(this != following for this, following in zip(served, served[1:], strict=False)), served


def test_a_code_sent_by_one_node_logs_in_through_the_other_and_the_session_holds_on_both(two, e2e_app):
    who = person(e2e_app, "刘晓红")
    phone = Phone(two, "127.0.0.2")
    token = phone.get("/auth/login").csrf()
    # A forged X-Forwarded-For is not believed: nginx appends the address it saw, and the nodes trust one proxy.
    sent = phone.post("/auth/login", who.login_form(), "A", csrf=token, headers={"X-Forwarded-For": "10.9.8.7"})
    assert sent.redirects_to("/auth/verify")
    [code] = two.codes(who.phone)
    assert code["node"] == "A"
    assert phone.get("/auth/verify", "B").status == 200  # the pending code is found by the other node
    assert phone.post("/auth/verify", {"code": code["code"]}, "B", csrf=token).redirects_to("/")
    for node in ("A", "B", "A", "B"):
        me = phone.get("/me", node)
        assert me.status == 200 and who.number in me.text  # 个人中心 with the person's own 证件号码
    with e2e_app.app_context():
        assert db.session.scalars(select(SmsSend.ip)).all() == ["127.0.0.2"]  # the phone's address, not nginx's


def test_logout_through_one_node_ends_the_session_on_the_other(two, e2e_app):
    who = person(e2e_app, "黄志强")
    phone = Phone(two)
    logs_in(phone, who, send_on="B", verify_on="A")
    copy = Phone(two)  # the same cookie in a second tab (or a thief's hands)
    copy.cookies = dict(phone.cookies)
    assert copy.get("/me", "B").status == 200
    assert phone.post("/auth/logout", {}, "A").redirects_to("/")
    assert to_login(phone.get("/me", "B"))
    for node in ("B", "A"):
        assert to_login(copy.get("/me", node))  # the old cookie is refused by either node
    with e2e_app.app_context():
        assert db.session.scalars(select(LoginSession).where(LoginSession.person_id == who.id)).all() == []


def seed_sends(app, phones: list[str], ip: str, minutes_ago: list[int]) -> None:
    """Codes sent before the test (through the service, with a recording sender): phones[i] at minutes_ago[i]."""
    with app.app_context():
        sender = sms.RecordingSender()
        for phone, minutes in zip(phones, minutes_ago, strict=True):
            identity = make_identity("王小五", "id_card", id_number())
            sms.issue_code(db.session, sender, identity, phone, ip, clock.utcnow() - timedelta(minutes=minutes))
        db.session.commit()


def test_sms_limits_hold_across_nodes(two, e2e_app):
    # One code a minute a phone: asked for through A, again through B a moment later.
    who = person(e2e_app, "陈静怡")
    phone = Phone(two, "127.0.0.3")
    token = phone.get("/auth/login").csrf()
    assert phone.post("/auth/login", who.login_form(), "A", csrf=token).redirects_to("/auth/verify")
    again = phone.post("/auth/login", who.login_form(), "B", csrf=token)
    assert again.status == 200 and "验证码发送过于频繁" in again.text
    assert [sent["node"] for sent in two.codes(who.phone)] == ["A"]

    # 5 a phone an hour: the fifth was sent 10 minutes ago (past the minute); both nodes refuse a sixth.
    busy = person(e2e_app, "陈宇轩")
    seed_sends(e2e_app, [busy.phone] * 5, "127.0.0.9", [50, 40, 30, 20, 10])
    for node in ("A", "B"):
        refused = phone.post("/auth/login", busy.login_form(), node, csrf=token)
        assert refused.status == 200 and "该手机号获取验证码次数过多" in refused.text
    assert two.codes(busy.phone) == []

    # 200 an address an hour (a school's Wi-Fi): 199 sent from 127.0.0.4 half an hour ago, the 200th through A,
    # the 201st refused through B. The address is the client's, through nginx (X-Forwarded-For).
    seed_sends(e2e_app, [f"1370000{n:04d}" for n in range(sms.IP_PER_HOUR - 1)], "127.0.0.4",
               [30] * (sms.IP_PER_HOUR - 1))
    school = Phone(two, "127.0.0.4")
    token = school.get("/auth/login").csrf()
    last, over = person(e2e_app, "张子涵"), person(e2e_app, "张梓萱")
    assert school.post("/auth/login", last.login_form(), "A", csrf=token).redirects_to("/auth/verify")
    refused = school.post("/auth/login", over.login_form(), "B", csrf=token)
    assert refused.status == 200 and "获取验证码次数过多，请稍后再试" in refused.text
    assert two.codes(over.phone) == []


def test_the_two_proxy_limit_holds_across_nodes(two, e2e_app):
    with e2e_app.app_context():
        org = make_org(db)
        token = invites.member_invite(db.session, org_id=org.id, school_id=org.school_id, creator_id=None,
                                      utc_now=clock.utcnow()).token
        declarant = make_person(db, "何一诺", id_number())
        first = make_person(db, "何俊杰", id_number())
        membership.bind_proxy(db.session, org, first, declarant, clock.utcnow(), typed_name="何一诺")
        db.session.commit()
        org_id, declarant_id, first_id = org.id, declarant.id, first.id
        identity = {"name": declarant.name, "id_type": "id_card", "id_number": declarant.id_number}
    second, third = person(e2e_app, "何文博"), person(e2e_app, "何静怡")
    proxy_path = f"/declare/org/{org_id}/proxy?t={token}"

    parent = Phone(two)
    logs_in(parent, second, send_on="A", verify_on="B")
    csrf = parent.get(proxy_path, "A").csrf()
    assert parent.post(proxy_path, identity, "B", csrf=csrf).redirects_to(f"/declare/org/{org_id}/proxy/confirm")
    bound = parent.post(f"/declare/org/{org_id}/proxy/confirm?t={token}", {}, "A", csrf=csrf)
    assert bound.redirects_to(f"/declare/org/{org_id}/person/{declarant_id}")  # the second 代填人, bound on A

    other = Phone(two)
    logs_in(other, third, send_on="B", verify_on="A")
    csrf = other.get(proxy_path).csrf()
    for node in ("B", "A"):
        refused = other.post(proxy_path, identity, node, csrf=csrf)
        assert refused.status == 200 and "该申报人已有2位代填人" in refused.text
    with e2e_app.app_context():
        proxies = db.session.scalars(select(ProxyBinding.proxy_id).where(
            ProxyBinding.declarant_id == declarant_id, ProxyBinding.active.is_(True))).all()
        assert sorted(proxies) == sorted([first_id, second.id])


def test_the_group_refresh_cap_holds_across_nodes(two, e2e_app):
    creator = person(e2e_app, "林思远")
    with e2e_app.app_context():
        group = make_group(db, db.session.get(Person, creator.id))
        make_group_member(db, group)
        db.session.commit()
        group_id = group.id
    phone = Phone(two)
    logs_in(phone, creator, send_on="A", verify_on="B")
    csrf = phone.csrf()
    assert phone.post(f"/group/{group_id}/refresh", {}, "A", csrf=csrf).redirects_to(f"/group/{group_id}")
    assert "数据已刷新" in phone.get(f"/group/{group_id}").text
    with e2e_app.app_context():
        refreshed = db.session.get(Group, group_id).refreshed_at
    assert refreshed is not None
    assert phone.post(f"/group/{group_id}/refresh", {}, "B", csrf=csrf).redirects_to(f"/group/{group_id}")
    assert "30分钟内不可重复刷新" in phone.get(f"/group/{group_id}").text
    with e2e_app.app_context():
        assert db.session.get(Group, group_id).refreshed_at == refreshed  # the provider was asked once


def test_an_expired_invite_is_refused_on_both_nodes(two, e2e_app):
    with e2e_app.app_context():
        now = clock.utcnow()
        org = make_org(db)
        live = invites.member_invite(db.session, org_id=org.id, school_id=org.school_id, creator_id=None,
                                     utc_now=now).token
        expired = invites.create(db.session, kind="member", school_id=org.school_id, organisation_id=org.id,
                                 utc_now=now - invites.TTL["member"] - timedelta(minutes=1)).token
        admin_link = invites.school_admin_link(db.session, school_id=org.school_id, utc_now=now).invite.token
        group = make_group(db)
        group_live = group_members.invite(db.session, group, group.creator_id, now).token
        group_expired = group_members.invite(db.session, group, group.creator_id,
                                             now - group_members.INVITE_TTL - timedelta(minutes=1)).token
        db.session.commit()
        school_id = org.school_id
    phone = Phone(two)
    logs_in(phone, person(e2e_app, "梁嘉豪"), send_on="B", verify_on="A")
    for node in ("A", "B"):
        opened = phone.get(f"/invite/{live}", node)
        assert opened.status == 200 and "填报方式" in opened.text
        gone = phone.get(f"/invite/{expired}", node)
        assert gone.status == 404 and invites.INVALID in gone.text
        assert phone.get(f"/invite/{admin_link}", node).status == 200
        joining = phone.get(f"/group/join/{group_live}", node)
        assert joining.status == 200 and group_members.INVITE_EXPIRED not in joining.text
        stale = phone.get(f"/group/join/{group_expired}", node)
        assert stale.status == 200 and group_members.INVITE_EXPIRED in stale.text

    # A new 学校管理员 link ends the one handed out before (its expiry becomes now): refused on both nodes at once.
    with e2e_app.app_context():
        invites.school_admin_link(db.session, school_id=school_id, utc_now=clock.utcnow(), renew=True)
        db.session.commit()
    for node in ("B", "A"):
        ended = phone.get(f"/invite/{admin_link}", node)
        assert ended.status == 404 and invites.INVALID in ended.text

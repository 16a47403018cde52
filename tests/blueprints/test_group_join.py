"""团体码, the member's side (SPEC G3, G6; issue 13 item 4 and the member's part of item 5; the guide 四 (四), 图8, 图9,
FAQ 1–2): the invitation (public; 立即加入 → 实名认证 and back), the authorisation page (what the admins will see,
手机号 + 手机验证码, 我的备注, the agreement) → 加入成功 with the consent recorded; 24-hour links (23:59 admits, 24:01
does not); the 允许新成员加入 switch; the 501st person; 我加入的团体; 撤回授权; 我的授权记录; 查阅记录."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.support import (
    assert_fragment,
    assert_whole_page,
    collapse,
    count,
    location,
    location_path,
    query_param,
    text,
)
from tests.factories import id_number, make_group, make_group_member, make_person, register_identity
from yks_web import clock as app_clock
from yks_web.models.group import SHARED, Group, GroupConsent, GroupMember
from yks_web.models.people import Person
from yks_web.services import group_members, groups

PHONE = "13800000019"
HX = {"HX-Request": "true"}


@pytest.fixture
def group(db):
    group = make_group(db, "李晓明")
    db.session.commit()
    return group


@pytest.fixture
def joiner(db):
    person = make_person(db, "张三丰")
    db.session.commit()
    return person


def invite_token(db, group: Group, actor_id: int | None = None) -> str:
    token = group_members.invite(db.session, group, actor_id or group.creator_id, app_clock.utcnow()).token
    db.session.commit()
    return token


def challenge_of(page: str) -> str:
    match = re.search(r'<input[^>]*name="challenge"[^>]*>', page)
    assert match, "the form keeps the challenge in a hidden field"
    value = re.search(r'value="(\d*)"', match.group(0))
    return value.group(1) if value else ""


def send_code(actions, token: str, phone: str = PHONE, **typed):
    return actions.post(f"/group/join/{token}/authorise", {"phone": phone, "send_code": "1", **typed})


def join_data(sms, page: str, **overrides) -> dict:
    return {"phone": PHONE, "code": sms.last_code(PHONE), "challenge": challenge_of(page), "remark": "研发部张三",
            "agree": "y", **overrides}


def full_join(actions, sms, token: str, **overrides):
    page = text(send_code(actions, token))
    return actions.post(f"/group/join/{token}/authorise", join_data(sms, page, **overrides))


def consents(db, person_id: int) -> list[GroupConsent]:
    db.session.expire_all()
    return list(db.session.scalars(select(GroupConsent).where(GroupConsent.person_id == person_id)))


# -- the invitation ------------------------------------------------------------------------------------------------


def test_item4_the_invitation_is_public_and_shows_group_inviter_masked_and_what_is_shared(client, db, group):
    """SPEC G3: an anonymous visitor sees whom the link is from (masked), the group (名称, 团体类型) and what the
    admins would see; 【立即加入】 leads to 实名认证 with the authorisation page as `next`."""
    token = invite_token(db, group)
    response = client.get(f"/group/join/{token}")
    assert_whole_page(response)
    page = collapse(text(response))
    assert "*晓明 邀请您加入【数字广东广报14楼】" in page and "李晓明" not in page
    assert "团体类型</dt><dd>企业" in page.replace(" ", "")
    for item in SHARED:
        assert item in page
    link = re.search(r'href="([^"]+)">立即加入', page).group(1)
    assert link.startswith("/auth/login?next=") and f"/group/join/{token}/authorise" in link.replace("%2F", "/")
    assert_fragment(client.get(f"/group/join/{token}", headers=HX))


def test_item4_an_unknown_link_is_a_page_not_an_error(client, db):
    response = client.get("/group/join/" + "x" * 32)
    assert response.status_code == 404 and group_members.INVITE_UNKNOWN in text(response)
    assert client.get("/group/join/short").status_code == 404


def test_item4_anonymous_join_goes_through_login_and_back_with_the_token(client, db, actions, sms, group):
    """【立即加入】 → 实名认证 → back on the authorisation page of the same invitation (the login's `next`)."""
    token = invite_token(db, group)
    response = client.get(f"/group/join/{token}/authorise")
    assert response.status_code == 302 and location_path(response) == "/auth/login"
    next_url = query_param(response, "next")
    assert next_url == f"/group/join/{token}/authorise"
    assert f'name="next" value="{next_url}"' in text(client.get(location(response)))

    number = id_number()
    register_identity(db, "张三丰", number, phone=PHONE)
    db.session.commit()
    actions.post("/auth/login", {"name": "张三丰", "id_type": "id_card", "id_number": number, "phone": PHONE,
                                 "next": next_url})
    response = actions.post("/auth/verify", {"code": sms.last_code(PHONE)})
    assert response.status_code == 303 and location(response) == next_url
    page = collapse(text(client.get(next_url)))
    assert "您将加入到【数字广东广报14楼】" in page and "授权并加入团体" in page


# -- joining -------------------------------------------------------------------------------------------------------


def test_item4_the_authorisation_page_states_exactly_what_the_admins_will_see(client, db, actions, group, joiner):
    token = invite_token(db, group)
    actions.login(joiner)
    response = client.get(f"/group/join/{token}/authorise")
    assert_whole_page(response)
    page = collapse(text(response))
    shared = re.search(r'<ul class="list" id="shared">(.*?)</ul>', page).group(1)
    assert re.findall(r'<li class="list-row">(.*?)</li>', shared) == list(SHARED)
    assert "管理员可查看您的健康码信息，包括健康码颜色、核酸检测结果、疫苗接种等信息" in page
    creator = db.session.get(Person, group.creator_id)
    assert "*晓明" in page and creator.masked_id in page and "138****0012" in page  # 团体信息: the inviter, masked
    assert creator.id_number not in page and "13800000012" not in page
    for label in ("手机号", "手机验证码", "获取验证码", "我的备注（选填）", "《用户服务协议》", "《个人信息保护政策》"):
        assert label in page
    assert_fragment(client.get(f"/group/join/{token}/authorise", headers=HX))
    assert client.get("/group/agreement").status_code == 200  # the agreement's link is a page
    assert "撤回授权" in text(client.get("/group/agreement"))


def test_item4_full_join_with_the_sms_code_records_the_consent(client, db, actions, sms, clock, group, joiner):
    """获取验证码 (no JS: a second submit button) → the code → 授权并加入团体 → 303 → 加入成功. The consent row
    says what, when and which group; the joiner's snapshot is taken at once; people counts the joiner (G2, G3)."""
    token = invite_token(db, group)
    actions.login(joiner)
    sent = send_code(actions, token, remark="研发部")
    assert sent.status_code == 200
    page = collapse(text(sent))
    assert "验证码已发送至138****0019" in page and 'value="研发部"' in page
    assert sms.texts[-1][0] == PHONE and "加入团体" in sms.texts[-1][1]
    assert challenge_of(page)

    clock(datetime(2026, 11, 20, 9, 2))
    response = actions.post(f"/group/join/{token}/authorise", join_data(sms, page))
    assert response.status_code == 303 and location(response) == f"/group/{group.id}/welcome"
    welcome = client.get(location(response))  # PRG: the result is a page of its own, reloaded as often as wanted
    assert_whole_page(welcome)
    welcome_page = collapse(text(welcome))
    assert "加入成功" in welcome_page
    assert "您已成功加入团体【数字广东广报14楼】，可在团体首页查看相关信息" in welcome_page
    assert 'href="/group/">返回团体码首页' in welcome_page
    assert client.get(location(response)).status_code == 200

    db.session.expire_all()
    member = group_members.membership(db.session, group.id, joiner.id)
    assert member.role == "member" and member.remark == "研发部张三" and member.phone == PHONE
    assert member.invited_by_id == group.creator_id and member.snapshot_at == datetime(2026, 11, 20, 1, 2)
    assert member.code_colour  # the joiner's snapshot: never blank in 成员管理
    assert db.session.get(Group, group.id).people == 2
    [consent] = consents(db, joiner.id)
    assert (consent.group_id, consent.group_name, consent.scope, consent.granted_at, consent.ended_at) == (
        group.id, "数字广东广报14楼", list(SHARED), datetime(2026, 11, 20, 1, 2), None)
    assert consent.agreement_version == groups.AGREEMENT_VERSION
    assert "数字广东广报14楼" in text(client.get("/group/"))  # 我加入的团体 lists it


def test_item4_already_a_member_goes_straight_to_joined_with_a_message(client, db, actions, sms, group, joiner):
    make_group_member(db, group, joiner)
    db.session.commit()
    token = invite_token(db, group)
    actions.login(joiner)
    assert "您已是该团体成员" in text(client.get(f"/group/join/{token}"))
    response = client.get(f"/group/join/{token}/authorise")
    assert response.status_code == 303 and location(response) == f"/group/{group.id}/joined"
    assert "您已是团体【数字广东广报14楼】的成员" in text(client.get(location(response)))
    response = actions.post(f"/group/join/{token}/authorise", {"phone": PHONE, "send_code": "1"})
    assert response.status_code == 303 and location(response) == f"/group/{group.id}/joined"
    assert len(consents(db, joiner.id)) == 1 and db.session.get(Group, group.id).people == 2


@pytest.mark.parametrize("minutes, live", [(23 * 60 + 59, True), (24 * 60 + 1, False)])
def test_item4_a_link_admits_for_24_hours(client, db, actions, sms, clock, group, joiner, minutes, live):
    """23:59 after it was made the link still admits; 24:01 after, it is a page saying it expired (200), and
    授权并加入团体 is refused (issue 13 items 4, 8)."""
    token = invite_token(db, group)
    actions.login(joiner)
    clock(datetime(2026, 11, 20, 9, 0) + timedelta(minutes=minutes))
    invitation = client.get(f"/group/join/{token}")
    assert invitation.status_code == 200
    assert ("立即加入" in text(invitation)) is live
    assert (group_members.INVITE_EXPIRED in text(invitation)) is not live
    response = full_join(actions, sms, token) if live else actions.post(
        f"/group/join/{token}/authorise", {"phone": PHONE, "code": "123456", "challenge": "1", "agree": "y"})
    if live:
        assert response.status_code == 303 and location(response) == f"/group/{group.id}/welcome"
    else:
        assert response.status_code == 200 and "该邀请已失效" in text(response)
        assert client.get(f"/group/join/{token}/authorise").status_code == 200
        assert group_members.membership(db.session, group.id, joiner.id) is None


def test_item4_switch_off_refuses_joins_with_a_message(client, db, actions, sms, group, joiner):
    """允许新成员加入 off: the invitation says joins are closed (no 立即加入), and 授权并加入团体 is refused with
    group_members.JOINS_OFF, nothing written, everything typed kept."""
    token = invite_token(db, group)
    actions.login(joiner)
    page = text(send_code(actions, token))
    groups.set_allow_join(db.session, db.session.get(Group, group.id), False, app_clock.utcnow())
    db.session.commit()
    invitation = text(client.get(f"/group/join/{token}"))
    assert group_members.JOINS_OFF in invitation and "立即加入" not in invitation
    response = actions.post(f"/group/join/{token}/authorise", join_data(sms, page, remark="销售部"))
    assert response.status_code == 200
    body = text(response)
    assert group_members.JOINS_OFF in body and 'value="销售部"' in body and f'value="{PHONE}"' in body
    assert group_members.membership(db.session, group.id, joiner.id) is None and consents(db, joiner.id) == []


def test_item4_the_501st_person_is_refused_with_the_faqs_advice(client, db, actions, sms, group, joiner):
    """500 people, creator included (FAQ 1): the 501st sees "…如广州塔-1、广州塔-2" and is not added."""
    token = invite_token(db, group)
    for i in range(groups.MAX_PEOPLE - 2):  # 498 members + the creator = 499 people
        make_person_row = Person(name=f"成员{i}", id_type="id_card", id_number=f"X{i:08d}", id_hash=f"h{i:063d}")
        db.session.add(make_person_row)
        db.session.flush()
        group_members.join(db.session, token, make_person_row.id, remark="", phone="13900000000",
                           utc_now=app_clock.utcnow())
    db.session.commit()
    five_hundredth = make_person(db, "王五百")
    db.session.commit()
    actions.login(five_hundredth)
    assert full_join(actions, sms, token).status_code == 303  # the 500th joins
    assert db.session.get(Group, group.id).people == groups.MAX_PEOPLE

    actions.login(joiner)
    assert "广州塔-2" in text(client.get(f"/group/join/{token}"))
    response = full_join(actions, sms, token)
    assert response.status_code == 200
    body = text(response)
    assert group_members.GROUP_FULL in body and "广州塔-1、广州塔-2" in body
    db.session.expire_all()
    assert group_members.membership(db.session, group.id, joiner.id) is None
    assert db.session.get(Group, group.id).people == groups.MAX_PEOPLE


@pytest.mark.parametrize("overrides, field, message", [
    ({"agree": ""}, "agree", "请阅读并同意《用户服务协议》及《个人信息保护政策》"),
    ({"code": ""}, "code", "请输入6位数字验证码"),
    ({"code": "12345x"}, "code", "请输入6位数字验证码"),
    ({"phone": "12345"}, "phone", "请填写11位中国大陆手机号"),
    ({"phone": "13900000001"}, "phone", "手机号与接收验证码的手机号不一致"),
    ({"challenge": ""}, "code", "请先获取验证码"),
    ({"remark": "备" * 51}, "remark", "备注不能超过50个字"),
    ({"remark": "研发\u202e部"}, "remark", "备注不能包含不可见字符"),
])
def test_item4_every_error_is_beside_its_field_with_everything_typed_kept(client, db, actions, sms, group, joiner,
                                                                          overrides, field, message):
    token = invite_token(db, group)
    actions.login(joiner)
    page = text(send_code(actions, token))
    data = join_data(sms, page, **overrides)
    response = actions.post(f"/group/join/{token}/authorise", data)
    assert response.status_code == 200
    body = text(response)
    error = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', body)
    assert error and message in error.group(1), body[-3000:]
    for name in ("phone", "remark", "code"):
        if data[name]:
            assert re.search(rf'name="{name}"[^>]*value="{re.escape(data[name])}"', body) or re.search(
                rf'value="{re.escape(data[name])}"[^>]*name="{name}"', body), name
    assert ('checked' in re.search(r'<input[^>]*name="agree"[^>]*>', body).group(0)) is bool(data["agree"])
    assert challenge_of(body) == data["challenge"]
    assert group_members.membership(db.session, group.id, joiner.id) is None and consents(db, joiner.id) == []
    reloaded = client.get(f"/group/join/{token}/authorise")  # the refused POST's URL reloaded: the page again
    assert reloaded.status_code == 200


def test_item4_a_wrong_code_counts_and_is_said_beside_the_code(client, db, actions, sms, group, joiner):
    token = invite_token(db, group)
    actions.login(joiner)
    page = text(send_code(actions, token))
    wrong = "000000" if sms.last_code(PHONE) != "000000" else "111111"
    response = actions.post(f"/group/join/{token}/authorise", join_data(sms, page, code=wrong))
    assert response.status_code == 200 and 'id="code-error"' in text(response)
    assert f'value="{wrong}"' in text(response)
    assert actions.post(f"/group/join/{token}/authorise", join_data(sms, page)).status_code == 303  # then the right


def test_item4_a_bad_phone_for_the_code_is_said_beside_the_phone(client, db, actions, sms, group, joiner):
    token = invite_token(db, group)
    actions.login(joiner)
    response = send_code(actions, token, phone="1234", remark="研发部")
    assert response.status_code == 200
    body = text(response)
    assert 'id="phone-error"' in body and 'value="研发部"' in body and sms.outbox == []


# -- 我加入的团体, 查阅记录 ----------------------------------------------------------------------------------------


def test_g6_joined_shows_figure_9_with_the_creator_masked(client, db, actions, group, joiner):
    make_group_member(db, group, joiner, remark="研发部")
    db.session.commit()
    actions.login(joiner)
    response = client.get(f"/group/{group.id}/joined")
    assert_whole_page(response)
    page = collapse(text(response)).replace(" ", "")
    creator = db.session.get(Person, group.creator_id)
    for label, value in (("团体类型", "企业"), ("团体地址", "广东省广州市海珠区阅江西路118号"), ("创建人", "*晓明"),
                         ("证件号码", creator.masked_id), ("手机号码", "138****0012")):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page, label
    assert "李晓明" not in page and creator.id_number not in page
    assert "*如需退出团体，请联系管理员" in page
    assert 'href="/me/reads"' in page and "撤回授权" in page and 'href="/group/consents"' in page
    assert_fragment(client.get(f"/group/{group.id}/joined", headers=HX))


def test_g6_joined_is_404_to_anyone_not_in_the_group(client, db, actions, group, joiner):
    actions.login(joiner)
    for url in (f"/group/{group.id}/joined", f"/group/{group.id}/welcome", f"/group/{group.id}/withdraw"):
        assert client.get(url).status_code == 404
    assert actions.post(f"/group/{group.id}/withdraw").status_code == 404
    assert client.get("/group/999999/joined").status_code == 404


def test_item5_the_member_sees_in_their_access_log_who_in_the_group_read_them(client, db, actions, group, joiner):
    """An admin opens the member's 成员信息 (audited by that screen); the member's 查阅记录, linked from 我加入的团体,
    names the reader (masked), the role (团体管理员) and the group (issue 13 item 5)."""
    member = make_group_member(db, group, joiner)
    admin = make_group_member(db, group, make_person(db, "王管理"), role="admin")
    db.session.commit()
    actions.login(db.session.get(Person, admin.person_id))
    assert client.get(f"/group/{group.id}/members/{member.id}").status_code == 200
    actions.login(joiner)
    page = collapse(text(client.get("/me/reads")))
    assert "团体管理员 · 数字广东广报14楼" in page and "*管理 · 查看团体成员信息" in page
    assert 'href="/me/reads"' in text(client.get(f"/group/{group.id}/joined"))


# -- 撤回授权 ------------------------------------------------------------------------------------------------------


def test_item4_withdrawal_ends_the_consent_and_the_membership(client, db, actions, sms, clock, group, joiner):
    """Beyond the guide: 撤回授权 → a confirm page saying it removes the person → 303 to 团体码 with a message;
    the consent ends ("已撤回" with the time in 我的授权记录), the membership is gone, people is back."""
    token = invite_token(db, group)
    actions.login(joiner)
    assert full_join(actions, sms, token).status_code == 303
    assert db.session.get(Group, group.id).people == 2

    confirm = client.get(f"/group/{group.id}/withdraw")
    assert_whole_page(confirm)
    confirm_page = collapse(text(confirm))
    assert "确定撤回授权并退出团体【数字广东广报14楼】？" in confirm_page and "移出该团体" in confirm_page
    assert f'action="/group/{group.id}/withdraw"' in confirm_page

    clock(datetime(2026, 11, 21, 10, 30))
    response = actions.post(f"/group/{group.id}/withdraw")
    assert response.status_code == 303 and location(response) == "/group/"
    assert "已撤回授权，您已退出团体【数字广东广报14楼】" in text(client.get("/group/"))
    db.session.expire_all()
    assert group_members.membership(db.session, group.id, joiner.id) is None
    assert db.session.get(Group, group.id).people == 1
    [consent] = consents(db, joiner.id)
    assert consent.ended_at == datetime(2026, 11, 21, 2, 30) and consent.ended_reason == group_members.WITHDRAWN
    assert client.get(f"/group/{group.id}/joined").status_code == 404

    records = collapse(text(client.get("/group/consents")))
    assert "数字广东广报14楼" in records and "已撤回" in records and "2026-11-21 10:30" in records
    assert "、".join(SHARED) in records and "2026-11-20 09:00" in records


def test_item4_an_admin_who_withdraws_leaves_too(client, db, actions, group, joiner):
    make_group_member(db, group, joiner, role="admin")
    db.session.commit()
    actions.login(joiner)
    assert "管理员身份一并解除" in text(client.get(f"/group/{group.id}/withdraw"))
    assert actions.post(f"/group/{group.id}/withdraw").status_code == 303
    db.session.expire_all()
    assert group_members.membership(db.session, group.id, joiner.id) is None
    assert group_members.admin_count(db.session, group.id) == 0 and db.session.get(Group, group.id).people == 1


def test_item4_the_creator_cannot_withdraw(client, db, actions, group):
    creator = db.session.get(Person, group.creator_id)
    actions.login(creator)
    confirm = text(client.get(f"/group/{group.id}/withdraw"))
    assert group_members.CREATOR_STAYS in confirm and f'action="/group/{group.id}/withdraw"' not in confirm
    assert "撤回授权</a>" not in text(client.get(f"/group/{group.id}/joined"))
    response = actions.post(f"/group/{group.id}/withdraw")
    assert response.status_code == 303 and location(response) == f"/group/{group.id}/joined"
    assert group_members.CREATOR_STAYS in text(client.get(location(response)))
    db.session.expire_all()
    assert group_members.membership(db.session, group.id, creator.id).role == "creator"
    assert [c.ended_at for c in consents(db, creator.id)] == [None]


def test_item4_consents_list_says_removed_by_an_admin(client, db, actions, clock, group, joiner):
    member = make_group_member(db, group, joiner)
    db.session.commit()
    clock(datetime(2026, 11, 22, 8, 15))
    group_members.remove(db.session, db.session.get(Group, group.id), group.creator_id, member, app_clock.utcnow())
    db.session.commit()
    actions.login(joiner)
    response = client.get("/group/consents")
    assert_whole_page(response)
    page = collapse(text(response))
    assert "已被移出" in page and "2026-11-22 08:15" in page and "数字广东广报14楼" in page
    assert count(db, GroupMember, GroupMember.person_id == joiner.id) == 0
    assert_fragment(client.get("/group/consents", headers=HX))

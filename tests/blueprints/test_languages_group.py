"""团体码 in 繁體中文 and English (issue 15; SPEC G1–G6): the screens of the creator, the admins and a member, their
flashes, refusals and form errors in the reader's language, while what was typed or stored (a group's name, a
remark, the type and the consent's scope as stored) stays the source text underneath.

Run with the catalogues built: YKS_TEST_TRANSLATIONS=… (tests/conftest.py), as tests/blueprints/test_languages.py.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.support import collapse, location, text
from tests.blueprints.test_group_manage import challenge_of
from tests.blueprints.test_languages import choose, html_lang, title
from tests.factories import make_group, make_group_member, make_person
from yks_web import clock as app_clock
from yks_web.models.group import CREATOR, SHARED, Group, GroupConsent, GroupMember
from yks_web.privacy import mask_name
from yks_web.services import group_members

GROUP_NAME = "数字广东广报14楼"
NOW = datetime(2026, 11, 20, 9, 0)  # conftest's clock, Shanghai time (01:00 UTC)
PHONE = "13800000019"
CREATE_FORM = {"phone": PHONE, "name": "广州塔-1", "kind": "企业", "city": "4401", "district": "440106",
               "town": "440106006", "address": "天河路208号"}


def page_of(response) -> str:
    """The page as a reader sees it: entities unescaped (a flash's apostrophe is &#39; in the HTML)."""
    return html.unescape(collapse(text(response)))


def chinese_left(page: str) -> set[str]:
    return set(re.findall("[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+", page))


@pytest.fixture
def team(db):
    """李晓明's group: an admin 王管理 and a member 张三 (黄码, 2 doses, a negative test within 48 hours)."""
    group = make_group(db, "李晓明", GROUP_NAME)
    creator = db.session.scalar(select(GroupMember).where(GroupMember.group_id == group.id,
                                                          GroupMember.role == CREATOR))
    admin = make_group_member(db, group, "王管理", role="admin", remark="办公室")
    zhang = make_group_member(db, group, "张三", remark="张三爸爸", phone=PHONE)
    zhang.snapshot_at = datetime(2026, 11, 20, 0, 30)
    zhang.code_colour, zhang.test_window, zhang.test_result, zhang.vaccine_doses = "yellow", "48", "阴性", 2
    zhang.vaccine_records = [{"dose": n, "on": f"2021-0{3 * n}-28", "manufacturer": "北京科兴", "site": "天河区接种点"}
                             for n in (1, 2)]
    db.session.commit()
    return {"group": group, "creator": creator, "admin": admin, "zhang": zhang}


def invite_token(db, group: Group) -> str:
    token = group_members.invite(db.session, group, group.creator_id, app_clock.utcnow()).token
    db.session.commit()
    return token


# -- 团体码 home, 创建团体 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "lang", "words"), [
    ("zh_Hant_HK", "zh-Hant-HK", ["團體碼", "功能介紹", "我管理的團體", "我加入的團體", "創建團體", "我的授權記錄",
                                  "創建人 · 2/500人"]),
    ("en", "en", ["Group code", "What it does", "Groups I manage", "Groups I have joined", "Create a group",
                  "My consents", "Creator · 2/500 people", '<span class="strong">Invite members</span>: admins share']),
])
def test_the_group_code_home_in_each_language(client, db, actions, language, lang, words):
    group = make_group(db, "李晓明", GROUP_NAME)
    make_group_member(db, group, "张三")
    db.session.commit()
    actions.login(group.creator)
    choose(client, language)
    response = client.get("/group/")
    page = page_of(response)
    assert html_lang(response) == lang and title(response) == words[0]
    assert [word for word in words if word not in page] == []
    assert GROUP_NAME in page  # the group's name is data: never translated


def test_the_create_form_and_its_errors_in_english(client, db, actions):
    creator = make_person(db, "傅立叶")
    db.session.commit()
    actions.login(creator)
    choose(client, "en")
    response = client.get("/group/create")
    page = page_of(response)
    assert title(response) == "Create a group"
    for word in ("Creator", "Name", "ID document type", "Mainland resident ID card", "Mobile number",
                 "SMS verification code", "Get verification code", "Group details", "Group name", "Group type",
                 '<option value="企业">Company</option>', '<option value="社会团队">Community organisation</option>',
                 "Street address", 'placeholder="Enter the group name"', "the admins you appoint can see your Name, "
                 "ID document type and ID document number (partly hidden); Mobile number (partly hidden) and my note"):
        assert word in page, word
    page = page_of(actions.post("/group/create", {**CREATE_FORM, "name": "", "address": "", "kind": "公司"}))
    for error in ("Please enter the SMS verification code", "Please enter the group name",
                  "Please choose the group type", "Please enter the group's address"):
        assert error in page, error
    page = page_of(actions.post("/group/create", {**CREATE_FORM, "send_code": "1"}))
    assert "A verification code has been sent to 138****0019" in page


def test_the_sixth_group_is_refused_in_english(client, db, actions, sms):
    creator = make_person(db, "傅立叶")
    for n in range(5):
        make_group(db, creator, f"广州塔-{n + 1}")
    db.session.commit()
    actions.login(creator)
    choose(client, "en")
    sent = text(actions.post("/group/create", {**CREATE_FORM, "send_code": "1"}))
    data = {**CREATE_FORM, "code": sms.last_code(PHONE), "challenge": challenge_of(sent)}
    page = page_of(actions.post("/group/create", data))
    assert "Could not create the group" in page
    assert ("The group was not created: “A creator can create at most 5 groups, and you have already created 5”."
            in page)
    assert "Try again" in page and "Back to Group code" in page


# -- 我管理的团体, 刷新数据, 邀请成员 ----------------------------------------------------------------------------------


def test_the_group_page_statistics_and_the_refresh_cap_in_english(client, db, actions, team, clock):
    group = team["group"]
    actions.login(team["admin"].person)
    choose(client, "en")
    response = client.get(f"/group/{group.id}")
    page = page_of(response)
    assert title(response) == "Group code"
    for word in ("Statistics", "Data last updated: not refreshed yet", "Health codes", "Nucleic acid tests",
                 "Vaccinations", "<dt>Green code</dt>", "<dt>24 hours</dt>", "<dt>3 doses</dt>",
                 "<dt>Not vaccinated</dt>", 'aria-label="Yellow code: 1 people, see the members"', "Manage the group",
                 "Invite members", "Members", "Allow joining", "(on)", "Turn off",
                 "Withdraw consent and leave the group"):
        assert word in page, word
    assert "Data refreshed" in page_of(client.get(location(actions.post(f"/group/{group.id}/refresh"))))
    clock(NOW + timedelta(minutes=10))
    page = page_of(client.get(location(actions.post(f"/group/{group.id}/refresh"))))
    assert re.search(r"Data can be refreshed once every 30 minutes\. Please try again after 9:30\W*AM", page)
    assert re.search(r"Refresh data \(again after 9:30\W*AM\)</button>", page)
    page = page_of(client.get(location(actions.post(f"/group/{group.id}/allow-join", {"allow": "0"}))))
    assert "New members can no longer join: invitation links will not let anyone join" in page
    assert "(off: new members cannot join)" in page and "Turn on" in page


def test_the_invitation_to_share_in_each_language(client, db, actions, team):
    group = team["group"]
    actions.login(team["creator"].person)
    choose(client, "zh_Hant_HK")
    page = page_of(client.get(f"/group/{group.id}/invite"))
    assert "邀請新成員加入團體" in page and "流程指引" in page and "保存圖片並分享" in page
    choose(client, "en")
    page = page_of(client.get(f"/group/{group.id}/invite"))
    assert "Invite new members to the group" in page and "Allow new members to join" in page
    assert f"to join “{GROUP_NAME}”" in page
    response = client.get(location(actions.post(f"/group/{group.id}/invite", {"how": "link"})))
    page = page_of(response)
    assert title(response) == "Invite members"
    assert f"{mask_name('李晓明')} invites you to join “{GROUP_NAME}”" in page
    assert f'alt="QR code of the invitation to join “{GROUP_NAME}”"' in page
    assert "Group health at your fingertips · Company · " in page
    assert re.search(r"The invitation link is valid for 24 hours, until Nov 21, 2026 09:00", page)


# -- 成员管理, 成员信息, 设为管理员 / 删除成员 ----------------------------------------------------------------------


@pytest.mark.parametrize(("language", "words"), [
    ("zh_Hant_HK", ["成員管理", "搜索成員", "全部成員", "黃碼", "2劑次", "48小時核酸陰性", "管理員", "創建人"]),
    ("en", ["Members", "Search members", 'placeholder="Name or note"', "All members", "<option value=\"\">All</option>",
            '<option value="yellow">Yellow code</option>', '<option value="other">Other</option>',
            "Yellow code", "2 doses", "Negative test within 48 h", "No health code data", "Not vaccinated",
            "No test on record", "(张三爸爸)", ">Admin</span>", ">Creator</span>", "Data updated: not refreshed yet"]),
])
def test_the_member_list_in_each_language(client, actions, team, language, words):
    actions.login(team["creator"].person)
    choose(client, language)
    response = client.get(f"/group/{team['group'].id}/members")
    page = page_of(response)
    assert title(response) == words[0]
    assert [word for word in words if word not in page] == []
    if language == "en":  # what is left in Chinese is data: names, remarks, the group's name
        data = " ".join([*(mask_name(n) for n in ("李晓明", "王管理", "张三")), "办公室", "张三爸爸", GROUP_NAME])
        assert chinese_left(page) <= chinese_left(data), chinese_left(page) - chinese_left(data)
    page = page_of(client.get(f"/group/{team['group'].id}/members?code=red"))
    assert ("没有符合条件的成员" if language == "zh_Hans_CN" else
            "沒有符合條件的成員" if language == "zh_Hant_HK" else "No member matches") in page


def test_member_details_and_the_actions_in_english(client, db, actions, team):
    group, zhang, admin = team["group"], team["zhang"], team["admin"]
    actions.login(team["creator"].person)
    choose(client, "en")
    response = client.get(f"/group/{group.id}/members/{zhang.id}")
    page = page_of(response)
    assert title(response) == "Member details"
    for word in ("Basic information", "Remarks", "ID document type", "Mainland resident ID card", "Health code",
                 "<dt>Yuekang Code</dt>", "Yellow code", "Latest nucleic acid test", "COVID-19 vaccinations",
                 "<dd>Dose 1</dd>", "<dd>Dose 2</dd>", "Manufacturer", "北京科兴", "Make admin", "Remove member",
                 "Data updated: Nov 20, 2026, 8:30:00"):
        assert word in page, word
    page = page_of(client.get(f"/group/{group.id}/members/{admin.id}/remove"))
    assert "This member is an admin. Remove the admin role first, then remove the member" in page
    assert "Back to member details" in page
    page = page_of(client.get(f"/group/{group.id}/members/{zhang.id}/admin"))
    assert f"Make {mask_name('张三')} an admin?" in page and "A group can have at most 5 admins." in page
    response = actions.post(f"/group/{group.id}/members/{zhang.id}/admin")
    assert f"{mask_name('张三')} is now an admin" in page_of(client.get(location(response)))
    for n in range(3):  # five admins with 王管理 and 张三
        make_group_member(db, group, f"管理{n}", role="admin")
    extra = make_group_member(db, group, "候补")
    db.session.commit()
    response = actions.post(f"/group/{group.id}/members/{extra.id}/admin")
    assert "A group can have at most 5 admins" in page_of(client.get(location(response)))


def test_member_list_in_simplified_chinese_is_unchanged(client, actions, team):
    actions.login(team["creator"].person)
    page = collapse(text(client.get(f"/group/{team['group'].id}/members")))
    assert '<html lang="zh-Hans-CN">' in page and "<h1>成员管理</h1>" in page
    assert ">黄码</span> · 2剂次 · 48小时核酸阴性" in page and "（张三爸爸）" in page


# -- the member's side: the invitation, 授权并加入团体, 我加入的团体, 我的授权记录 -----------------------------------


def test_the_invitation_and_its_refusals_in_english(client, db, actions, team):
    group = team["group"]
    token = invite_token(db, group)
    choose(client, "en")
    response = client.get(f"/group/join/{token}")
    page = page_of(response)
    assert title(response) == "Invitation to join a group"
    for word in (f"{mask_name('李晓明')} invites you to join “{GROUP_NAME}”", "<dd>Company</dd>", "Invited by",
                 "What the group's admins will see once you join", *(f">{item}</li>" for item in (
                     "Name, ID document type and ID document number (partly hidden)",
                     "Vaccinations (dose, date, manufacturer, vaccination site)")),
                 "Join now", "You need to verify your identity before joining a group."):
        assert word in page, word
    unknown = client.get("/group/join/" + "x" * 30)
    assert unknown.status_code == 404
    assert "This invitation link is not valid. Please ask the group's admin to share it again" in page_of(unknown)
    group.allow_join = False
    db.session.commit()
    assert ("This group is not accepting new members at the moment. Please contact the group's admin"
            in page_of(client.get(f"/group/join/{token}")))
    group.allow_join, group.people = True, 500
    db.session.commit()
    assert "This group has reached its limit of 500 people" in page_of(client.get(f"/group/join/{token}"))


def test_the_authorisation_page_and_its_errors_in_english(client, db, actions, team):
    joiner = make_person(db, "张三丰")
    token = invite_token(db, team["group"])
    actions.login(joiner)
    choose(client, "en")
    page = page_of(client.get(f"/group/join/{token}/authorise"))
    for word in (f"You are joining “{GROUP_NAME}”", "The group's admins will see:", "My details", "My note (optional)",
                 'placeholder="A note so the admins know who you are"', "Fill it in as the admin asked",
                 'I have read and accept the <a class="link" href="/group/agreement#service">Terms of Service</a>',
                 "Consent and join"):
        assert word in page, word
    page = page_of(actions.post(f"/group/join/{token}/authorise", {"phone": PHONE, "code": "12", "remark": ""}))
    assert "Please enter the 6-digit verification code" in page
    assert "Please read and accept the Terms of Service and the Privacy Policy" in page
    page = page_of(client.get("/group/agreement"))
    assert "Terms of Service (Group code)" in page and "a group holds at most 500 people" in page
    assert "Name, ID document type and ID document number (partly hidden), Mobile number (partly hidden)" in page


def test_joined_withdraw_and_consents_in_each_language(client, db, actions, team):
    group, zhang = team["group"], team["zhang"]
    actions.login(zhang.person)
    choose(client, "zh_Hant_HK")
    page = page_of(client.get(f"/group/{group.id}/joined"))
    assert "團體信息" in page and "我的授權" in page and "撤回授權" in page
    choose(client, "en")
    page = page_of(client.get(f"/group/{group.id}/joined"))
    for word in ("Group details", "<dd>Company</dd>", "*To leave the group, please contact an admin", "My consent",
                 "<dd>张三爸爸</dd>", "Joined at", "Who viewed my data", "Withdraw consent"):
        assert word in page, word
    page = page_of(client.get(f"/group/{group.id}/withdraw"))
    assert f"Withdraw your consent and leave “{GROUP_NAME}”?" in page and ">Withdraw</button>" in page
    response = actions.post(f"/group/{group.id}/withdraw")
    assert f"Consent withdrawn: you have left the group “{GROUP_NAME}”" in page_of(client.get(location(response)))
    db.session.expire_all()
    consent = db.session.scalar(select(GroupConsent).where(GroupConsent.person_id == zhang.person_id))
    assert consent.scope == list(SHARED) and consent.group_name == GROUP_NAME  # stored in the source language
    response = client.get("/group/consents")
    page = page_of(response)
    assert title(response) == "My consents"
    assert "Shared: Name, ID document type and ID document number (partly hidden), Mobile number" in page
    assert "Withdrawn" in page and GROUP_NAME in page


def test_the_creator_cannot_withdraw_in_english(client, actions, team):
    group = team["group"]
    actions.login(team["creator"].person)
    choose(client, "en")
    page = page_of(client.get(f"/group/{group.id}/withdraw"))
    assert "The creator cannot leave a group they created" in page and ">Back</a>" in page

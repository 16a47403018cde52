"""The cross-file fixes of issue 15 in 繁體中文 and English, each beside its 简体中文 output (unchanged):

- 代申报通知: one whole sentence for each way a notice comes (no sentence glued from a source and a kind);
- 医学观察 (operator): the reasons and the examples given as N_ constants shown translated; the read recorded
  as 健康数据管理 is said in the reader's language in their 查阅记录;
- an old scan said in the reader's language and still answered 200 (a comparison of `.reason`, not of the
  translated message): 信息采集 (网格员), 出具电子告知书 (医护人员), and an expired 粤康码 at the scanner;
- the 团体码 SMS codes said as one sentence each (创建团体, 加入团体), in the language of the request;
- 解除指引 (the code's and a group member's) when it is the N_ text a 医学观察 stores;
- a moment to the minute (`| local_minute`) and a day (`| local_date`): 站内消息, 更换绑定, 邀请链接.

Run with the catalogues built: YKS_TEST_TRANSLATIONS=… (tests/conftest.py), as tests/blueprints/test_languages.py.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.support import collapse, location, text
from tests.blueprints.test_grid_collect import resident, scan, worker  # noqa: F401 (fixtures)
from tests.blueprints.test_group_manage import send_code
from tests.blueprints.test_languages import choose, title
from tests.blueprints.test_medical import code_url, field_error, ticket_url
from tests.blueprints.test_medical import scene as medical_scene  # noqa: F401 (a fixture)
from tests.conftest import DEFAULT_NOW
from tests.factories import make_group, make_group_member, make_person, make_place, make_place_staff
from yks_web import clock as app_clock
from yks_web.models.consent import DeclarationNotice
from yks_web.models.group import CREATOR, GroupMember
from yks_web.models.messages import Message
from yks_web.privacy import mask_name
from yks_web.services import group_members, observations, places, scan_tickets

TRADITIONAL = "zh_Hant_HK"


def page_of(response) -> str:
    """The page as a reader sees it: whitespace collapsed, entities unescaped (an apostrophe is &#39;)."""
    return html.unescape(collapse(text(response)))


def missing(page: str, words) -> list[str]:
    return [word for word in words if word not in page]


# -- 代申报通知 --------------------------------------------------------------------------------------------------


@pytest.fixture
def noticed(db):
    """黄小红 was declared for in each way a notice comes, and once in a pairing no screen writes (the fallback)."""
    person = make_person(db, "黄小红")
    for source, kind, actor in (("proxy", "school", "黄伟斌"), ("collector", "school", "陈老师"),
                                ("quickfill", "school", "林老师"), ("family", "personal", "黄大文"),
                                ("proxy", "personal", "周代填")):
        db.session.add(DeclarationNotice(person_id=person.id, actor_id=make_person(db, actor).id, kind=kind,
                                         source=source, day=date(2026, 11, 20), created_at=app_clock.utcnow()))
    db.session.commit()
    return person


SENTENCES = {
    "zh_Hans_CN": ["<span class=\"strong\">*伟斌</span> 代填人代为填报了您的学生/教职工个人健康申报",
                   "<span class=\"strong\">*老师</span> 采集员代为填报了您的学生/教职工个人健康申报",
                   "<span class=\"strong\">*老师</span> 采集员快速填充了您的学生/教职工个人健康申报",
                   "<span class=\"strong\">*大文</span> 家庭成员代为申报了您的健康申报",
                   "<span class=\"strong\">*代填</span> 代填人代为填报了您的健康申报"],
    TRADITIONAL: ["<span class=\"strong\">*伟斌</span> 代填人代為填報了您的學生/教職工個人健康申報",
                  "<span class=\"strong\">*老师</span> 採集員代為填報了您的學生/教職工個人健康申報",
                  "<span class=\"strong\">*老师</span> 採集員快速填充了您的學生/教職工個人健康申報",
                  "<span class=\"strong\">*大文</span> 家庭成員代為申報了您的健康申報"],
    "en": ["<span class=\"strong\">*伟斌</span> filled in your student/staff health declaration as your proxy",
           "<span class=\"strong\">*老师</span>, a collector, filled in your student/staff health declaration",
           "<span class=\"strong\">*老师</span>, a collector, quick-filled your student/staff health declaration",
           "<span class=\"strong\">*大文</span> submitted your health declaration for you as a family member",
           "<span class=\"strong\">*代填</span>: Filled in by a proxy (your Health declaration)"],
}


@pytest.mark.parametrize("language", ["zh_Hans_CN", TRADITIONAL, "en"])
def test_each_notice_is_one_sentence_in_each_language(client, actions, noticed, language):
    actions.login(noticed)
    choose(client, language)
    page = page_of(client.get("/delegates/notices"))
    assert missing(page, SENTENCES[language]) == []
    if language == "zh_Hans_CN":  # the paragraph exactly as before: the name, a space, the sentence, the badge
        assert ("<p><span class=\"strong\">*伟斌</span> 代填人代为填报了您的学生/教职工个人健康申报 "
                "<span class=\"badge warn\">未读</span></p>") in page
    if language == "en":
        assert "了您的" not in page and "代为" not in page


# -- 医学观察 (operator) and the reader's 查阅记录 --------------------------------------------------------------------


@pytest.fixture
def observed(db):
    """李观察: under observation as a 密切接触者 (one of the operator's choices) and for a reason typed in."""
    person = make_person(db, "李观察")
    for reason in ("密切接触者", "社区排查"):
        observations.add(db.session, person.id, reason=reason, started_on=date(2026, 11, 6), unit="越秀区集中隔离点",
                         created_by_id=None, utc_now=app_clock.utcnow(), today=app_clock.today(), colour="red")
    db.session.commit()
    return person


def test_the_operators_observations_say_the_reasons_in_english(client, actions, db, observed):
    actions.login(make_person(db, "孙运营", is_operator=True))
    choose(client, "en")
    page = page_of(client.get(f"/operator/health/{observed.id}/observations"))
    assert "<span>Close contact<br>" in page and "<span>社区排查<br>" in page  # typed text stays as typed
    assert ('placeholder="e.g. Close contact, Inbound traveller, Arrival in Guangdong from a high-risk area, '
            'In centralised quarantine, In home quarantine"') in page
    choose(client, "zh_Hans_CN")
    page = page_of(client.get(f"/operator/health/{observed.id}/observations"))
    assert "<span>密切接触者<br>" in page
    assert 'placeholder="如：密切接触者、入境人员、疫情地高风险来粤人员、集中隔离人员、居家隔离人员"' in page


def test_the_operators_read_is_named_in_the_readers_language(client, actions, db, observed):
    actions.login(make_person(db, "孙运营", is_operator=True))
    assert client.get(f"/operator/health/{observed.id}/observations").status_code == 200
    actions.login(observed)
    assert " · 健康数据管理</span>" in page_of(client.get("/me/reads"))
    choose(client, "en")
    page = page_of(client.get("/me/reads"))
    assert " · Health data</span>" in page and "健康数据管理" not in page


# -- an old scan, said in the reader's language (and still 200) -----------------------------------------------------


def test_an_old_grid_scan_goes_back_to_the_scanner_in_english(client, actions, worker, resident, clock):  # noqa: F811
    actions.login(worker.person)
    url = scan(actions, worker.grid_id, resident)
    clock(app_clock.now() + scan_tickets.TTL * 2)
    actions.login(worker.person)
    choose(client, "en")
    response = client.get(url)
    assert response.status_code == 200 and "data-scanner" in text(response)
    assert "The scan result has expired. Scan again" in page_of(response)
    choose(client, TRADITIONAL)
    response = client.get(url)
    assert response.status_code == 200 and "掃碼結果已過期，請重新掃碼" in page_of(response)


def test_an_old_medical_ticket_goes_back_to_the_scanner_in_english(client, actions, medical_scene,  # noqa: F811
                                                                   clock):
    actions.login(medical_scene.doctor)
    url = ticket_url(actions, medical_scene.observed)
    clock(DEFAULT_NOW + timedelta(minutes=31))
    actions.login(medical_scene.doctor)
    choose(client, "en")
    response = client.get(url)
    assert response.status_code == 200 and "The scan result has expired. Scan again" in page_of(response)


def test_an_expired_code_at_the_scanner_is_said_in_the_readers_language(client, actions, medical_scene,  # noqa: F811
                                                                        clock):
    actions.login(medical_scene.doctor)
    old = code_url(medical_scene.observed)
    clock(DEFAULT_NOW + timedelta(minutes=3))
    choose(client, "en")
    response = actions.post("/medical/", {"code": old})
    assert response.status_code == 200
    assert html.unescape(field_error(text(response))) == "The QR code has expired. Please refresh and show it again"
    choose(client, TRADITIONAL)
    response = actions.post("/medical/", {"code": old})
    assert field_error(text(response)) == "二維碼已失效，請刷新後重新出示"


# -- 团体码's SMS codes ---------------------------------------------------------------------------------------------


def test_the_create_group_code_is_one_sentence_in_the_requests_language(client, actions, db, sms):
    actions.login(make_person(db, "李晓明"))
    choose(client, "en")
    assert send_code(actions).status_code == 200
    code = sms.last_code("13800000019")
    assert sms.texts[-1] == ("13800000019", f"You are about to create a group. Verification code {code}, valid for 5 "
                                            "minutes. If this was not you, do not share it.")
    choose(client, TRADITIONAL)
    send_code(actions, {"phone": "13800000029"})
    code = sms.last_code("13800000029")
    assert sms.texts[-1] == ("13800000029", f"您正在創建團體，驗證碼{code}，5分鐘內有效。如非本人操作，請勿告知他人。")


def test_the_join_group_code_is_one_sentence_in_the_requests_language(client, actions, db, sms):
    group = make_group(db, "李晓明")
    token = group_members.invite(db.session, group, group.creator_id, app_clock.utcnow()).token
    joiner = make_person(db, "张三丰")
    db.session.commit()
    actions.login(joiner)
    actions.post(f"/group/join/{token}/authorise", {"phone": "13800000039", "send_code": "1"})
    code = sms.last_code("13800000039")
    assert sms.texts[-1] == ("13800000039", f"您正在加入团体，验证码{code}，5分钟内有效。如非本人操作，请勿告知他人。")
    choose(client, "en")
    actions.post(f"/group/join/{token}/authorise", {"phone": "13800000049", "send_code": "1"})
    code = sms.last_code("13800000049")
    assert sms.texts[-1] == ("13800000049", f"You are about to join a group. Verification code {code}, valid for 5 "
                                            "minutes. If this was not you, do not share it.")


# -- 解除指引 -------------------------------------------------------------------------------------------------------

GUIDANCE_EN = ("When the medical observation is over, medical staff issue an electronic notice ending it, and the "
               "health code is restored.")


def test_the_guidance_an_observation_stores_is_said_in_the_readers_language(client, actions, observed):
    actions.login(observed)
    assert observations.GUIDANCE in page_of(client.get("/code/guidance"))
    choose(client, "en")
    response = client.get("/code/guidance")
    assert title(response) == "How to clear the code"
    assert GUIDANCE_EN in page_of(response) and observations.GUIDANCE not in page_of(response)
    choose(client, TRADITIONAL)
    assert "完成醫學觀察後，由醫護人員出具解除醫學觀察電子告知書，健康碼隨之恢復。" in page_of(
        client.get("/code/guidance"))


def test_a_group_members_guidance_is_said_in_the_readers_language(client, actions, db):
    group = make_group(db, "李晓明")
    member = make_group_member(db, group, "张三")
    member.code_colour, member.code_reason, member.code_guidance = "red", "密切接触者", observations.GUIDANCE
    creator = db.session.scalar(select(GroupMember).where(GroupMember.group_id == group.id,
                                                          GroupMember.role == CREATOR))
    db.session.commit()
    actions.login(creator.person)
    url = f"/group/{group.id}/members/{member.id}"
    assert f"<dd>{observations.GUIDANCE}</dd>" in page_of(client.get(url))
    choose(client, "en")
    page = page_of(client.get(url))
    assert f"<dd>{GUIDANCE_EN}</dd>" in page and "<dd>Close contact</dd>" in page


# -- a moment to the minute, a day ----------------------------------------------------------------------------------


def test_a_workers_message_is_dated_to_the_minute_in_each_language(client, actions, db, worker):  # noqa: F811
    db.session.add(Message(person_id=worker.person_id, kind="grid_dissolved", text="网格“二社区网格”已解散",
                           created_at=app_clock.utcnow()))
    db.session.commit()
    actions.login(worker.person)
    assert '<span class="muted small">2026-11-20 09:00</span>' in page_of(client.get("/grid/worker"))
    choose(client, "en")
    page = page_of(client.get("/grid/worker"))
    assert '<span class="strong">Grid dissolved</span>' in page
    assert '<span class="muted small">Nov 20, 2026 09:00</span>' in page
    choose(client, TRADITIONAL)
    assert '<span class="muted small">2026年11月20日 09:00</span>' in page_of(client.get("/grid/worker"))


def test_a_place_handover_and_a_binding_are_dated_in_each_language(client, actions, db):
    admin = make_person(db, "林场主", phone="13800000009")
    place = make_place(db, admin, "天河城", area_code="440106006", address="天河路1号", phone="13800000001")
    staff = make_place_staff(db, place, "张三")
    db.session.commit()
    actions.login(admin)
    assert actions.post(f"/places/{place.id}/members/{staff.id}/handover").status_code == 303
    assert places.HANDOVER_DAYS == 7  # so the offer runs to 11-27, 09:00 in Shanghai
    page = page_of(client.get(f"/places/{place.id}/members"))
    assert "（2026-11-27 09:00 前有效）" in page and "绑定于 2026-11-20" in page
    choose(client, "en")
    page = page_of(client.get(f"/places/{place.id}/members"))
    assert (f"Hand-over sent to {mask_name('张三')}; it takes effect once they confirm "
            "(valid until Nov 27, 2026 09:00)") in page
    assert "Linked on Nov 20, 2026" in page
    choose(client, TRADITIONAL)
    assert "（2026年11月27日 09:00 前有效）" in page_of(client.get(f"/places/{place.id}/members"))


def test_the_group_invitation_runs_to_a_minute_in_each_language(client, actions, db):
    group = make_group(db, "李晓明")
    creator = db.session.scalar(select(GroupMember).where(GroupMember.group_id == group.id,
                                                          GroupMember.role == CREATOR))
    db.session.commit()
    actions.login(creator.person)
    shown = location(actions.post(f"/group/{group.id}/invite", {"how": "link"}))
    assert "邀请链接24小时内有效，有效期至2026-11-21 09:00" in page_of(client.get(shown))
    choose(client, "en")
    page = page_of(client.get(shown))
    assert re.search(r"valid for 24 hours, until Nov 21, 2026 09:00<", page), page

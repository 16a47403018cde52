"""The reviewers' findings on issue 15's translation work, each beside its 简体中文 output (unchanged):

- what is stored for the operators (a 注销账号申请) is in the source language whatever the reader's;
- the area picker, cached publicly, varies on what chooses its language (Accept-Language);
- 查阅记录 translates the screens' constants only: a typed name that reads like one stays as typed;
- refusals told apart by their constant (`.reason`), never by a translated message;
- no glued sentences (a name beside its heading, the log of 医护人员, an identity form's placeholder), whole
  plurals keyed on what they count, a minute in the reader's language, and no stray whitespace in 简体中文.

Run with the catalogues built (`make translations`), as tests/blueprints/test_languages.py.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tests.blueprints.support import collapse, location, text
from tests.blueprints.test_grid_collect import resident, scan, worker  # noqa: F401 (fixtures)
from tests.blueprints.test_group_join import group, invite_token, join_data, joiner  # noqa: F401 (fixtures)
from tests.blueprints.test_group_join import send_code as send_join_code
from tests.blueprints.test_languages import choose
from tests.blueprints.test_languages_crossfile import noticed  # noqa: F401 (a fixture)
from tests.blueprints.test_languages_school import admin_scene  # noqa: F401 (a fixture)
from tests.blueprints.test_places_posters import live_token
from tests.conftest import Actions
from tests.factories import id_number, make_district_admin, make_org, make_person, make_place, make_place_staff
from tests.services.test_medical_notices import TODAY
from tests.services.test_medical_notices import issue as issue_notice
from tests.services.test_medical_notices import scene as notice_scene  # noqa: F401 (a fixture)
from yks_web import clock as app_clock
from yks_web.models import Feedback, ObservationNotice
from yks_web.models.medical import MedicalStaff
from yks_web.models.place import PlaceStaff
from yks_web.privacy import mask_name
from yks_web.services import audit, district_admins, groups, medical_notices, places
from yks_web.services.errors import DomainError
from yks_web.services.health_data import TableHealthData

TRADITIONAL = "zh_Hant_HK"


def page_of(response) -> str:
    """The page as a reader sees it: whitespace collapsed, entities unescaped (an apostrophe is &#39;)."""
    return html.unescape(collapse(text(response)))


# -- 1. the 注销账号申请 reaches the operators in the source language ------------------------------------------------


def test_an_english_readers_deletion_request_is_stored_in_chinese(client, db, actions):
    person = make_person(db, "郑申请", phone="13800000071")
    make_org(db, collector=person, name="高二(3)班")  # a role only the operators can end
    db.session.commit()
    actions.login(person)
    choose(client, "en")
    response = actions.post("/account/delete", {"request_deletion": "1"})
    assert response.status_code == 303
    stored = db.session.scalar(select(Feedback.text).where(Feedback.person_id == person.id))
    assert stored.startswith("【注销账号申请】郑申请（") and "须先处理：高二(3)班的采集员" in stored
    assert re.search(r"[A-Za-z]{3}", stored.split("）", 1)[1]) is None, stored  # no English after the ID
    page = page_of(client.get(location(response)))
    assert "Deletion request submitted. The operators will delete your account once they have dealt with it" in page
    assert "已提交注销申请" not in page


# -- 2. the area picker's cache keys ------------------------------------------------------------------------------


def test_the_area_picker_varies_on_accept_language(client):
    simplified = client.get("/areas/picker")
    english = client.get("/areas/picker", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert simplified.status_code == english.status_code == 200
    assert text(simplified) != text(english)  # the same URL, another language: a cache must tell them apart
    for response in (simplified, english):
        vary = {part.strip() for part in response.headers["Vary"].split(",")}
        assert {"HX-Request", "Cookie", "Accept-Language"} <= vary, response.headers["Vary"]
        assert response.headers["Cache-Control"] == "public, max-age=3600"


# -- 3. 查阅记录: only the screens' constants are translated ---------------------------------------------------------


def test_a_group_named_like_a_constant_is_shown_as_typed_in_english(client, db, actions):
    subject = make_person(db, "王被查")
    reader = make_person(db, "李查阅")
    for role, action, context in (("group_creator", "view_group_members", "家庭成员"),
                                  ("group_admin", "view_group_member", "其他"),
                                  ("family_owner", "view_health_code", "家庭成员")):
        audit.record(db.session, actor_id=reader.id, role=role, action=action, subject_ids=[subject.id],
                     utc_now=app_clock.utcnow(), context=context)
    db.session.commit()
    actions.login(subject)
    simplified = page_of(client.get("/me/reads"))
    assert simplified.count(" · 家庭成员</span>") == 2 and " · 其他</span>" in simplified
    choose(client, "en")
    english = page_of(client.get("/me/reads"))
    assert english.count(" · 家庭成员</span>") == 1  # the group's name, as typed
    assert " · 其他</span>" in english and " · Other</span>" not in english
    assert english.count(" · Family members</span>") == 1  # the family owner's screen, in English


def test_context_label_translates_only_the_screens_constants(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert audit.context_label("健康数据管理", "operator") == "Health data"
        assert audit.context_label("家庭成员", "family_owner") == "Family members"
        assert audit.context_label("家庭成员", "group_admin") == "家庭成员"
        assert audit.context_label("其他", "grid_worker") == "其他"
        assert audit.context_label("", "operator") == ""  # gettext("") would be the catalogue's header


# -- 4. refusals keep their constant ------------------------------------------------------------------------------


@pytest.mark.parametrize(("released_on", "reason", "english"), [
    (date(2026, 11, 21), medical_notices.RELEASED_LATER, "The release date cannot be later than today"),
    (date(2026, 11, 5), medical_notices.RELEASED_BEFORE,
     "The release date cannot be earlier than the start of the medical observation (2026-11-06)"),
])
def test_a_notice_refusal_keeps_its_constant_and_says_it_in_english(app, db, notice_scene,  # noqa: F811
                                                                     released_on, reason, english):
    with force_locale("en"), pytest.raises(medical_notices.NoticeRefused) as refused:
        issue_notice(db, notice_scene, released_on=released_on)
    assert refused.value.reason == reason and refused.value.message == english


def test_a_notice_for_an_observation_released_meanwhile_is_refused_with_its_constant(app, db,
                                                                                     notice_scene):  # noqa: F811
    class ReleasedMeanwhile(TableHealthData):
        def release_observation(self, *args, **kwargs):
            raise DomainError("released by another notice")

    with force_locale("en"), pytest.raises(medical_notices.NoticeRefused) as refused:
        medical_notices.issue(
            db.session, ReleasedMeanwhile(db.session), staff=notice_scene.staff, issuer_id=notice_scene.doctor.id,
            person=notice_scene.person, observation_id=notice_scene.observation_id, released_on=TODAY, remarks="",
            form_key="race", cap=50, utc_now=app_clock.utcnow(), local_now=app_clock.now())
    assert refused.value.reason == medical_notices.NOT_OPEN
    assert refused.value.message == "This medical observation has ended or does not exist. Please scan again"
    db.session.rollback()
    assert db.session.query(ObservationNotice).count() == 0


@pytest.mark.parametrize(("info", "reason", "english"), [
    (groups.GroupInfo("", "企业", "440105", "阅江西路118号"), "请填写团体名称", "Please enter the group name"),
    (groups.GroupInfo("名" * 51, "企业", "440105", "阅江西路118号"), "团体名称不能超过%(max)d个字",
     "A group name can be at most 50 characters"),
])
def test_a_group_refusal_keeps_its_constant(app, db, info, reason, english):
    creator = make_person(db, "李晓明")
    with force_locale("en"), pytest.raises(groups.GroupRefused) as refused:
        groups.create(db.session, creator.id, info, phone="13800000012", utc_now=app_clock.utcnow())
    assert refused.value.reason == reason and refused.value.message == english
    with force_locale("en"):  # the form's messages are the same words
        assert list(groups.info_errors(info).values()) == [english]


def test_a_gone_place_handover_goes_back_to_places_in_english(app, client, actions, db):
    admin = make_person(db, "林场主", phone="13800000009")
    place = make_place(db, admin, "天河城", area_code="440106006", address="天河路1号", phone="13800000001")
    staff = make_place_staff(db, place, "张三")
    db.session.commit()
    actions.login(admin)
    assert actions.post(f"/places/{place.id}/members/{staff.id}/handover").status_code == 303
    offer = places.pending_handover(db.session, place.id, app_clock.utcnow())
    db.session.get(PlaceStaff, staff.id).active = False  # the recipient left the place meanwhile
    db.session.commit()
    recipient = Actions(app.test_client())
    recipient.login(staff.person)
    choose(recipient.client, "en")
    response = recipient.post(f"/places/handover/{offer.id}/accept")
    assert response.status_code == 303 and location(response) == "/places/"
    assert "This hand-over is no longer valid" in page_of(recipient.client.get("/places/"))


def test_another_phone_is_said_beside_the_phone_field_in_english(client, db, actions, sms, group,  # noqa: F811
                                                                  joiner):  # noqa: F811
    token = invite_token(db, group)
    actions.login(joiner)
    choose(client, "en")
    page = text(send_join_code(actions, token))
    response = actions.post(f"/group/join/{token}/authorise", join_data(sms, page, phone="13900000001"))
    error = re.search(r'<p class="field-error" id="phone-error">(.*?)</p>', text(response))
    assert error, text(response)[-2000:]
    assert html.unescape(error.group(1)) == ("This is not the mobile number the code was sent to. "
                                             "Please get a new verification code")


# -- 5. an appointment with no level named ------------------------------------------------------------------------


def test_an_appointment_of_no_level_flashes_no_catalogue_header(client, db, actions, monkeypatch):
    district = make_district_admin(db, "何区管", "440106")
    number = id_number()
    make_person(db, "许镇管", number)
    db.session.commit()
    actions.login(district.person)
    choose(client, "en")
    monkeypatch.setattr(district_admins, "level_label", lambda code: "")
    done = actions.post("/grid/district", {"name": "许镇管", "id_type": "id_card", "id_number": number,
                                           "area": "440106006"})
    assert done.status_code == 303
    page = page_of(client.get(location(done)))
    assert "district administrator appointed: " in page
    assert "Project-Id-Version" not in page and "Content-Type" not in page


# -- 7. no stray whitespace in 简体中文 ------------------------------------------------------------------------------


def test_the_delegate_notices_keep_their_bytes(client, actions, noticed):  # noqa: F811
    actions.login(noticed)
    body = text(client.get("/delegates/notices"))
    assert '<article class="card row-card">\n  <p><span class="strong">' in body
    assert '<article class="card row-card">\n  \n' not in body


def test_the_notice_history_keeps_its_bytes(client, actions, db, notice_scene):  # noqa: F811
    with force_locale("zh_Hans_CN"):
        notice = issue_notice(db, notice_scene).notice
    db.session.commit()
    actions.login(notice_scene.person)
    response = client.get("/code/history/notices")
    assert response.status_code == 200
    body = text(response)
    assert re.search(r'alt="告知书核验二维码">\n  <p class="muted small">扫码或打开 <a class="link" href="[^"]+'
                     + notice.number + r'">', body), body[-2500:]


# -- 8.-11. whole sentences, a minute in the reader's language ----------------------------------------------------


@pytest.mark.parametrize(("language", "placeholder"), [
    ("zh_Hans_CN", "请填写家庭成员姓名"), (TRADITIONAL, "請填寫家庭成員姓名"),
    ("en", "Enter the family member's name"),
])
def test_the_family_form_asks_for_the_members_name_in_one_phrase(client, db, actions, language, placeholder):
    actions.login(make_person(db, "黄大文"))
    choose(client, language)
    assert f'placeholder="{placeholder}"' in page_of(client.get("/family/add"))


def test_a_handover_and_an_appointment_ask_for_the_name_in_one_phrase(client, db, actions):
    district = make_district_admin(db, "何区管", "440106")
    db.session.commit()
    actions.login(district.person)
    assert 'placeholder="请填写被任命人姓名"' in page_of(client.get("/grid/district"))
    choose(client, "en")
    assert 'placeholder="Enter the appointee\'s name"' in page_of(client.get("/grid/district"))


@pytest.mark.parametrize(("authorised", "language", "heading"), [
    (False, "zh_Hans_CN", "{name} 最近一次个人健康申报"),
    (True, "zh_Hans_CN", "{name} 全部个人健康申报"),
    (False, "en", "{name}'s latest health declaration"),
    (True, "en", "All of {name}'s health declarations"),
])
def test_the_collected_persons_declarations_are_headed_in_one_sentence(client, db, actions, worker,  # noqa: F811
                                                                         resident, authorised,  # noqa: F811
                                                                         language, heading):
    worker.authorised = authorised
    db.session.commit()
    actions.login(worker.person)
    url = scan(actions, worker.grid_id, resident)
    choose(client, language)
    page = page_of(client.get(f"{url}/health"))
    assert f'<p class="section-title">{heading.format(name=mask_name("林居民"))}</p>' in page


def test_the_medical_log_says_enabled_and_revoked_in_english(client, db, actions):
    actions.login(make_person(db, "孙运营", is_operator=True))
    actions.post("/operator/medical", {"name": "张医生", "phone": "13800000001", "unit": "越秀区人民医院",
                                       "position": "主治医师"})
    actions.post("/operator/medical", {"name": "李护士", "phone": "13800000002", "unit": "越秀区人民医院",
                                       "position": "护士"})
    staff = db.session.scalar(select(MedicalStaff).where(MedicalStaff.name == "李护士"))
    assert actions.post(f"/operator/medical/{staff.id}/revoke").status_code == 303
    page = page_of(client.get("/operator/medical"))
    assert "<span>开通 张医生（越秀区人民医院）</span>" in page and "<span>撤销 李护士（越秀区人民医院）</span>" in page
    choose(client, "en")
    page = page_of(client.get("/operator/medical"))
    assert "<span>Enabled 张医生 (越秀区人民医院)</span>" in page
    assert "<span>Revoked 李护士 (越秀区人民医院)</span>" in page


@pytest.mark.parametrize(("language", "shown"), [
    ("zh_Hans_CN", "2026-11-20 09:00"), (TRADITIONAL, "2026年11月20日 09:00"), ("en", "Nov 20, 2026 09:00")])
def test_the_checkin_time_is_the_minute_in_shanghai_in_each_language(client, db, actions, language, shown):
    place = make_place(db)
    token = live_token(db, place)
    actions.login(make_person(db, "黄恺"))
    choose(client, language)
    response = client.get(f"/p/{token}")
    assert response.status_code == 200
    assert re.search(rf"<dd>{re.escape(shown)}</dd>", text(response)), text(response)[:3000]


# -- 13. plurals keyed on what they count -------------------------------------------------------------------------


def test_one_teacher_row_not_imported_reads_one_row(client, db, actions, admin_scene):  # noqa: F811
    scene, admin = admin_scene
    actions.login(admin)
    school = scene.school.id
    choose(client, "en")
    template = client.get(f"/school/{school}/teachers/template.csv").get_data(as_text=True).lstrip("\ufeff")
    header, sample = template.splitlines()
    filled = header + "\n" + sample.replace("Dorian Lam", "Ada Chan") + "\nBad Row,Nowhere,英国\n"
    response = actions.post(f"/school/{school}/teachers/import",
                            {"file": (io.BytesIO(filled.encode()), "teachers.csv")},
                            content_type="multipart/form-data")
    body = collapse(text(client.get(location(response))))
    assert "Foreign teachers imported: <strong>1</strong>; 1 row not imported." in body
    choose(client, "zh_Hans_CN")
    assert "成功导入 <strong>1</strong> 名外籍教师，1 行未导入。" in collapse(text(client.get(location(response))))


@pytest.mark.parametrize(("rows", "english"), [
    ("2,李护士,12345,越秀区人民医院,护士\n", "Medical staff enabled: <strong>1</strong>; 1 row not imported."),
    ("2,李护士,12345,越秀区人民医院,护士\n3,王护士,1,越秀区人民医院,护士\n",
     "Medical staff enabled: <strong>1</strong>; 2 rows not imported."),
])
def test_medical_rows_not_imported_are_counted_in_english(client, db, actions, rows, english):
    actions.login(make_person(db, "孙运营", is_operator=True))
    data = ("序号,姓名,联系电话,单位名称,职位\n1,张医生,13800000001,越秀区人民医院,主治医师\n" + rows).encode()
    choose(client, "en")
    response = actions.post("/operator/medical/import", {"file": (io.BytesIO(data), "名单.csv")},
                            content_type="multipart/form-data")
    assert response.status_code == 303
    assert english in collapse(text(client.get("/operator/medical/import")))
    choose(client, "zh_Hans_CN")
    failed = rows.count("\n")
    assert f"成功开通 <strong>1</strong> 名医护人员，{failed} 行未导入。" in collapse(
        text(client.get("/operator/medical/import")))

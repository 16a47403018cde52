"""解除医学观察电子告知书 (SPEC O7, H4; issue 11 items 5, 6): the scan's ticket, numbers that are not guessable,
issuing (the observation released through the provider, the audit row), the daily cap and its alert, finding a
notice for the verification page, and its PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pypdfium2 as pdfium
import pytest

from tests.blueprints.code_qr import decoded
from tests.blueprints.support import count
from tests.factories import make_person
from yks_web import clock
from yks_web.models import AuditLog, ObservationNotice
from yks_web.models.medical import VIA_CLI, MedicalAlert, MedicalStaff
from yks_web.models.people import Person
from yks_web.services import medical_notices, medical_staff, notice_pdf, observations, scan_tickets
from yks_web.services.health_data import TableHealthData

SECRET = "test-secret"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=clock.TZ)
UTC_NOW = datetime(2026, 11, 20, 1, 0)
TODAY = date(2026, 11, 20)


@dataclass
class Scene:
    doctor: Person
    staff: MedicalStaff
    person: Person
    observation_id: int


@pytest.fixture
def scene(db) -> Scene:
    doctor = make_person(db, "张医生", phone="13800000001")
    values, _ = medical_staff.clean({"name": "张医生", "phone": "13800000001", "unit": "越秀区人民医院",
                                     "position": "主治医师"})
    staff = medical_staff.enable(db.session, values, actor_id=None, via=VIA_CLI, utc_now=UTC_NOW)
    person = make_person(db, "李观察")
    row = observations.add(db.session, person.id, reason="密切接触者", started_on=date(2026, 11, 6),
                           unit="越秀区集中隔离点", created_by_id=None, utc_now=UTC_NOW, today=TODAY, colour="red")
    return Scene(doctor, staff, person, row.id)


def issue(db, scene: Scene, *, person=None, observation_id=None, form_key="k1", cap=50, released_on=TODAY,
          utc_now=UTC_NOW, local_now=NOW):
    return medical_notices.issue(
        db.session, TableHealthData(db.session), staff=scene.staff, issuer_id=scene.doctor.id,
        person=person or scene.person, observation_id=observation_id or scene.observation_id,
        released_on=released_on, remarks=" 观察期满 ", form_key=form_key, cap=cap, utc_now=utc_now,
        local_now=local_now)


# -- ticket ------------------------------------------------------------------------------------------------------


def test_o9_a_ticket_opens_for_its_staff_member_while_live():
    ticket = medical_notices.seal_ticket(staff_person_id=7, person_id=42, now=NOW, secret=SECRET)
    opened = medical_notices.open_ticket(ticket, staff_person_id=7, now=NOW + timedelta(minutes=29), secret=SECRET)
    assert (opened.staff_person_id, opened.person_id) == (7, 42) and opened.form_key.startswith("medical:")
    with pytest.raises(medical_notices.TicketRefused) as other:
        medical_notices.open_ticket(ticket, staff_person_id=8, now=NOW, secret=SECRET)
    assert other.value.message == medical_notices.NOT_YOURS
    with pytest.raises(medical_notices.TicketRefused) as old:
        medical_notices.open_ticket(ticket, staff_person_id=7, now=NOW + timedelta(minutes=31), secret=SECRET)
    assert old.value.message == scan_tickets.EXPIRED


@pytest.mark.parametrize("forge", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
    lambda t: t + "A",
    lambda t: "x",
    lambda t: scan_tickets.seal(place_id=1, person_id=42, inspector_id=7, now=NOW, secret=SECRET),  # a place's
])
def test_o9_a_forged_or_foreign_ticket_is_refused(forge):
    ticket = medical_notices.seal_ticket(staff_person_id=7, person_id=42, now=NOW, secret=SECRET)
    with pytest.raises(medical_notices.TicketRefused) as refused:
        medical_notices.open_ticket(forge(ticket), staff_person_id=7, now=NOW, secret=SECRET)
    assert refused.value.message == scan_tickets.INVALID


# -- numbers -----------------------------------------------------------------------------------------------------


def test_item6_numbers_are_dated_random_and_not_sequential():
    numbers = {medical_notices.new_number(TODAY) for _ in range(500)}
    assert len(numbers) == 500
    assert all(re.fullmatch(r"JG20261120[23456789A-HJ-NP-Z]{6}", n) for n in numbers)
    assert medical_notices.normalise_number(" jg2026-1120 abc234 ") == "JG20261120ABC234"
    for wrong in ("JG20261120ABC23", "JG20261120ABC2340", "JG20261120ABCO34", "XX20261120ABC234", "", None):
        assert medical_notices.normalise_number(wrong) is None


# -- issuing -----------------------------------------------------------------------------------------------------


def test_item5_issuing_numbers_the_notice_releases_the_observation_and_greens_the_code(db, scene):
    issued = issue(db, scene)
    notice = issued.notice
    assert not issued.repeated and medical_notices.NUMBER.fullmatch(notice.number)
    assert (notice.person_id, notice.issuer_id, notice.staff_id) == (scene.person.id, scene.doctor.id, scene.staff.id)
    assert (notice.institution, notice.issuer_name, notice.reason) == ("越秀区人民医院", "张医生", "密切接触者")
    assert (notice.observed_since, notice.released_on, notice.remarks) == (date(2026, 11, 6), TODAY, "观察期满")
    assert notice.content == ("因密切接触者，自2026年11月6日起在越秀区集中隔离点接受医学观察，经评估已符合解除医学观察"
                              "条件，于2026年11月20日解除医学观察。")
    assert TableHealthData(db.session).observations(scene.person.id) == []
    assert TableHealthData(db.session).status(scene.person.id).colour == "green"
    released = db.session.get(observations.MedicalObservation, scene.observation_id)
    assert released.released_notice_id == notice.id and released.released_notice.number == notice.number
    audit = db.session.query(AuditLog).one()
    assert (audit.actor_id, audit.subject_id, audit.role, audit.action, audit.context) == (
        scene.doctor.id, scene.person.id, "medical_staff", "issue_notice", "越秀区人民医院")


def test_item5_the_same_submit_again_is_the_same_notice(db, scene):
    first = issue(db, scene).notice
    again = issue(db, scene)
    assert again.repeated and again.notice.id == first.id
    assert count(db, ObservationNotice) == 1


def test_item5_a_released_or_foreign_observation_is_refused(db, scene):
    issue(db, scene)
    with pytest.raises(medical_notices.NoticeRefused):
        issue(db, scene, form_key="k2")
    stranger = make_person(db, "王五")
    with pytest.raises(medical_notices.NoticeRefused):
        issue(db, scene, person=stranger, form_key="k3")


@pytest.mark.parametrize("released_on, message", [
    (date(2026, 11, 5), "解除日期不能早于医学观察开始日期（2026-11-06）"),
    (date(2026, 11, 21), "解除日期不能晚于今天"),
])
def test_item5_an_impossible_release_date_is_refused(db, scene, released_on, message):
    with pytest.raises(medical_notices.NoticeRefused) as refused:
        issue(db, scene, released_on=released_on)
    assert refused.value.message == message


def more_people(db, n):
    people = []
    for i in range(n):
        person = make_person(db, f"观察{'一二三四五六七八九'[i]}")
        row = observations.add(db.session, person.id, reason="入境人员", started_on=date(2026, 11, 6), unit="",
                               created_by_id=None, utc_now=UTC_NOW, today=TODAY)
        people.append((person, row.id))
    return people


def test_item6_the_daily_cap_refuses_beyond_it_and_alerts_the_operator_once(db, scene):
    people = more_people(db, 4)
    for i, (person, observation_id) in enumerate(people[:3]):
        issue(db, scene, person=person, observation_id=observation_id, form_key=f"cap{i}", cap=3)
    alerts = db.session.query(MedicalAlert).all()
    assert [(a.person_id, a.staff_id, a.day, a.cap) for a in alerts] == [(scene.doctor.id, scene.staff.id, TODAY, 3)]
    person, observation_id = people[3]
    for key in ("late1", "late2"):
        with pytest.raises(medical_notices.CapReached) as refused:
            issue(db, scene, person=person, observation_id=observation_id, form_key=key, cap=3)
        assert refused.value.message == medical_notices.cap_message(3)
    assert count(db, MedicalAlert) == 1 and count(db, ObservationNotice) == 3
    assert TableHealthData(db.session).observations(person.id)  # still under observation
    tomorrow = (datetime(2026, 11, 21, 9, 0, tzinfo=clock.TZ), datetime(2026, 11, 21, 1, 0))
    issue(db, scene, person=person, observation_id=observation_id, form_key="next", cap=3, local_now=tomorrow[0],
          utc_now=tomorrow[1])
    assert medical_notices.issued_on_day(db.session, scene.doctor.id, date(2026, 11, 21)) == 1


def test_item6_a_refusal_beyond_a_lowered_cap_alerts_too(db, scene):
    person, observation_id = more_people(db, 1)[0]
    issue(db, scene, person=person, observation_id=observation_id, form_key="one", cap=5)
    assert count(db, MedicalAlert) == 0
    with pytest.raises(medical_notices.CapReached):
        issue(db, scene, cap=1)
    assert [a.cap for a in medical_notices.recent_alerts(db.session, TODAY)] == [1]
    assert medical_notices.recent_alerts(db.session, TODAY + timedelta(days=7)) == []


def test_item6_the_local_day_counts_not_the_utc_one(db, scene):
    """00:30 in Guangzhou is 16:30 UTC the day before: it counts for the Guangzhou day it was issued on."""
    issue(db, scene, local_now=datetime(2026, 11, 20, 0, 30, tzinfo=clock.TZ), utc_now=datetime(2026, 11, 19, 16, 30))
    assert medical_notices.issued_on_day(db.session, scene.doctor.id, TODAY) == 1
    assert medical_notices.issued_on_day(db.session, scene.doctor.id, date(2026, 11, 19)) == 0


# -- reading -----------------------------------------------------------------------------------------------------


def test_item6_find_by_number_and_the_staff_members_list(db, scene):
    notice = issue(db, scene).notice
    found = medical_notices.find(db.session, notice.number.lower())
    assert found.notice.id == notice.id and found.name == "李观察" and found.id_masked == scene.person.masked_id
    assert medical_notices.find(db.session, "JG20261120ABC234") is None
    assert medical_notices.find(db.session, "'; DROP TABLE x") is None
    assert [f.notice.id for f in medical_notices.issued_by(db.session, scene.doctor.id)] == [notice.id]
    assert medical_notices.issued_by(db.session, scene.person.id) == []
    assert medical_notices.issued_count(db.session, scene.doctor.id) == 1


def test_item6_the_pdf_has_the_number_the_words_and_a_qr_of_the_verification_page():
    url = "https://yks.test/n/JG20261120ABC234"
    body = notice_pdf.render(number="JG20261120ABC234", name="李观察", id_masked="44**************12",
                             body="因密切接触者，自2026年11月6日起接受医学观察。", remarks="观察期满",
                             institution="越秀区人民医院", issuer_name="张医生", issued_on=TODAY, verify_url=url,
                             revoked=False)
    page = pdfium.PdfDocument(body)[0]
    words = page.get_textpage().get_text_range()
    for expected in ("解除医学观察告知书", "编号：JG20261120ABC234", "李观察（证件号码：44**************12）",
                     "出具单位：越秀区人民医院", "医护人员：张医生", "出具日期：2026年11月20日", "备注：观察期满",
                     "扫码核验真伪"):
        assert expected in words, expected
    assert "已撤销" not in words
    image = page.render(scale=150 / 72).to_pil().convert("L")
    assert decoded(image) == [url]
    revoked = notice_pdf.render(number="JG20261120ABC234", name="李观察", id_masked="44**", body="…", remarks="",
                                institution="院", issuer_name="张", issued_on=TODAY, verify_url=url, revoked=True)
    assert "本告知书已撤销" in pdfium.PdfDocument(revoked)[0].get_textpage().get_text_range()


def test_o7_an_observation_released_by_another_notice_meanwhile_is_refused_not_a_500(db, scene, monkeypatch):
    """Two staff members scan the same person: the second 【提交】 finds the observation released by the first
    between reading it and releasing it, and is told so (the caller rolls back)."""
    listed = TableHealthData(db.session).observations(scene.person.id)
    first = issue(db, scene, form_key="first")
    assert not first.repeated
    monkeypatch.setattr(TableHealthData, "observations", lambda self, person_id: listed)  # read before the release
    with pytest.raises(medical_notices.NoticeRefused):
        issue(db, scene, form_key="second")


def test_o7_the_twin_of_a_double_tap_waiting_on_the_lock_gets_the_first_notice(db, scene, monkeypatch):
    """The form_key look-up before the lock misses the twin committed meanwhile; the one after the lock finds it."""
    first = issue(db, scene, form_key="twin")
    real = medical_notices.issued_for_scan
    looks = []
    monkeypatch.setattr(medical_notices, "issued_for_scan",
                        lambda *a: real(*a) if looks.append(a) or len(looks) > 1 else None)  # first look: None
    again = issue(db, scene, form_key="twin")
    assert again.repeated and again.notice.id == first.notice.id and len(looks) == 2

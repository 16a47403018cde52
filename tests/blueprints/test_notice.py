"""A 解除医学观察电子告知书 is verifiable (SPEC O7, H4; issue 11 item 6): /n/<number> for anyone, without logging in —
genuine → 单位名称, date, masked name, 有效 or 已撤销; a forged or unknown number → 未找到该告知书 (404); the person's
【下载PDF】, for them or a consented family owner only."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
import pytest

from tests.blueprints.support import assert_fragment, assert_whole_page, collapse, count, text
from tests.factories import make_person
from tests.family_helpers import make_family_link
from yks_web import clock as app_clock
from yks_web.models import AuditLog, ObservationNotice, Person
from yks_web.models.medical import VIA_CLI
from yks_web.services import medical_notices, medical_staff, observations
from yks_web.services.health_data import TableHealthData
from yks_web.services.rate_limits import Limit

HTMX = {"HX-Request": "true"}


@pytest.fixture
def notice(db) -> ObservationNotice:
    doctor = make_person(db, "张医生", phone="13800000001")
    values, _ = medical_staff.clean({"name": "张医生", "phone": "13800000001", "unit": "越秀区人民医院",
                                     "position": "主治医师"})
    staff = medical_staff.enable(db.session, values, actor_id=None, via=VIA_CLI, utc_now=app_clock.utcnow())
    person = make_person(db, "李观察")
    row = observations.add(db.session, person.id, reason="密切接触者", started_on=date(2026, 11, 6), unit="",
                           created_by_id=None, utc_now=app_clock.utcnow(), today=app_clock.today(), colour="red")
    issued = medical_notices.issue(
        db.session, TableHealthData(db.session), staff=staff, issuer_id=doctor.id, person=person,
        observation_id=row.id, released_on=date(2026, 11, 20), remarks="", form_key="k", cap=50,
        utc_now=app_clock.utcnow(), local_now=app_clock.now())
    db.session.commit()
    return issued.notice


def test_item6_anyone_verifies_a_genuine_notice_without_logging_in(client, db, notice):
    response = client.get(f"/n/{notice.number}")
    assert_whole_page(response)
    page = collapse(text(response))
    assert "该告知书真实有效" in page and "<dt>状态</dt><dd>有效</dd>" in page
    assert notice.number in page and "越秀区人民医院" in page and "*观察" in page and "李观察" not in page
    assert "<dt>出具日期</dt><dd>2026-11-20</dd>" in page and "<dt>解除医学观察日期</dt><dd>2026-11-20</dd>" in page
    assert_fragment(client.get(f"/n/{notice.number}", headers=HTMX))
    assert client.get(f"/n/{notice.number.lower()}").status_code == 200  # typed in lower case


def test_item6_a_revoked_notice_says_so(client, db, notice):
    notice.revoked_at = app_clock.utcnow()
    db.session.commit()
    page = text(client.get(f"/n/{notice.number}"))
    assert "该告知书已撤销" in page and "<dt>状态</dt><dd>已撤销</dd>" in page and "真实有效" not in page


@pytest.mark.parametrize("number", ["JG20261120ABC234", "JG20261120ABCDE", "nonsense", "%E4%B8%AD" * 40, "1"])
def test_item6_a_forged_or_unknown_number_is_not_found(client, db, notice, number):
    response = client.get(f"/n/{number}")
    assert_whole_page(response, status=404)
    assert "未找到该告知书，请核对编号" in text(response)
    assert_fragment(client.get(f"/n/{number}", headers=HTMX), status=404)


def test_item6_a_forged_number_like_a_real_one_is_not_found(client, db, notice):
    forged = notice.number[:-1] + ("2" if notice.number[-1] != "2" else "3")
    assert client.get(f"/n/{forged}").status_code == 404


def test_item6_verifying_is_rate_limited_per_address(client, db, notice, monkeypatch):
    monkeypatch.setattr(medical_notices, "VERIFY_LIMIT", Limit("notice_verify", 2, medical_notices.VERIFY_LIMIT.window,
                                                               "查询过于频繁，请稍后再试"))
    assert client.get(f"/n/{notice.number}").status_code == 200
    assert client.get("/n/JG20261120ABC234").status_code == 404
    refused = client.get(f"/n/{notice.number}")
    assert refused.status_code == 429 and "查询过于频繁，请稍后再试" in text(refused)


def pdf_text(response) -> str:
    return pdfium.PdfDocument(response.get_data())[0].get_textpage().get_text_range()


def test_item6_the_person_downloads_the_pdf(client, actions, db, notice):
    actions.login(db.session.get(Person, notice.person_id))
    response = client.get(f"/n/{notice.number}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f'filename="{notice.number}.pdf"' in response.headers["Content-Disposition"]
    words = pdf_text(response)
    assert f"编号：{notice.number}" in words and "李观察" in words and "出具单位：越秀区人民医院" in words
    assert count(db, AuditLog, AuditLog.action == "download_notice") == 0  # one's own: no read of another


def test_item6_a_consented_family_owner_downloads_it_and_the_read_is_recorded(client, actions, db, notice):
    owner = make_person(db, "李家长")
    make_family_link(db, owner, db.session.get(Person, notice.person_id))
    db.session.commit()
    actions.login(owner)
    history = text(client.get(f"/code/history/notices?member={notice.person_id}"))
    assert notice.number in history and f'href="/n/{notice.number}/pdf"' in history
    assert client.get(f"/n/{notice.number}/pdf").status_code == 200
    client.get(f"/n/{notice.number}/pdf")
    reads = db.session.query(AuditLog).filter_by(action="download_notice").all()
    assert [(r.actor_id, r.subject_id, r.role) for r in reads] == [(owner.id, notice.person_id, "family_owner")]


def test_item6_nobody_else_downloads_it(client, actions, db, notice):
    assert client.get(f"/n/{notice.number}/pdf").status_code in (302, 303)  # log in first
    pending_owner = make_person(db, "陌生人")
    make_family_link(db, pending_owner, db.session.get(Person, notice.person_id), consented=False)
    doctor = db.session.get(Person, notice.issuer_id)
    db.session.commit()
    for someone in (pending_owner, doctor):
        actions.login(someone)
        assert client.get(f"/n/{notice.number}/pdf").status_code == 404
    assert client.get("/n/JG20261120ABC234/pdf").status_code == 404


def test_h4_the_history_shows_a_revoked_notice_as_revoked(client, actions, db, notice):
    notice.revoked_at = app_clock.utcnow()
    db.session.commit()
    actions.login(db.session.get(Person, notice.person_id))
    page = text(client.get("/code/history/notices"))
    assert notice.number in page and "已撤销" in page
    assert "本告知书已撤销" in pdf_text(client.get(f"/n/{notice.number}/pdf"))

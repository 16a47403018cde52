"""The benchmark's stack ceiling (bench/ceiling.py, issue 14 item 1) writes declarations the app's schema accepts
and the app shows as 提交成功, in one INSERT…SELECT that checks the cookie's login session; it refuses a replayed
form_key, a CSRF token of another session, another person's declaration and an ended session. If the declaration
table gains a column the ceiling does not fill, this fails here rather than in `make bench`. SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select

from bench import ceiling, forms
from bench.sessions import USER_AGENT, csrf_token, session_cookie
from tests.factories import make_org
from yks_web import clock
from yks_web.models import Declaration
from yks_web.models.sessions import LoginSession
from yks_web.services import membership


@pytest.fixture
def lean(app):
    ceiling.configure(app.config["SECRET_KEY"], app.config["SQLALCHEMY_DATABASE_URI"])
    yield ceiling.app.test_client()
    ceiling.close()


def test_the_ceiling_writes_a_declaration_the_app_shows_and_refuses_what_it_must(app, db, client, lean):
    org = make_org(db, members=2)
    me, other = membership.member_ids(db.session, org.id)[:2]
    org_id = org.id
    db.session.commit()
    cookie = session_cookie(app, me)  # commits my LoginSession row
    lean.set_cookie("session", cookie)
    client.set_cookie("session", cookie, domain="yks.test")
    key = uuid.uuid4().hex
    body = forms.answers(temperature="36.7") | {"csrf_token": csrf_token(app, me), "form_key": key}

    def post(person: int = me, by=lean, **changes):
        path = f"/declare/org/{org_id}/person/{person}"
        return by.post(path, data=body | changes, headers={"User-Agent": USER_AGENT})

    done = post()
    assert done.status_code == 303
    row = db.session.scalar(select(Declaration).where(Declaration.form_key == key))
    assert done.headers["Location"] == f"/declare/done/{row.id}"
    assert (row.organisation_id, row.person_id, row.actor_id) == (org_id, me, me)
    assert (row.source, row.changed) == ("self", False)
    assert row.day == clock.today() and row.temperature == Decimal("36.7") and row.temperature_band is None
    assert (row.stay_on_campus, row.returned, row.health_status, row.remarks) == (False, True, "健康", "")
    page = client.get(done.headers["Location"], headers={"User-Agent": USER_AGENT})
    assert page.status_code == 200 and "提交成功" in page.get_data(as_text=True)

    assert post().status_code == 409  # the same form_key again
    assert post(form_key=uuid.uuid4().hex, csrf_token=csrf_token(app, other)).status_code == 400
    assert post(other, form_key=uuid.uuid4().hex).status_code == 403
    assert post(form_key=uuid.uuid4().hex, by=ceiling.app.test_client()).status_code == 403  # no cookie
    db.session.execute(delete(LoginSession).where(LoginSession.person_id == me))  # 退出所有设备
    db.session.commit()
    assert post(form_key=uuid.uuid4().hex).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Declaration).where(Declaration.person_id == me,
                                                                                Declaration.day == clock.today())) == 1

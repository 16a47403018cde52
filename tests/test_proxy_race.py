"""S6's 2-proxy limit under parallel requests (issue 8 item 6): five proxies confirm one declarant at
the same moment, each in its own thread, app context and connection. Afterwards the database holds
exactly two active bindings and the other three were refused with the guide's message. Runs on
SQLite and on PostgreSQL (DATABASE_URL), as the deadline crush does."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from tests.factories import make_org, make_person
from yks_web import clock
from yks_web.models import Organisation, Person, ProxyBinding
from yks_web.services import membership


def test_s6_two_proxy_limit_holds_when_five_proxies_confirm_at_once(app, db):
    org = make_org(db)
    declarant = make_person(db, "李同学")
    proxies = [make_person(db, f"家长{n}") for n in range(5)]
    org_id, declarant_id, proxy_ids = org.id, declarant.id, [p.id for p in proxies]
    db.session.commit()
    gate = threading.Barrier(len(proxy_ids))

    def confirm(proxy_id: int):
        with app.app_context():
            try:
                # What the 【下一步】 view has loaded before it binds: the organisation and both people.
                org_row = db.session.get(Organisation, org_id)
                proxy = db.session.get(Person, proxy_id)
                person = db.session.get(Person, declarant_id)
                gate.wait(timeout=10)
                membership.bind_proxy(db.session, org_row, proxy, person, clock.utcnow())
                db.session.commit()
                return "bound"
            except membership.MembershipError as refusal:
                db.session.rollback()
                return refusal.message
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(proxy_ids)) as pool:
        results = list(pool.map(confirm, proxy_ids))

    assert results.count("bound") == membership.MAX_PROXIES
    assert sorted(set(results) - {"bound"}) == [membership.PROXY_LIMIT]
    db.session.expire_all()
    active = db.session.scalar(select(func.count()).select_from(ProxyBinding).where(
        ProxyBinding.declarant_id == declarant_id, ProxyBinding.active.is_(True)))
    assert active == membership.MAX_PROXIES

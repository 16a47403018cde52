"""The SMS send limits under parallel requests (issue 8 item 6, SPEC I3): many sends at the same moment,
each in its own thread, app context and database connection, as gunicorn workers would. Afterwards the
database and the sender agree that the limits held. Runs on SQLite and on PostgreSQL (DATABASE_URL), as
the deadline crush does."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from tests.factories import id_number
from yks_web import clock
from yks_web.models import SmsSend
from yks_web.privacy import lookup_hash
from yks_web.services import sms
from yks_web.services.identity import make_identity

PHONE = "13812340019"
IP = "203.0.113.7"
# As many as the engine's pool lends at once (5 + 10 overflow), less the test's own connection.
PARALLEL = 14


def burst(app, db, requests: list[tuple[str, str]]) -> tuple[list[str], sms.RecordingSender]:
    """Send one code per (phone, address) in `requests`, all released at once; returns each outcome
    ("sent" or the refusal's message) and the sender that saw the messages."""
    sender = sms.RecordingSender()
    identity = make_identity("黄恺", "id_card", id_number())
    now = clock.utcnow()
    gate = threading.Barrier(len(requests))

    def send(request: tuple[str, str]) -> str:
        phone, ip = request
        with app.app_context():
            try:
                db.session.connection()  # each thread holds its own connection before the gate opens
                gate.wait(timeout=10)
                sms.issue_code(db.session, sender, identity, phone, ip, now)
                db.session.commit()
                return "sent"
            except sms.SmsError as refused:
                db.session.rollback()
                return refused.message
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        results = list(pool.map(send, requests))
    db.session.expire_all()
    return results, sender


def sends(db, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(SmsSend).where(*where))


def test_i3_parallel_sends_for_one_phone_send_one_code(app, db):
    """The 60-second interval: of 14 simultaneous 获取验证码 for one phone, one is sent."""
    results, sender = burst(app, db, [(PHONE, f"198.51.100.{n}") for n in range(PARALLEL)])
    assert results.count("sent") == 1, results
    assert all(r.startswith("验证码发送过于频繁") for r in results if r != "sent")
    assert sends(db, SmsSend.phone_hash == lookup_hash("phone", PHONE)) == 1
    assert len(sender.outbox) == 1


def test_i3_the_hourly_phone_limit_holds_in_parallel(app, db, monkeypatch):
    """Five an hour per phone: with the interval set aside, 14 simultaneous sends still send five."""
    monkeypatch.setattr(sms, "PHONE_INTERVAL", timedelta(0))
    results, sender = burst(app, db, [(PHONE, f"198.51.100.{n}") for n in range(PARALLEL)])
    assert results.count("sent") == sms.PHONE_PER_HOUR == 5, results
    assert set(results) - {"sent"} == {"该手机号获取验证码次数过多，请1小时后再试"}
    assert sends(db, SmsSend.phone_hash == lookup_hash("phone", PHONE)) == 5
    assert len(sender.outbox) == 5


def test_i3_the_address_limit_holds_in_parallel(app, db, monkeypatch):
    """Per address: 14 phones behind one address at once, with the address's limit at 3, send three."""
    monkeypatch.setattr(sms, "IP_PER_HOUR", 3)
    results, sender = burst(app, db, [(f"1391234{n:04d}", IP) for n in range(PARALLEL)])
    assert results.count("sent") == 3, results
    assert set(results) - {"sent"} == {"获取验证码次数过多，请稍后再试"}
    assert sends(db, SmsSend.ip == IP) == 3
    assert len(sender.outbox) == 3

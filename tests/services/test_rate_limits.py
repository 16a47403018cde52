"""Counted attempts (issue 8 item 3, SPEC I3, O8): limits per key, window, and parallel requests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from yks_web.models.security import RateEvent
from yks_web.services import rate_limits
from yks_web.services.rate_limits import Limit, RateLimited

NOW = datetime(2026, 11, 20, 1, 0)
THREE_A_MINUTE = Limit("test", 3, timedelta(minutes=1), "太快了")


def test_a_limit_refuses_the_attempt_after_the_count_with_its_message(db):
    for _ in range(3):
        rate_limits.hit(db.session, THREE_A_MINUTE, ["person:1"], NOW)
    with pytest.raises(RateLimited) as refused:
        rate_limits.hit(db.session, THREE_A_MINUTE, ["person:1"], NOW)
    assert refused.value.message == "太快了"


def test_each_key_counts_on_its_own_and_any_key_over_refuses(db):
    for _ in range(3):
        rate_limits.hit(db.session, THREE_A_MINUTE, ["person:1", "ip:10.0.0.1"], NOW)
    rate_limits.hit(db.session, THREE_A_MINUTE, ["person:2"], NOW)  # another account is not held back
    with pytest.raises(RateLimited):  # the shared address is over, whoever asks
        rate_limits.hit(db.session, THREE_A_MINUTE, ["person:3", "ip:10.0.0.1"], NOW)


def test_the_window_slides_and_refusals_are_not_counted(db):
    for _ in range(3):
        rate_limits.hit(db.session, THREE_A_MINUTE, ["person:1"], NOW)
    for _ in range(5):
        with pytest.raises(RateLimited):
            rate_limits.hit(db.session, THREE_A_MINUTE, ["person:1"], NOW + timedelta(seconds=30))
    rate_limits.hit(db.session, THREE_A_MINUTE, ["person:1"], NOW + timedelta(minutes=1, seconds=1))
    assert db.session.scalar(select(func.count()).select_from(RateEvent)) == 4


def test_keys_are_stored_hashed(db):
    rate_limits.hit(db.session, THREE_A_MINUTE, ["ip:203.0.113.9"], NOW)
    stored = db.session.scalar(select(RateEvent.key))
    assert "203.0.113.9" not in stored and len(stored) == 64


def test_prune_forgets_old_attempts(db):
    rate_limits.hit(db.session, THREE_A_MINUTE, ["person:1"], NOW - timedelta(days=2))
    rate_limits.hit(db.session, THREE_A_MINUTE, ["person:1"], NOW)
    assert rate_limits.prune(db.session, NOW - timedelta(days=1)) == 1


def test_parallel_attempts_never_pass_the_limit(app, db):
    """Check-then-insert under the key's write lock: 12 at once against a limit of 3 (both databases)."""
    db.session.commit()

    def attempt(_):
        with app.app_context():
            try:
                rate_limits.hit(db.session, THREE_A_MINUTE, ["person:race"], NOW)
                db.session.commit()
                return True
            except RateLimited:
                db.session.rollback()
                return False
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(attempt, range(12)))
    assert results.count(True) == 3
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(RateEvent)) == 3

"""The token inside a 粤康码 QR: signed, names the person, alive 2 minutes (SPEC H1, Q2)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from itsdangerous import Signer

from yks_web.clock import TZ
from yks_web.services import code_tokens
from yks_web.services.code_tokens import EXPIRED, REFRESH_SECONDS, TTL, TokenInvalid, issue, resolve

SECRET = "test-secret"
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)


def refused(token, now=T0, secret=SECRET) -> str:
    with pytest.raises(TokenInvalid) as excinfo:
        resolve(token, now, secret)
    return excinfo.value.message


def test_h1_issue_and_resolve_round_trip():
    token = issue(42, T0, SECRET)
    assert resolve(token, T0, SECRET) == 42
    assert resolve(token, T0 + timedelta(seconds=30), SECRET) == 42


def test_h1_token_never_carries_an_id_number_and_is_short():
    token = issue(7, T0, SECRET)
    assert len(token) <= 200
    assert token.split(".")[0] == "7"  # the database id, not 证件号码


def test_h1_tokens_issued_at_the_same_moment_differ():
    tokens = {issue(1, T0, SECRET) for _ in range(20)}
    assert len(tokens) == 20
    assert all(resolve(t, T0, SECRET) == 1 for t in tokens)


def test_h1_token_lives_two_minutes_and_the_page_refreshes_every_minute():
    assert TTL == timedelta(minutes=2)
    assert REFRESH_SECONDS == 60
    token = issue(5, T0, SECRET)
    assert resolve(token, T0 + TTL - timedelta(seconds=1), SECRET) == 5
    assert refused(token, T0 + TTL + timedelta(seconds=1)) == EXPIRED
    assert refused(token, T0 + timedelta(hours=1)) == EXPIRED


def test_h1_a_token_refreshed_a_minute_later_outlives_the_first():
    first = issue(5, T0, SECRET)
    second = issue(5, T0 + timedelta(seconds=REFRESH_SECONDS), SECRET)
    later = T0 + timedelta(seconds=150)
    assert refused(first, later) == EXPIRED
    assert resolve(second, later, SECRET) == 5


def test_h1_token_from_the_future_is_refused_beyond_a_small_skew():
    assert resolve(issue(3, T0 + timedelta(seconds=3), SECRET), T0, SECRET) == 3
    assert refused(issue(3, T0 + timedelta(minutes=10), SECRET), T0) == EXPIRED


def test_h1_token_from_another_secret_is_refused():
    assert refused(issue(9, T0, "another-secret")) == EXPIRED


def test_h1_tampered_person_id_is_refused():
    token = issue(1, T0, SECRET)
    _, rest = token.split(".", 1)
    assert refused("2." + rest) == EXPIRED


def test_h1_tampered_signature_is_refused():
    token = issue(1, T0, SECRET)
    last = "A" if token[-1] != "A" else "B"
    assert refused(token[:-1] + last) == EXPIRED
    assert refused(token.rsplit(".", 1)[0]) == EXPIRED


def test_h1_every_other_spelling_of_the_signature_is_refused():
    """One spelling per token: base64 padding-bit variants of the last character are not the same token."""
    token = issue(1, T0, SECRET)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for char in alphabet.replace(token[-1], ""):
        assert refused(token[:-1] + char) == EXPIRED, char


@pytest.mark.parametrize(
    "token",
    ["", None, "forged", "1", "1.2.3", "....", "粤康码", "1.1700000000.abcd.", "%00", "x" * 201, "1." * 150],
)
def test_q2_forged_malformed_or_overlong_token_is_refused(token):
    assert refused(token) == EXPIRED


def test_q2_overlong_token_is_refused_even_with_a_valid_prefix():
    token = issue(1, T0, SECRET)
    assert refused(token + "x" * (201 - len(token))) == EXPIRED


@pytest.mark.parametrize("payload", ["abc", "x.y.z", "1.2", "1.notatime.ab", "one.1700000000.ab"])
def test_q2_well_signed_but_malformed_payload_is_refused(payload):
    token = Signer(SECRET, salt="yks-health-code").sign(payload).decode()
    assert refused(token) == EXPIRED


def test_q2_token_signed_for_another_purpose_is_refused():
    """The same secret with another salt (e.g. another signed thing of the app) is not a code token."""
    token = Signer(SECRET, salt="something-else").sign(f"1.{int(T0.timestamp())}.abcd").decode()
    assert refused(token) == EXPIRED


def test_h1_expired_message_tells_what_to_do():
    assert TokenInvalid().message == EXPIRED == code_tokens.EXPIRED
    assert "刷新" in EXPIRED

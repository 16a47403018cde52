"""The token inside a 粤康码 QR: opaque, names the person, alive 2 minutes (SPEC H1, Q2; issue 8 item 8)."""

from __future__ import annotations

import base64
import binascii
import struct
from datetime import datetime, timedelta

import pytest

from yks_web.clock import TZ
from yks_web.services import code_tokens
from yks_web.services.code_tokens import EXPIRED, LENGTH, REFRESH_SECONDS, TTL, TokenInvalid, issue, resolve, seal

SECRET = "test-secret"
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def refused(token, now=T0, secret=SECRET) -> str:
    with pytest.raises(TokenInvalid) as excinfo:
        resolve(token, now, secret)
    return excinfo.value.message


def flip(token: str, index: int) -> str:
    """The token with one character changed to another of the alphabet."""
    char = token[index]
    other = ALPHABET[(ALPHABET.index(char) + 1) % len(ALPHABET)]
    return token[:index] + other + token[index + 1:]


def test_h1_issue_and_resolve_round_trip():
    token = issue(42, T0, SECRET)
    assert resolve(token, T0, SECRET) == 42
    assert resolve(token, T0 + timedelta(seconds=30), SECRET) == 42


def test_h1_token_is_short_enough_for_a_small_qr():
    token = issue(2**31 - 1, T0, SECRET)
    assert len(token) == LENGTH == 48
    assert set(token) <= set(ALPHABET)  # URL-safe as it is: /code/scan/<token>
    assert resolve(token, T0, SECRET) == 2**31 - 1


@pytest.mark.parametrize("person_id", [7, 4242, 123456789, 2**31 - 1])
def test_item8_token_does_not_reveal_the_person_id(person_id):
    """Issue 8 item 8: no decoding of the token shows the internal id — not as text, not as bytes in any order."""
    tokens = [issue(person_id, T0, SECRET) for _ in range(50)]
    for token in tokens:
        assert "." not in token  # the old clear "<id>.<time>.<random>" payload is gone
        if person_id >= 10**5:  # shorter digit runs turn up in random base64 by chance
            assert str(person_id) not in token
        raw = base64.urlsafe_b64decode(token)
        for needle in (struct.pack(">I", person_id), struct.pack("<I", person_id), str(person_id).encode()):
            if len(needle) >= 4:  # a shorter needle turns up in random bytes by chance
                assert needle not in raw
        with pytest.raises((binascii.Error, UnicodeDecodeError, ValueError)):
            base64.urlsafe_b64decode(token).decode("ascii")  # not a readable payload either
    assert len({token[:16] for token in tokens}) == len(tokens)  # nothing shared up front: a random nonce
    # Tokens of different people cannot be told apart by shape: same length, no common part.
    assert {len(issue(1, T0, SECRET)), len(issue(person_id, T0, SECRET))} == {LENGTH}


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


def test_h1_any_changed_character_is_refused():
    """Nonce, sealed id and time, or tag: change any one character and the token is not one of ours."""
    token = issue(1, T0, SECRET)
    for index in range(len(token)):
        assert refused(flip(token, index)) == EXPIRED, index


def test_h1_truncated_or_extended_token_is_refused():
    token = issue(1, T0, SECRET)
    assert refused(token[:-1]) == EXPIRED
    assert refused(token[:-4]) == EXPIRED
    assert refused(token + "A") == EXPIRED
    assert refused(token + "AAAA") == EXPIRED


def test_h1_every_other_spelling_of_the_token_is_refused():
    """One spelling per token: padding, standard-base64 characters or stray bytes do not make the same token."""
    token = issue(1, T0, SECRET)
    for char in ALPHABET.replace(token[-1], ""):
        assert refused(token[:-1] + char) == EXPIRED, char
    standard = base64.b64encode(base64.urlsafe_b64decode(token)).decode()
    if standard != token:
        assert refused(standard) == EXPIRED
    for variant in (token + "=", token + "==", " " + token, token[:24] + "\n" + token[24:], token.lower()):
        if variant != token:
            assert refused(variant) == EXPIRED, variant


@pytest.mark.parametrize(
    "token",
    ["", None, "forged", "1", "1.2.3", "....", "粤康码", "1.1700000000.abcd.", "%00", "x" * 201, "1." * 150,
     "A" * 48, "_" * 48, "粤" * 48, 12345],
)
def test_q2_forged_malformed_or_overlong_token_is_refused(token):
    assert refused(token) == EXPIRED


def test_q2_overlong_token_is_refused_even_with_a_valid_prefix():
    token = issue(1, T0, SECRET)
    assert refused(token + "x" * (201 - len(token))) == EXPIRED


@pytest.mark.parametrize("payload", [b"", b"abc", b"x.y.z", b"1.2", b"\x00" * 7, b"\x00" * 9, b"1.1700000000.ab"])
def test_q2_well_sealed_but_malformed_payload_is_refused(payload):
    assert refused(seal(payload, SECRET)) == EXPIRED


def test_q2_person_zero_is_refused():
    assert refused(seal(struct.pack(">II", 0, int(T0.timestamp())), SECRET)) == EXPIRED


def test_q2_token_sealed_for_another_purpose_is_refused():
    """The same secret under another purpose (another sealed thing of the app) is not a code token."""
    payload = struct.pack(">II", 1, int(T0.timestamp()))
    assert resolve(seal(payload, SECRET), T0, SECRET) == 1
    assert refused(seal(payload, SECRET, purpose=b"something-else")) == EXPIRED


def test_h1_expired_message_tells_what_to_do():
    assert TokenInvalid().message == EXPIRED == code_tokens.EXPIRED
    assert "刷新" in EXPIRED

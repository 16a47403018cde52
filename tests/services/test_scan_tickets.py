"""The 登记 screen's ticket (SPEC O3; issue 10 item 3): sealed, 10 minutes, this place's and this inspector's only."""

from __future__ import annotations

import base64
import struct
from datetime import datetime, timedelta

import pytest

from yks_web.clock import TZ
from yks_web.services import code_tokens, scan_tickets
from yks_web.services.scan_tickets import TicketRefused

SECRET = "test-secret"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)


def ticket(place_id=7, person_id=42, inspector_id=3, now=NOW, secret=SECRET) -> str:
    return scan_tickets.seal(place_id=place_id, person_id=person_id, inspector_id=inspector_id, now=now, secret=secret)


def refusal(call) -> str:
    with pytest.raises(TicketRefused) as refused:
        call()
    return refused.value.message


def test_o3_a_ticket_opens_to_its_fields_and_says_nothing_in_clear():
    sealed = ticket()
    opened = scan_tickets.open(sealed, NOW + timedelta(minutes=3), SECRET)
    assert (opened.place_id, opened.person_id, opened.inspector_id) == (7, 42, 3)
    assert opened.issued_at == NOW
    assert len(opened.nonce) == 8 and opened.form_key == opened.nonce.hex() and len(opened.form_key) == 16
    assert len(sealed) == 70
    plain = struct.pack(">III", 7, 42, 3)
    assert plain not in base64.urlsafe_b64decode(sealed + "==")  # encrypted, not merely signed
    assert set(sealed) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_o3_each_scan_has_its_own_key_so_a_double_tap_is_one_check_and_a_rescan_another():
    one, two = ticket(), ticket()
    assert one != two
    keys = {scan_tickets.open(t, NOW, SECRET).form_key for t in (one, two, one)}
    assert len(keys) == 2


def test_o3_a_ticket_lives_ten_minutes():
    sealed = ticket()
    assert scan_tickets.open(sealed, NOW + scan_tickets.TTL, SECRET).person_id == 42
    assert refusal(lambda: scan_tickets.open(sealed, NOW + scan_tickets.TTL + timedelta(seconds=1), SECRET)) \
        == scan_tickets.EXPIRED == "扫码结果已过期，请重新扫码"
    assert refusal(lambda: scan_tickets.open(sealed, NOW - timedelta(minutes=1), SECRET)) == scan_tickets.EXPIRED


@pytest.mark.parametrize("forged", [
    "", "x", "A" * 70, "A" * 71, "!" * 70, "A" * 69 + "=", None, 12345,
])
def test_o3_garbage_is_not_a_ticket(forged):
    assert refusal(lambda: scan_tickets.open(forged, NOW, SECRET)) == scan_tickets.INVALID


def test_o3_a_changed_character_another_key_or_a_health_code_token_is_refused():
    sealed = ticket()
    flipped = sealed[:30] + ("A" if sealed[30] != "A" else "B") + sealed[31:]
    assert refusal(lambda: scan_tickets.open(flipped, NOW, SECRET)) == scan_tickets.INVALID
    assert refusal(lambda: scan_tickets.open(sealed, NOW, "another-secret")) == scan_tickets.INVALID
    token = code_tokens.issue(42, NOW, SECRET)  # a 粤康码 token is never a ticket …
    assert refusal(lambda: scan_tickets.open(token, NOW, SECRET)) == scan_tickets.INVALID
    # … nor a well-sealed payload of the token's purpose, nor a ticket a token
    odd = code_tokens.seal(struct.pack(">IIII8s", 7, 42, 3, int(NOW.timestamp()), b"12345678"), SECRET)
    assert refusal(lambda: scan_tickets.open(odd, NOW, SECRET)) == scan_tickets.INVALID
    with pytest.raises(code_tokens.TokenInvalid):
        code_tokens.resolve(sealed, NOW, SECRET)


def test_o3_another_places_or_another_inspectors_ticket_is_not_this_ones():
    sealed = ticket(place_id=7, inspector_id=3)
    assert scan_tickets.open_for(sealed, place_id=7, inspector_id=3, now=NOW, secret=SECRET).person_id == 42
    for place_id, inspector_id in ((8, 3), (7, 4)):
        message = refusal(lambda p=place_id, i=inspector_id: scan_tickets.open_for(
            sealed, place_id=p, inspector_id=i, now=NOW, secret=SECRET))
        assert message == scan_tickets.NOT_HERE == "该扫码结果不属于本场所，请重新扫码"


def test_o3_whose_scan_it_is_is_said_before_its_age():
    sealed = ticket(place_id=7, inspector_id=3)
    later = NOW + timedelta(hours=1)
    assert refusal(lambda: scan_tickets.open_for(sealed, place_id=8, inspector_id=3, now=later, secret=SECRET)) \
        == scan_tickets.NOT_HERE
    assert refusal(lambda: scan_tickets.open_for(sealed, place_id=7, inspector_id=3, now=later, secret=SECRET)) \
        == scan_tickets.EXPIRED

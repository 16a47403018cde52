"""Invite links: operator → school admin, admin → collector, collector → member (SPEC W1–W3, S1)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_org, make_person, make_school
from yks_web.models import Invite
from yks_web.services import invites
from yks_web.services.invites import INVALID, REUSE_MARGIN, TTL, InviteInvalid, member_invite, resolve

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC


def rejected(db, token, kind=None, at=T0) -> str:
    with pytest.raises(InviteInvalid) as excinfo:
        resolve(db.session, token, kind, at)
    return excinfo.value.message


def card(db, org, at):
    return member_invite(db.session, org_id=org.id, school_id=org.school_id, creator_id=None, utc_now=at)


@pytest.mark.parametrize(("kind", "days"), [("school_admin", 7), ("collector", 7), ("member", 30)])
def test_create_and_resolve(db, kind, days):
    school = make_school(db)
    creator = make_person(db)
    invite = invites.create(db.session, kind=kind, school_id=school.id, utc_now=T0, created_by_id=creator.id)
    assert (invite.kind, invite.school_id, invite.created_by_id, invite.created_at) == (kind, school.id, creator.id, T0)
    assert invite.expires_at == T0 + timedelta(days=days) == T0 + TTL[kind]
    assert len(invite.token) >= 32 and len(invite.token) <= 64
    assert resolve(db.session, invite.token, kind, T0).id == invite.id
    assert resolve(db.session, invite.token, None, T0).id == invite.id


def test_tokens_are_unguessable_and_distinct(db):
    school = make_school(db)
    tokens = {invites.create(db.session, kind="collector", school_id=school.id, utc_now=T0).token for _ in range(20)}
    assert len(tokens) == 20


def test_member_invite_carries_the_organisation(db):
    org = make_org(db)
    invite = card(db, org, T0)
    resolved = resolve(db.session, invite.token, "member", T0)
    assert resolved.organisation.id == org.id and resolved.school.id == org.school_id


def test_expired_invite_refused(db):
    school = make_school(db)
    invite = invites.create(db.session, kind="collector", school_id=school.id, utc_now=T0)
    assert resolve(db.session, invite.token, "collector", invite.expires_at - timedelta(seconds=1)).id == invite.id
    assert rejected(db, invite.token, "collector", invite.expires_at) == INVALID
    assert rejected(db, invite.token, None, invite.expires_at + timedelta(days=1)) == INVALID


@pytest.mark.parametrize(
    ("made", "asked"), [("collector", "member"), ("member", "collector"), ("school_admin", "collector")]
)
def test_wrong_kind_refused(db, made, asked):
    school = make_school(db)
    invite = invites.create(db.session, kind=made, school_id=school.id, utc_now=T0)
    assert rejected(db, invite.token, asked) == INVALID


@pytest.mark.parametrize("token", ["", None, "forged-token", "A" * 32, "x" * 65, "x" * 10_000])
def test_forged_or_overlong_token_refused(db, token):
    make_school(db)
    assert rejected(db, token) == INVALID
    assert rejected(db, token, "member") == INVALID


def test_message_tells_what_to_do():
    assert InviteInvalid().message == INVALID
    assert "重新发送邀请卡片" in INVALID


# --- W3: the organisation's invite card is reused while it has a week to run ----------------------


def test_w3_member_invite_reused_while_more_than_a_week_left(db):
    org = make_org(db)
    first = card(db, org, T0)
    assert first.expires_at == T0 + timedelta(days=30)
    assert card(db, org, T0).id == first.id
    assert card(db, org, T0 + timedelta(days=22, hours=23)).id == first.id
    assert db.session.scalar(select(func.count()).select_from(Invite)) == 1


def test_w3_member_invite_renewed_with_a_week_or_less_left(db):
    org = make_org(db)
    first = card(db, org, T0)
    renew_at = first.expires_at - REUSE_MARGIN["member"]
    renewed = card(db, org, renew_at)
    assert renewed.id != first.id
    assert renewed.expires_at == renew_at + timedelta(days=30)
    assert card(db, org, renew_at + timedelta(days=1)).id == renewed.id
    # the old card, already sent in chats, keeps working until it expires
    assert resolve(db.session, first.token, "member", renew_at).id == first.id


def test_w3_member_invite_per_organisation(db):
    school = make_school(db)
    first, second = make_org(db, school), make_org(db, school, name="高一(2)班")
    assert card(db, first, T0).id != card(db, second, T0).id


def test_w3_member_invite_ignores_other_kinds(db):
    org = make_org(db)
    collector_invite = invites.create(db.session, kind="collector", school_id=org.school_id, utc_now=T0,
                                      organisation_id=org.id)
    assert card(db, org, T0).id != collector_invite.id
    assert card(db, org, T0).kind == "member"

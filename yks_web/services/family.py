"""家庭成员 (SPEC H3, I7; issue 8 item 2): show a child's or an elder's code from one's own phone.

No fixed limit. A link gives access only once it is consented: a minor is added by a guardian who
passes the verification service's guardian check; an elder without a phone by the household check;
any other adult agrees with a code sent to the phone they verified, or with 【同意】 on their own
account (services/consent.py). Until then the link is pending and shows nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import gettext
from yks_web.models.health import FAMILY_ACTIVE, FAMILY_PENDING, RELATIONS, FamilyMember
from yks_web.models.people import Person
from yks_web.services.errors import DomainError
from yks_web.services.identity import Identity, IdentityMismatch, claim_person, count_lookup, find_person
from yks_web.services.locks import lock_row
from yks_web.services.realname import NOT_GUARDIAN, RealNameVerifier


class FamilyError(DomainError):
    pass


def identity_of(person: Person) -> Identity:
    return Identity(person.name, person.id_type, person.id_number)


def members(session: Session, owner_id: int) -> list[FamilyMember]:
    """The members whose code the owner may show now (consented links), in the order added."""
    return list(
        session.scalars(
            select(FamilyMember)
            .options(joinedload(FamilyMember.member))
            .where(
                FamilyMember.owner_id == owner_id,
                FamilyMember.active.is_(True),
                FamilyMember.status == FAMILY_ACTIVE,
            )
            .order_by(FamilyMember.id)
        )
    )


def links(session: Session, owner_id: int) -> list[FamilyMember]:
    """管理家庭成员: consented members and the requests still waiting for the member's consent."""
    return list(
        session.scalars(
            select(FamilyMember)
            .options(joinedload(FamilyMember.member))
            .where(FamilyMember.owner_id == owner_id, FamilyMember.active.is_(True))
            .order_by(FamilyMember.id)
        )
    )


def consent(row: FamilyMember, basis: str, utc_now: datetime) -> FamilyMember:
    """Make the link give access, recording how it was consented to (I7)."""
    row.status, row.consent, row.consented_at = FAMILY_ACTIVE, basis, utc_now
    return row


def add(
    session: Session,
    owner: Person,
    identity: Identity,
    relation: str,
    *,
    verifier: RealNameVerifier,
    today: date,
    utc_now: datetime,
    ip: str | None = None,
) -> FamilyMember:
    """添加家庭成员 by identity; adding someone already there is not a second row.

    A minor: the owner must pass the guardian check, or nothing is added. An adult without a phone
    (none at the real-name source, none bound here) in the owner's household: active at once. Any
    other adult: a pending request (I7).
    With `ip` (the web path) the look-up is counted per account and per address first (issue 8
    item 3); every refusal comes before anything is written but that count, so the caller commits it.
    What the owner typed is only their claim (claim_person): the link keeps it as typed_name.
    """
    if relation not in RELATIONS:
        raise FamilyError(gettext("请选择与本人关系"))
    if ip is not None:
        count_lookup(session, actor_id=owner.id, ip=ip, utc_now=utc_now)
    lock_row(session, Person, owner.id)  # one owner's adds in turn: the unique (owner, member) check holds
    if (identity.id_type, identity.hash) == (owner.id_type, owner.id_hash):
        raise FamilyError(gettext("不能添加本人为家庭成员"))
    known = find_person(session, identity)
    if known is not None and known.name_verified_at is not None and known.name != identity.name:
        raise FamilyError(gettext(IdentityMismatch.message))  # the precise reason, before the guardian check's
    basis = ""
    if verifier.is_minor(identity, today):
        if not verifier.is_guardian(identity_of(owner), identity):
            raise FamilyError(gettext(NOT_GUARDIAN))
        basis = "guardian"
    # The household shortcut is for an elder without a phone: not when the real-name source holds one
    # for them (then the code or their own login is the way), nor when they have logged in here.
    if not basis and (known is None or known.phone_hash is None) and not verifier.has_phone(identity):
        if verifier.same_household(identity_of(owner), identity):
            basis = "household"
    try:
        person = claim_person(session, identity, utc_now=utc_now).person
    except IdentityMismatch as exc:
        raise FamilyError(gettext(exc.message)) from exc
    row = session.scalar(
        select(FamilyMember).where(FamilyMember.owner_id == owner.id, FamilyMember.member_id == person.id)
    )
    if row is None:
        row = FamilyMember(owner_id=owner.id, member_id=person.id, relation=relation, created_at=utc_now)
        session.add(row)
    elif row.active and row.status == FAMILY_ACTIVE:
        # what they typed: never another claim
        raise FamilyError(gettext("%(name)s已是您的家庭成员", name=identity.name))
    elif row.active and row.status == FAMILY_PENDING and not basis:
        raise FamilyError(gettext("已向%(name)s发出添加请求，正在等待对方同意", name=identity.name))
    row.active = True
    row.relation = relation
    row.typed_name = identity.name
    if basis:
        consent(row, basis, utc_now)
    else:  # a removed or refused link asks again: an earlier consent does not carry over
        row.status, row.consent, row.consented_at = FAMILY_PENDING, "", None
    session.flush()
    return row


def owned_link(session: Session, owner_id: int, family_member_id: int) -> FamilyMember | None:
    """The owner's own, not removed, link; None for anything else (the views answer 404, P7)."""
    row = session.get(FamilyMember, family_member_id)
    if row is None or row.owner_id != owner_id or not row.active:
        return None
    return row


def remove(session: Session, owner_id: int, family_member_id: int) -> FamilyMember | None:
    """The owner removes a member, or withdraws a pending request."""
    row = owned_link(session, owner_id, family_member_id)
    if row is not None:
        row.active = False
    return row


def consented_link(session: Session, owner_id: int, member_id: int) -> FamilyMember | None:
    """The owner's consented link to this member, with the member, in one query: the 出示粤康码 screens name
    the member by it (FamilyMember.shown_name, issue 8 item 1)."""
    return session.scalar(
        select(FamilyMember)
        .options(joinedload(FamilyMember.member))
        .where(
            FamilyMember.owner_id == owner_id,
            FamilyMember.member_id == member_id,
            FamilyMember.active.is_(True),
            FamilyMember.status == FAMILY_ACTIVE,
        )
    )


def may_show(session: Session, viewer_id: int, person_id: int) -> bool:
    """Whose code the viewer may show and declare for: their own, or a consented family member's (P7, I7)."""
    if viewer_id == person_id:
        return True
    return (
        session.scalar(
            select(FamilyMember.id).where(
                FamilyMember.owner_id == viewer_id,
                FamilyMember.member_id == person_id,
                FamilyMember.active.is_(True),
                FamilyMember.status == FAMILY_ACTIVE,
            )
        )
        is not None
    )

"""Joining and leaving organisations, and proxy bindings (SPEC S4–S10, W5, W7)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.people import Person
from yks_web.models.school import Membership, Organisation, ProxyBinding
from yks_web.services.errors import DomainError
from yks_web.services.identity import Claim, Identity, claim_person, count_lookup, find_person
from yks_web.services.locks import lock_key, lock_row

MAX_PROXIES = 2
PROXY_LIMIT = N_(
    "该申报人已有2位代填人，每个申报人最多可同时有2位代填人。"
    "请联系原代填人在“申报人列表”中【删除申报人】后，再为其填报。"
)
REMOVED_BY_DECLARANT = N_(
    "该申报人已取消您的代填权限，如需代填，请申报人本人在“个人中心 → 谁可以代我操作”中重新允许，"
    "或由申报人本人填报"
)
OTHER_ORG = N_("该用户已经是其他组织的成员")
OTHER_ORG_WAYS = (
    N_("可以让申报人本人登录粤省事，从粤康码进入学生个人健康申报服务选择“本人填报”进行申报；"),
    N_("或由班主任（采集员）直接在工作台为其【代填报】。"),
)


class MembershipError(DomainError):
    pass


def active_membership(session: Session, org_id: int, person_id: int) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.organisation_id == org_id,
            Membership.person_id == person_id,
            Membership.active.is_(True),
        )
    )


def join(session: Session, org: Organisation, person: Person, via: str, now: datetime) -> Membership:
    """Add `person` to `org` (or bring them back after leaving)."""
    membership = session.scalar(
        select(Membership).where(
            Membership.organisation_id == org.id, Membership.person_id == person.id
        )
    )
    if membership is None:
        membership = Membership(
            organisation_id=org.id, person_id=person.id, joined_via=via, joined_at=now
        )
        session.add(membership)
    elif not membership.active:
        membership.active = True
        membership.joined_via = via
        membership.joined_at = now
        membership.left_at = None
    session.flush()
    return membership


def leave(session: Session, membership: Membership, now: datetime) -> None:
    """退出组织 / 删除成员: the person no longer declares here; records stay (S9, W5)."""
    membership.active = False
    membership.left_at = now
    session.execute(
        update(ProxyBinding)
        .where(
            ProxyBinding.organisation_id == membership.organisation_id,
            ProxyBinding.declarant_id == membership.person_id,
        )
        .values(active=False)
    )


def check_other_org(session: Session, org: Organisation, declarant: Person) -> None:
    """S10: a proxy may not pull a member of another organisation of the same school."""
    other = session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(
            Membership.person_id == declarant.id,
            Membership.active.is_(True),
            Organisation.school_id == org.school_id,
            Organisation.id != org.id,
        )
    )
    if other:
        raise MembershipError(gettext(OTHER_ORG), tuple(gettext(way) for way in OTHER_ORG_WAYS))


def check_can_bind(session: Session, org: Organisation, proxy: Person, declarant: Person) -> None:
    """Raise MembershipError when proxy may not become declarant's 代填人 in org (S6, S10)."""
    if proxy.id == declarant.id:
        raise MembershipError(gettext("不能为本人代填报，请返回选择【本人填报】"))
    check_other_org(session, org, declarant)
    if active_binding(session, proxy.id, declarant.id, org.id) is not None:
        return
    if removed_by_declarant(session, proxy.id, declarant.id):
        raise MembershipError(gettext(REMOVED_BY_DECLARANT))
    proxies = session.scalar(
        select(func.count(func.distinct(ProxyBinding.proxy_id))).where(
            ProxyBinding.declarant_id == declarant.id,
            ProxyBinding.active.is_(True),
            ProxyBinding.proxy_id != proxy.id,
        )
    )
    if proxies >= MAX_PROXIES:
        raise MembershipError(gettext(PROXY_LIMIT))


def removed_by_declarant(session: Session, proxy_id: int, declarant_id: int) -> bool:
    """Whether the declarant removed this proxy on 谁可以代我操作 and has not 【重新允许】ed them since (P10).

    Whatever the organisation: the declarant removed the person, not one class's card.
    """
    return session.scalar(
        select(ProxyBinding.id).where(
            ProxyBinding.proxy_id == proxy_id,
            ProxyBinding.declarant_id == declarant_id,
            ProxyBinding.removed_by_declarant_at.is_not(None),
        ).limit(1)
    ) is not None


def claim_declarant(
    session: Session, org: Organisation, proxy: Person, identity: Identity, *, utc_now: datetime, ip: str
) -> Claim:
    """代他人填报 step one (S4): the declarant the proxy means, checked before anything but the look-up is written.

    The look-up is counted first (issue 8 item 3, RateLimited). A known 证件 is then matched (IdentityMismatch
    for a verified person under another name) and checked against S6, S10 and a declarant's removal
    (MembershipError); only an unknown 证件, which no limit can refuse, becomes a new unverified person. So the
    caller commits a refusal and keeps the count, and no person is left behind by it.
    """
    count_lookup(session, actor_id=proxy.id, ip=ip, utc_now=utc_now)
    lock_key(session, "person", identity.hash)  # as claim_person: two first claims of one 证件 make one person
    if find_person(session, identity) is None:
        return claim_person(session, identity, utc_now=utc_now)
    claim = claim_person(session, identity, utc_now=utc_now)  # finds the known person, never creates one
    check_can_bind(session, org, proxy, claim.person)
    return claim


def claim_member(
    session: Session, org: Organisation, actor_id: int, identity: Identity, via: str, *, utc_now: datetime, ip: str
) -> Membership:
    """手动添加 (W3) and 代他人申报 (W7): the collector's look-up is counted, then the person joins.

    RateLimited and IdentityMismatch are raised before anything but the count is written, so a refused
    attempt leaves no person behind; the collector's typed name is kept on the membership (issue 8 item 1).
    """
    count_lookup(session, actor_id=actor_id, ip=ip, utc_now=utc_now)
    person = claim_person(session, identity, utc_now=utc_now).person
    joined = join(session, org, person, via, utc_now)
    joined.typed_name = identity.name
    return joined


def bind_proxy(
    session: Session, org: Organisation, proxy: Person, declarant: Person, now: datetime, typed_name: str = ""
) -> ProxyBinding:
    """代他人填报: bind proxy ↔ declarant in org and make the declarant a member.

    `typed_name` is the proxy's own name for the declarant: kept on the binding, and on the membership
    when nobody of the organisation typed one before, so neither the proxy nor the collector sees another
    party's claim (issue 8 item 1).
    """
    # Lock the declarant first so two proxies binding at once cannot both pass the 2-proxy count
    # (S6, issue 8 item 6): FOR UPDATE on PostgreSQL, SQLite's write lock taken before the count.
    lock_row(session, Person, declarant.id)
    check_can_bind(session, org, proxy, declarant)
    binding = session.scalar(
        select(ProxyBinding).where(
            ProxyBinding.proxy_id == proxy.id,
            ProxyBinding.declarant_id == declarant.id,
            ProxyBinding.organisation_id == org.id,
        )
    )
    if binding is None:
        binding = ProxyBinding(
            proxy_id=proxy.id, declarant_id=declarant.id, organisation_id=org.id, created_at=now
        )
        session.add(binding)
    binding.active = True  # check_can_bind refused a binding the declarant removed: only a proxy's own unbind
    if typed_name:
        binding.typed_name = typed_name
    joined = join(session, org, declarant, "proxy", now)
    if typed_name and not joined.typed_name:
        joined.typed_name = typed_name
    return binding


def unbind_by_proxy(binding: ProxyBinding) -> None:
    """【删除申报人】 by the proxy themself (S5): not the declarant's removal, so they may bind again later."""
    binding.active = False


def declarant_list(session: Session, proxy_id: int) -> list[ProxyBinding]:
    """申报人列表: the proxy's active declarants, one row per (person, organisation) (S5, S7)."""
    return list(
        session.scalars(
            select(ProxyBinding)
            .options(joinedload(ProxyBinding.declarant), joinedload(ProxyBinding.organisation))
            .where(ProxyBinding.proxy_id == proxy_id, ProxyBinding.active.is_(True))
            .order_by(ProxyBinding.organisation_id, ProxyBinding.id)
        )
    )


def name_known_to(session: Session, viewer_id: int, person: Person, org_id: int) -> str:
    """The name `viewer` knows `person` by in this organisation (提交成功, issue 8 item 1): their own, the name
    on the viewer's proxy binding, else the organisation's (the collector's) membership claim."""
    if viewer_id == person.id:
        return person.name
    binding = session.scalar(
        select(ProxyBinding).where(
            ProxyBinding.proxy_id == viewer_id,
            ProxyBinding.declarant_id == person.id,
            ProxyBinding.organisation_id == org_id,
        )
    )
    if binding is not None:
        return person.name_for(binding.typed_name)[0]
    row = session.scalar(
        select(Membership).where(Membership.organisation_id == org_id, Membership.person_id == person.id)
    )
    return person.name_for(row.typed_name if row is not None else "")[0]


def active_binding(session: Session, proxy_id: int, declarant_id: int, org_id: int) -> ProxyBinding | None:
    return session.scalar(
        select(ProxyBinding).where(
            ProxyBinding.proxy_id == proxy_id,
            ProxyBinding.declarant_id == declarant_id,
            ProxyBinding.organisation_id == org_id,
            ProxyBinding.active.is_(True),
        )
    )


def select_active(org_id: int):
    return select(Membership).where(
        Membership.organisation_id == org_id, Membership.active.is_(True)
    )


def active_member_ids_query(org_id: int):
    return select(Membership.person_id).where(
        Membership.organisation_id == org_id, Membership.active.is_(True)
    )


def member_ids(session: Session, org_id: int) -> list[int]:
    return list(session.scalars(active_member_ids_query(org_id).order_by(Membership.id)))


def members(session: Session, org_id: int) -> list[Membership]:
    """The joined members with their person, in joining order, in one query."""
    return list(
        session.scalars(
            select(Membership)
            .options(joinedload(Membership.person))
            .where(Membership.organisation_id == org_id, Membership.active.is_(True))
            .order_by(Membership.id)
        )
    )

"""Submitting declarations: latest wins, closed days, idempotent forms, quick-fill (SPEC S3, S8, W6–W8)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from yks_web.i18n import N_, gettext
from yks_web.models.declaration import ANSWER_FIELDS, DailyReport, Declaration
from yks_web.models.school import Membership, Organisation, ProxyBinding
from yks_web.services import access, notices
from yks_web.services import answers as answer_rules
from yks_web.services.deadlines import member_day_closed
from yks_web.services.errors import DomainError


class DeclarationRefused(DomainError):
    """`message`: the refusal in the reader's language; `reason`: the N_ constant it says where a caller tells it
    apart (NOT_MEMBER), compared as it is, never the translated message ("" for the others)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


class NotYours(DomainError):
    """The organisation, or the person declared for, is not the actor's (P7): the screens answer 404."""


NOT_MEMBER = N_("该申报人已不是本组织成员，需通过采集员发送的邀请卡片重新加入组织后才能申报。")
COLLECTOR_CANNOT_EDIT = N_(
    "该成员当日已填报。采集员不能修改成员的申报信息；如有错误，请成员或代填人在提交数据前重新申报。"
)


@cache
def _lock_statements():
    """Built once (issue 14 item 2): (SQLite's, everyone else's)."""
    org_id = bindparam("org_id")
    table = Organisation.__table__
    return (
        update(table).where(table.c.id == org_id).values(id=table.c.id),
        select(table.c.id).where(table.c.id == org_id).with_for_update(),
    )


def lock_organisation(session: Session, org_id: int) -> None:
    """Serialise the writes of one organisation's day: declarations against the report (S8, W9).

    PostgreSQL: the organisation's row FOR UPDATE. SQLite ignores FOR UPDATE, so a no-op UPDATE
    takes its write lock at this point, before the "is the day still open?" read. Anything pending in the
    session is flushed first, so the reads after the lock (on the session's connection, Core rows) see it.
    """
    session.flush()
    connection = session.connection()
    sqlite, other = _lock_statements()
    connection.execute(sqlite if connection.dialect.name == "sqlite" else other, {"org_id": org_id})


def submitted_days(session: Session, org_id: int, days: list[date]) -> set[date]:
    """Which of `days` already have the collector's report, in one query."""
    return set(
        session.scalars(
            select(DailyReport.day).where(DailyReport.organisation_id == org_id, DailyReport.day.in_(days))
        )
    )


def report_submitted(session: Session, org_id: int, day: date) -> bool:
    return (
        session.scalar(
            select(DailyReport.id).where(
                DailyReport.organisation_id == org_id, DailyReport.day == day
            )
        )
        is not None
    )


def latest_for_person(session: Session, org_id: int, person_id: int, day: date) -> Declaration | None:
    return session.scalar(
        select(Declaration)
        .where(
            Declaration.organisation_id == org_id, Declaration.person_id == person_id, Declaration.day == day
        )
        .order_by(Declaration.id.desc())
        .limit(1)
    )


def collector_fill_refused(
    session: Session, org_id: int, person_id: int, day: date, collector_id: int
) -> str | None:
    """W6/W7: 【代填报】 is for members who have not declared; it never overwrites their answers."""
    latest = latest_for_person(session, org_id, person_id, day)
    if latest is not None and latest.actor_id != collector_id:
        return gettext(COLLECTOR_CANNOT_EDIT)
    return None


def previous_declaration(session: Session, org_id: int, person_id: int) -> Declaration | None:
    return session.scalar(
        select(Declaration)
        .where(Declaration.organisation_id == org_id, Declaration.person_id == person_id)
        .order_by(Declaration.id.desc())
        .limit(1)
    )


class SubmissionState(NamedTuple):
    """What a submission has to know, read in one statement once the organisation is locked."""

    membership_id: int | None  # the person's row in the organisation, active or not (None: never a member)
    member: bool  # that row is active (S9)
    live_binding: bool  # the actor is bound to the person here as their 代填人 (P7)
    replayed: tuple[int, int, int] | None  # (id, organisation, person) of the declaration made with this form_key
    report_id: int | None  # the collector's report of the day: the day is closed to members
    previous: dict | None  # the person's latest answers in this organisation (数据有变动)


def with_declarant(statement, previous):
    """The outer joins that the form (form_days.form_state) and the submission read from the organisation: the
    person's membership (active or not), the actor's live binding to them (P7), and their latest declaration here
    as `previous`. Each is on a unique key, so the statement answers one row, or none for an unknown organisation.
    Binds org_id, person_id and actor_id."""
    org_id, person_id = bindparam("org_id"), bindparam("person_id")
    latest = (
        select(func.max(Declaration.id))
        .where(Declaration.organisation_id == org_id, Declaration.person_id == person_id)
        .scalar_subquery()
    )
    return (
        statement.select_from(Organisation)
        .outerjoin(Membership, and_(Membership.organisation_id == Organisation.id, Membership.person_id == person_id))
        .outerjoin(ProxyBinding, and_(
            ProxyBinding.organisation_id == Organisation.id, ProxyBinding.declarant_id == person_id,
            ProxyBinding.proxy_id == bindparam("actor_id"), ProxyBinding.active.is_(True),
        ))
        .outerjoin(previous, previous.id == latest)
        .where(Organisation.id == org_id)
    )


@cache
def _submission_state_query():
    """Built once: building this statement (and its cache key) costs more than running it (issue 14 item 2)."""
    replayed, previous = aliased(Declaration), aliased(Declaration)
    statement = select(
        Membership.id, Membership.active, ProxyBinding.id, replayed.id, replayed.organisation_id,
        replayed.person_id, DailyReport.id, previous.id, *(getattr(previous, name) for name in ANSWER_FIELDS),
    )
    return (
        with_declarant(statement, previous)
        .outerjoin(replayed, replayed.form_key == bindparam("form_key"))
        .outerjoin(DailyReport, and_(DailyReport.organisation_id == Organisation.id,
                                     DailyReport.day == bindparam("day")))
    )


def submission_state(
    session: Session, org_id: int, person_id: int, actor_id: int, day: date, form_key: str
) -> SubmissionState | None:
    """One round trip: who may declare (S9, P7), the replay, the report and the previous answers; None when
    there is no such organisation.

    Read after lock_organisation, in a statement of its own, so it sees a report committed while we
    waited for the lock (READ COMMITTED gives each statement a fresh snapshot).
    """
    row = session.connection().execute(  # Core rows on the session's connection: no ORM layer (issue 14 item 2)
        _submission_state_query(),
        {"org_id": org_id, "person_id": person_id, "actor_id": actor_id, "day": day, "form_key": form_key},
    ).first()
    if row is None:
        return None
    membership_id, active, binding_id, replayed_id, replayed_org, replayed_person, report_id, previous_id, *values = row
    return SubmissionState(
        membership_id=membership_id,
        member=bool(active),
        live_binding=binding_id is not None,
        replayed=None if replayed_id is None else (replayed_id, replayed_org, replayed_person),
        report_id=report_id,
        previous=dict(zip(ANSWER_FIELDS, values, strict=True)) if previous_id is not None else None,
    )


@cache
def _insert_declaration():
    """Built once, on the table rather than the mapped class: one INSERT … RETURNING id, no unit of work and no
    object to expire at the commit (issue 14 item 2). The caller passes every column."""
    table = Declaration.__table__
    return insert(table).returning(table.c.id)


def submit(
    session: Session,
    *,
    org_id: int,
    person_id: int,
    actor_id: int,
    day: date,
    answers: Mapping,
    source: str,
    form_key: str,
    now: datetime,
    utc_now: datetime,
) -> int:
    """Record one declaration and return its id; a replayed form_key returns the first record's (P4).

    Three statements: the lock, the state (submission_state), the insert (and the P10 notice when someone
    else declares for the person). The lock serialises the organisation's writes, so a double tap's second
    request waits and then finds the first's row. NotYours when the organisation, or the person, is not the
    actor's to declare for (P7): the form's loaders answer 404 for the same.
    """
    lock_organisation(session, org_id)
    state = submission_state(session, org_id, person_id, actor_id, day, form_key)
    if state is None or not access.may_declare_for(source, ever_member=state.membership_id is not None,
                                                   live_binding=state.live_binding):
        raise NotYours("not yours")
    if state.replayed is not None:
        replayed_id, replayed_org, replayed_person = state.replayed
        if (replayed_org, replayed_person) != (org_id, person_id):
            raise DeclarationRefused(gettext("表单已失效，请重新填写"))
        return replayed_id
    closed = member_day_closed(day, now, state.report_id is not None)
    if closed:
        raise DeclarationRefused(closed)
    if not state.member:
        raise DeclarationRefused(gettext(NOT_MEMBER), NOT_MEMBER)
    if source == "collector" and (refused := collector_fill_refused(session, org_id, person_id, day, actor_id)):
        raise DeclarationRefused(refused)
    values = {name: answers[name] for name in ANSWER_FIELDS}
    declaration_id = session.connection().execute(_insert_declaration(), {
        "organisation_id": org_id, "person_id": person_id, "actor_id": actor_id, "day": day, "source": source,
        "form_key": form_key, "created_at": utc_now, "changed": answer_rules.is_changed(state.previous, values),
        **values,
    }).scalar_one()
    # Someone else declared in this person's name: they are told (P10); one's own adds no statement.
    notices.declared_for(session, person_id=person_id, actor_id=actor_id, kind="school", source=source,
                         organisation_id=org_id, day=day, utc_now=utc_now)
    return declaration_id


def quick_fill(
    session: Session,
    *,
    org_id: int,
    member_ids: list[int],
    actor_id: int,
    day: date,
    now: datetime,
    utc_now: datetime,
    key_prefix: str,
) -> int:
    """快速填充未报数据: copy each silent member's most recent declaration into `day` (W8).

    `key_prefix` names this tap of the button; a replay of it fills nothing more.
    """
    lock_organisation(session, org_id)
    closed = member_day_closed(day, now, report_submitted(session, org_id, day))
    if closed:
        raise DeclarationRefused(closed)
    already = session.scalar(
        select(Declaration.id).where(Declaration.form_key.startswith(f"{key_prefix}:", autoescape=True)).limit(1)
    )
    if already is not None:  # this tap of the button was carried out before
        return 0
    declared = set(
        session.scalars(
            select(Declaration.person_id)
            .where(Declaration.organisation_id == org_id, Declaration.day == day)
            .distinct()
        )
    )
    silent = [m for m in member_ids if m not in declared]
    if not silent:
        return 0
    most_recent = (  # the latest answers given on or before `day`
        select(func.max(Declaration.id))
        .where(
            Declaration.organisation_id == org_id,
            Declaration.person_id.in_(silent),
            Declaration.day <= day,
        )
        .group_by(Declaration.person_id)
    )
    sources = session.scalars(select(Declaration).where(Declaration.id.in_(most_recent)))
    filled: list[int] = []
    for source in sources:
        session.add(
            Declaration(
                organisation_id=org_id,
                person_id=source.person_id,
                actor_id=actor_id,
                day=day,
                source="quickfill",
                form_key=f"{key_prefix}:{source.person_id}",
                created_at=utc_now,
                changed=False,
                **source.answers(),
            )
        )
        filled.append(source.person_id)
    session.flush()
    notices.declared_for_many(session, person_ids=filled, actor_id=actor_id, kind="school", source="quickfill",
                              organisation_id=org_id, day=day, utc_now=utc_now)  # one INSERT for the list (P10)
    return len(filled)

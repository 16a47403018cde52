"""Which days the declaration form offers, and what it says before anything is typed (SPEC S8, S9; issue 9 item 4);
what the member's form reads, in one statement (form_state, issue 14 item 2).

The form's 【提交当日数据】 opens 提交本日数据 / 补提交昨日数据 (the collector's 代填报: one fixed day). A day
that can no longer be declared is disabled with its reason; when no day is left — or the declarant is no
longer a member (S9) — the form says why at the top and 【提交当日数据】 is disabled. The same rules refuse
the POST (declarations.submit), which stays the authority: this only tells it first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session, aliased

from yks_web.clock import TZ
from yks_web.i18n import gettext
from yks_web.models.declaration import ANSWER_FIELDS, DailyReport, Declaration
from yks_web.models.people import Person
from yks_web.models.school import Membership, Organisation, ProxyBinding
from yks_web.services.deadlines import member_day_closed
from yks_web.services.declarations import NOT_MEMBER, with_declarant
from yks_web.services.org_day import collector_closed


@dataclass(frozen=True)
class DayChoice:
    value: str  # what its button posts as `day`: "today", "yesterday", or "day" (the collector's fixed day)
    day: date
    closed: str | None  # why it can no longer be declared, or None


@dataclass(frozen=True)
class FormDays:
    choices: list[DayChoice]
    blocked: tuple[str, ...]  # why nothing can be submitted (distinct reasons), empty when some day is open

    @property
    def open(self) -> bool:
        return not self.blocked


def offered(now: datetime, fixed_day: date | None = None) -> list[tuple[str, date]]:
    """The days the form offers at `now`: 本日 and 昨日, or the collector's one day."""
    if fixed_day is not None:
        return [("day", fixed_day)]
    today = (now.astimezone(TZ) if now.tzinfo else now).date()  # as deadlines reads `now`
    return [("today", today), ("yesterday", today - timedelta(days=1))]


def form_days(
    now: datetime, *, submitted: set[date], is_member: bool, fixed_day: date | None = None
) -> FormDays:
    """Each offered day with the reason it is closed (its collector's report is in, 补提交 after 11:30, …), and
    what blocks the whole form: not a member any more, else every day closed."""
    # The collector's 代填报 (a fixed day) is told in the collector's words (issue 9 item 7).
    closed_for = member_day_closed if fixed_day is None else collector_closed
    choices = [DayChoice(value, day, closed_for(day, now, day in submitted)) for value, day in offered(now, fixed_day)]
    if not is_member:
        return FormDays(choices, (gettext(NOT_MEMBER),))
    if all(choice.closed for choice in choices):
        return FormDays(choices, tuple(dict.fromkeys(choice.closed for choice in choices if choice.closed)))
    return FormDays(choices, ())


class FormState(NamedTuple):
    """What the member's form (本人填报, 代他人填报) shows, read in one statement (issue 14 item 2)."""

    org: Organisation
    ever_member: bool  # the person has a membership row here, active or not (S9)
    member: bool  # …and it is active
    binding: ProxyBinding | None  # the actor's live binding to the person (P7)…
    declarant: Person | None  # …and the person it binds, loaded with it (held here: the session holds it weakly)
    previous: dict | None  # the person's latest answers here, to start from (guide S 二.1)
    submitted: set[date]  # which of the offered days have the collector's report


@cache
def _form_state_query():
    """Built once (issue 14 item 2): the organisation, the membership, the binding and its declarant, the previous
    answers and the reports of 本日 and 昨日, in one statement."""
    previous, declarant = aliased(Declaration), aliased(Person)

    def report_on(day: str):
        return exists().where(DailyReport.organisation_id == Organisation.id, DailyReport.day == bindparam(day))

    statement = select(
        Organisation, Membership.id, Membership.active, ProxyBinding, declarant, report_on("today"),
        report_on("yesterday"), previous.id, *(getattr(previous, name) for name in ANSWER_FIELDS),
    )
    return with_declarant(statement, previous).outerjoin(declarant, declarant.id == ProxyBinding.declarant_id)


def form_state(session: Session, org_id: int, person_id: int, actor_id: int, now: datetime) -> FormState | None:
    """The member's form at `now`; None for an unknown organisation."""
    (_, today), (_, yesterday) = offered(now)
    row = session.execute(_form_state_query(), {
        "org_id": org_id, "person_id": person_id, "actor_id": actor_id, "today": today, "yesterday": yesterday,
    }).first()
    if row is None:
        return None
    org, membership_id, active, binding, declarant, today_reported, yesterday_reported, previous_id, *values = row
    return FormState(
        org=org, ever_member=membership_id is not None, member=bool(active), binding=binding, declarant=declarant,
        previous=dict(zip(ANSWER_FIELDS, values, strict=True)) if previous_id is not None else None,
        submitted={day for day, reported in ((today, today_reported), (yesterday, yesterday_reported)) if reported},
    )

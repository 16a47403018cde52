"""Which days the declaration form offers, and what it says before anything is typed (SPEC S8, S9; issue 9 item 4).

The form's 【提交当日数据】 opens 提交本日数据 / 补提交昨日数据 (the collector's 代填报: one fixed day). A day
that can no longer be declared is disabled with its reason; when no day is left — or the declarant is no
longer a member (S9) — the form says why at the top and 【提交当日数据】 is disabled. The same rules refuse
the POST (declarations.submit), which stays the authority: this only tells it first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from yks_web.clock import TZ
from yks_web.services.deadlines import member_day_closed
from yks_web.services.declarations import NOT_MEMBER
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
        return FormDays(choices, (NOT_MEMBER,))
    if all(choice.closed for choice in choices):
        return FormDays(choices, tuple(dict.fromkeys(choice.closed for choice in choices if choice.closed)))
    return FormDays(choices, ())

"""申报详情's list (SPEC W6): the organisation's day by org_day's rules, with only what the list shows of each
member (issue 14 item 4).

The same members and declarations as org_day (its own query builders, selecting fewer columns), read as plain
tuples: no Person or Declaration object is built for 500 members, none is expired at the audit's commit, no
answer and no ID number is loaded (the masked form is stored; the number is decrypted only for a row stored
without it). The statements are built once with bound parameters, so SQLAlchemy reuses their cache keys
instead of walking a fresh statement per request. tests/services/test_day_list.py checks that the rows say what
org_day's members say.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, case, select
from sqlalchemy.orm import Session, aliased

from yks_web.models import DailyReport, Declaration, Membership, Organisation, Person
from yks_web.privacy import mask_id
from yks_web.services.org_day import DayMembers, joined_counts, joined_select, reported_select


class Listed(NamedTuple):
    """One member of the day as 申报详情 lists them; `source` is None for 未填报."""

    person_id: int
    name: str  # as the organisation's side knows them (Person.name_for, SPEC I6)
    masked_id: str  # Person.masked_id (SPEC P6)
    source: str | None
    changed: bool  # 数据有变动
    actor_name: str  # who filled it in (代填人), shown for a declaration that is not the member's own

    @property
    def declared(self) -> bool:
        return self.source is not None


_Actor = aliased(Person)
# Person's columns that name_for and masked_id read (id_number only where no masked form is stored), the
# membership's typed name, and what the list says of the declaration.
_COLUMNS = (
    Person.id, Person.name, Person.name_verified_at, Person.id_masked,
    case((Person.id_masked == "", Person.id_number)), Membership.typed_name,
    Declaration.source, Declaration.changed, _Actor.name,
)
_DAY = bindparam("day")
_REPORT = select(DailyReport).where(DailyReport.organisation_id == bindparam("org_id"), DailyReport.day == _DAY)
_OPEN_DAY = (joined_select(bindparam("org_ids", expanding=True), _DAY, None, *_COLUMNS)
             .outerjoin(_Actor, _Actor.id == Declaration.actor_id))
_SUBMITTED_DAY = (reported_select(bindparam("report_ids", expanding=True), None, *_COLUMNS)
                  .outerjoin(_Actor, _Actor.id == Declaration.actor_id))


def of_organisation(session: Session, org: Organisation, day: date) -> DayMembers:
    """The organisation's day (its report, if submitted, and its members in org_day's order): two statements,
    three for a submitted day (its members joined now), whatever the number of members."""
    report = session.scalar(_REPORT, {"org_id": org.id, "day": day})
    if report is None:
        rows = session.execute(_OPEN_DAY, {"org_ids": [org.id], "day": day})
    else:
        rows = session.execute(_SUBMITTED_DAY, {"report_ids": [report.id]})
    members = [
        Listed(
            person_id,
            # Person.name_for: the binder's typed name until the person logs in, then the verified name.
            (typed_name or name) if verified_at is None else name,
            id_masked or mask_id(id_number),  # Person.masked_id
            source, bool(changed), actor_name or "",
        )
        for _org_id, person_id, name, verified_at, id_masked, id_number, typed_name, source, changed, actor_name
        in rows
    ]
    joined = joined_counts(session, [org.id]).get(org.id, 0) if report is not None else len(members)
    return DayMembers(org, day, report, members, joined)

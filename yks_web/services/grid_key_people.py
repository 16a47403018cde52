"""重点管控人员 of a grid (SPEC O6; issue 12 item 6; guide 二 (三) (2) 3)): what an 已授权网格员 may see.

The grid's people are those its workers met at the door and identified (GridVisit.person_id set: a scanned
粤康码, or a typed 证件 that names a known person). The key ones among them are those whose health code is red
or yellow, or who are under 医学观察 (open observations), both from the health data provider (SPEC H2).
The list costs the same few statements however many visits and people the grid has (SPEC Q3): the grid's
people, their codes, their observations, and the latest visit of each key person with the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from yks_web.i18n import gettext
from yks_web.models.grid import GridVisit
from yks_web.models.health import PersonalDeclaration
from yks_web.models.people import Person
from yks_web.services import personal
from yks_web.services.health_data import CodeStatus, HealthDataProvider, ObservationRecord

KEY_COLOURS = ("red", "yellow")
BATCH = 10_000  # people per provider call
_SEVERITY = {"red": 0, "yellow": 1, "green": 2}
VISITS_SHOWN = 50  # a person's visits on the details screen, newest first
DECLARATIONS_SHOWN = 100


@dataclass(frozen=True)
class KeyPerson:
    """One line of the list: who, why (the code's colour and reason, the observations), the latest visit here."""

    person: Person
    code: CodeStatus
    observations: list[ObservationRecord]
    latest_visit: GridVisit

    @property
    def reasons(self) -> list[str]:
        return reasons(self.code, self.observations)


@dataclass(frozen=True)
class KeyPersonDetail:
    """The details screen: the person (masked on screen), code, observations, declarations, this grid's visits."""

    person: Person
    code: CodeStatus
    observations: list[ObservationRecord]
    declarations: list[PersonalDeclaration] = field(default_factory=list)
    visits: list[GridVisit] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return reasons(self.code, self.observations)


def is_key(code: CodeStatus, observations: list[ObservationRecord]) -> bool:
    return code.colour in KEY_COLOURS or bool(observations)


def reasons(code: CodeStatus, observations: list[ObservationRecord]) -> list[str]:
    """Why someone is a key person, in words: 红码：密切接触者, 医学观察：入境人员 …"""
    found = ([gettext("%(colour)s：%(reason)s", colour=gettext(code.label), reason=gettext(code.reason))]
             if code.colour in KEY_COLOURS else [])  # the label and a provider's reason are N_ constants
    return found + [gettext("医学观察：%(reason)s", reason=gettext(o.reason)) for o in observations]


def _grid_people(session: Session, grid_id: int) -> list[int]:
    return list(session.scalars(
        select(GridVisit.person_id).where(GridVisit.grid_id == grid_id, GridVisit.person_id.is_not(None)).distinct()
    ))


def _latest_visits(session: Session, grid_id: int, person_ids: list[int]) -> dict[int, tuple[GridVisit, Person]]:
    """Each person's newest visit in this grid, with the person (one query)."""
    ranked = (
        select(
            GridVisit.id,
            func.row_number().over(
                partition_by=GridVisit.person_id, order_by=(GridVisit.recorded_at.desc(), GridVisit.id.desc()),
            ).label("rank"),
        )
        .where(GridVisit.grid_id == grid_id, GridVisit.person_id.in_(person_ids))
        .subquery()
    )
    rows = session.execute(
        select(GridVisit, Person).join(Person, Person.id == GridVisit.person_id)
        .where(GridVisit.id.in_(select(ranked.c.id).where(ranked.c.rank == 1)))
    ).all()
    return {person.id: (visit, person) for visit, person in rows}


def key_people(session: Session, data: HealthDataProvider, grid_id: int) -> list[KeyPerson]:
    """The grid's 重点管控人员: 红码 first, then 黄码, then those only under observation; the latest visit first
    within each. Four statements up to BATCH people met in the grid (a 社区's residents), two more per further
    BATCH: the provider is asked by lists of ids, and a list of bound parameters has a cap."""
    people = _grid_people(session, grid_id)
    if not people:
        return []
    codes: dict[int, CodeStatus] = {}
    observed: dict[int, list[ObservationRecord]] = {}
    for start in range(0, len(people), BATCH):  # bound the IN lists (SQLite and PostgreSQL cap bound parameters)
        batch = people[start:start + BATCH]
        codes.update(data.statuses(batch))
        observed.update(data.observations_of(batch))
    keys = [pid for pid in people if is_key(codes[pid], observed[pid])]
    if not keys:
        return []
    latest = _latest_visits(session, grid_id, keys)
    found = [KeyPerson(person, codes[pid], observed[pid], visit) for pid, (visit, person) in latest.items()]
    found.sort(key=lambda k: (k.latest_visit.recorded_at, k.latest_visit.id), reverse=True)
    found.sort(key=lambda k: _SEVERITY.get(k.code.colour, 2))
    return found


def key_person(session: Session, data: HealthDataProvider, grid_id: int, person_id: int) -> KeyPersonDetail | None:
    """One key person of the grid with everything an 已授权网格员 may see; None when the person was never met in
    this grid or is not (or no longer) a key person."""
    visits = list(session.scalars(
        select(GridVisit).where(GridVisit.grid_id == grid_id, GridVisit.person_id == person_id)
        .order_by(GridVisit.recorded_at.desc(), GridVisit.id.desc()).limit(VISITS_SHOWN)
    ))
    if not visits:
        return None
    code = data.statuses([person_id])[person_id]
    observed = data.observations_of([person_id])[person_id]
    if not is_key(code, observed):
        return None
    person = session.scalar(select(Person).options(undefer(Person.phone)).where(Person.id == person_id))
    if person is None:
        return None
    return KeyPersonDetail(person, code, observed, personal.history(session, person_id, limit=DECLARATIONS_SHOWN),
                           visits)

"""Where a person's health-code status, tests, vaccinations and 入粤登记 come from (SPEC H2).

In production this is the public-security / health-commission source; `HealthDataProvider` is the
interface the app talks to, and `TableHealthData` the built-in provider backed by real tables that
an operator sets (CLI and operator page). Bulk methods take many people at once, so a list of
members costs one query per kind, not one per member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.health import COLOURS, EntryRegistration, HealthCode, NucleicAcidTest, Vaccination
from yks_web.services.errors import DomainError

GREEN_REASON = N_("未发现健康问题")  # stored as this text; 出示粤康码 translates it (| tr)


@dataclass(frozen=True)
class CodeStatus:
    colour: str  # green / yellow / red
    reason: str
    decided_at: datetime | None
    decided_city: str
    guidance: str

    @property
    def label(self) -> str:
        """The colour in words (never colour alone, H1): 绿码 / 黄码 / 红码."""
        return COLOURS[self.colour]


GREEN = CodeStatus("green", GREEN_REASON, None, "", "")


@dataclass(frozen=True)
class NucleicAcidRecord:
    sampled_at: datetime
    result: str
    institution: str
    tested_at: datetime | None = None  # 检测时间
    source: str = ""  # 数据来源


@dataclass(frozen=True)
class VaccineRecord:
    dose: int
    vaccinated_on: date
    manufacturer: str
    site: str


@dataclass(frozen=True)
class EntryRecord:
    arrived_on: date
    from_region: str
    destination: str
    transport: str
    registered_at: datetime


@dataclass(frozen=True)
class ObservationRecord:
    """医学观察 (O7): one the person is under, until a 解除医学观察电子告知书 releases it."""

    id: int
    reason: str
    started_on: date
    unit: str


class HealthDataProvider(Protocol):
    def statuses(self, person_ids: Iterable[int]) -> dict[int, CodeStatus]: ...
    def latest_tests(self, person_ids: Iterable[int]) -> dict[int, NucleicAcidRecord]: ...
    def vaccinations(self, person_ids: Iterable[int]) -> dict[int, list[VaccineRecord]]: ...
    def entries(self, person_id: int) -> list[EntryRecord]: ...
    # 医学观察 (issue 11 item 5): the unreleased ones, and their release by a notice. Releasing one that is not
    # open raises a DomainError; the code colour follows where that observation was its only reason.
    def observations(self, person_id: int) -> list[ObservationRecord]: ...
    # The open ones of many people at once (a grid's 重点管控人员, issue 12 item 6): one query, [] for none.
    def observations_of(self, person_ids: Iterable[int]) -> dict[int, list[ObservationRecord]]: ...
    def release_observation(
        self, person_id: int, observation_id: int, *, notice_id: int, utc_now: datetime
    ) -> ObservationRecord: ...


class TableHealthData:
    """The built-in provider: the health_code, nucleic_acid_test, vaccination and entry tables."""

    def __init__(self, session: Session):
        self.session = session

    def status(self, person_id: int) -> CodeStatus:
        return self.statuses([person_id])[person_id]

    def statuses(self, person_ids: Iterable[int]) -> dict[int, CodeStatus]:
        ids = list(person_ids)
        rows = self.session.scalars(select(HealthCode).where(HealthCode.person_id.in_(ids))) if ids else []
        found = {
            r.person_id: CodeStatus(r.colour, r.reason, r.decided_at, r.decided_city, r.guidance) for r in rows
        }
        return {pid: found.get(pid, GREEN) for pid in ids}

    def latest_tests(self, person_ids: Iterable[int]) -> dict[int, NucleicAcidRecord]:
        ids = list(person_ids)
        if not ids:
            return {}
        ranked = (
            select(
                NucleicAcidTest.id,
                func.row_number()
                .over(
                    partition_by=NucleicAcidTest.person_id,
                    order_by=(NucleicAcidTest.sampled_at.desc(), NucleicAcidTest.id.desc()),
                )
                .label("rank"),
            )
            .where(NucleicAcidTest.person_id.in_(ids))
            .subquery()
        )
        newest = select(ranked.c.id).where(ranked.c.rank == 1)
        rows = self.session.scalars(select(NucleicAcidTest).where(NucleicAcidTest.id.in_(newest)))
        return {r.person_id: NucleicAcidRecord(r.sampled_at, r.result, r.institution, r.tested_at, r.source)
                for r in rows}

    def vaccinations(self, person_ids: Iterable[int]) -> dict[int, list[VaccineRecord]]:
        ids = list(person_ids)
        found: dict[int, list[VaccineRecord]] = defaultdict(list)
        if ids:
            rows = self.session.scalars(
                select(Vaccination).where(Vaccination.person_id.in_(ids)).order_by(Vaccination.dose)
            )
            for r in rows:
                found[r.person_id].append(VaccineRecord(r.dose, r.vaccinated_on, r.manufacturer, r.site))
        return {pid: found.get(pid, []) for pid in ids}

    def entries(self, person_id: int) -> list[EntryRecord]:
        rows = self.session.scalars(
            select(EntryRegistration)
            .where(EntryRegistration.person_id == person_id)
            .order_by(EntryRegistration.arrived_on.desc(), EntryRegistration.id.desc())
        )
        return [EntryRecord(r.arrived_on, r.from_region, r.destination, r.transport, r.registered_at) for r in rows]

    def observations(self, person_id: int) -> list[ObservationRecord]:
        from yks_web.services import observations  # the medical_observation table's rules

        return observations.open_records(self.session, person_id)

    def observations_of(self, person_ids: Iterable[int]) -> dict[int, list[ObservationRecord]]:
        """observations() of each person (open: not released; oldest first, as services/observations.open_of)."""
        from yks_web.models.medical import MedicalObservation

        ids = list(person_ids)
        found: dict[int, list[ObservationRecord]] = defaultdict(list)
        if ids:
            rows = self.session.scalars(
                select(MedicalObservation)
                .where(MedicalObservation.person_id.in_(ids), MedicalObservation.released_at.is_(None))
                .order_by(MedicalObservation.started_on, MedicalObservation.id)
            )
            for r in rows:
                found[r.person_id].append(ObservationRecord(r.id, r.reason, r.started_on, r.unit))
        return {pid: found.get(pid, []) for pid in ids}

    def release_observation(
        self, person_id: int, observation_id: int, *, notice_id: int, utc_now: datetime
    ) -> ObservationRecord:
        from yks_web.services import observations

        return observations.release(self.session, person_id, observation_id, notice_id=notice_id, utc_now=utc_now)


class HealthDataError(DomainError):
    pass


def set_status(
    session: Session, person_id: int, *, colour: str, reason: str, city: str, guidance: str, utc_now: datetime
) -> HealthCode:
    """Operator: set the colour of a person's code (the built-in provider's data)."""
    if colour not in COLOURS:
        raise HealthDataError(gettext("颜色应为 green、yellow 或 red"))
    reason, city, guidance = reason.strip(), city.strip(), guidance.strip()
    if colour != "green" and not reason:
        raise HealthDataError(gettext("黄码、红码须填写原因"))
    if len(reason) > 100 or len(city) > 50 or len(guidance) > 1000:
        raise HealthDataError(gettext("原因不超过100字，判定城市不超过50字，解除指引不超过1000字"))
    row = session.scalar(select(HealthCode).where(HealthCode.person_id == person_id))
    if row is None:
        row = HealthCode(person_id=person_id)
        session.add(row)
    row.colour = colour
    row.reason = reason if colour != "green" else (reason or GREEN_REASON)
    row.decided_city = city
    row.guidance = guidance
    row.decided_at = utc_now
    row.updated_at = utc_now
    session.flush()
    return row

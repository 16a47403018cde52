"""医学观察 in the built-in health data (SPEC H2, O7; issue 11 item 5): the operator records them, a
解除医学观察电子告知书 releases one.

Releasing one lifts its reason: when the person's code is yellow or red for exactly that reason and no other
observation of theirs is still open, the code turns green (health_data.set_status) — "the code colour follows
where that was the only reason". A code red for something else (a positive test, a second observation)
stays as it is.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.health import HealthCode
from yks_web.models.medical import MedicalObservation
from yks_web.services import health_data
from yks_web.services.errors import DomainError
from yks_web.services.health_data import ObservationRecord
from yks_web.services.locks import lock_row

EARLIEST = date(2019, 12, 1)
NOT_OPEN = N_("该医学观察已解除或不存在，请重新扫码")
# Stored as the code's guidance (HealthCode): the screen that shows it translates it.
GUIDANCE = N_("完成医学观察后，由医护人员出具解除医学观察电子告知书，健康码随之恢复。")
CODE_COLOURS = ("yellow", "red")  # what adding an observation may set the code to (or leave it)


class ObservationError(DomainError):
    pass


def _record(row: MedicalObservation) -> ObservationRecord:
    return ObservationRecord(row.id, row.reason, row.started_on, row.unit)


def add(
    session: Session, person_id: int, *, reason: str, started_on: date, unit: str, created_by_id: int | None,
    utc_now: datetime, today: date, colour: str = "",
) -> MedicalObservation:
    """Operator: the person is under 医学观察 since `started_on`; with `colour`, their code turns that colour for
    this reason (the usual case: a 密切接触者 gets a red code)."""
    reason, unit = (reason or "").strip(), (unit or "").strip()
    if not reason:
        raise ObservationError(gettext("请填写医学观察原因"))
    if len(reason) > 50 or len(unit) > 100:
        raise ObservationError(gettext("医学观察原因不超过50字，观察地点/单位不超过100字"))
    if not EARLIEST <= started_on <= today:
        raise ObservationError(gettext("开始日期应在2019年12月1日至今天之间"))
    if colour and colour not in CODE_COLOURS:
        raise ObservationError(gettext("健康码颜色应为 yellow 或 red"))
    row = MedicalObservation(person_id=person_id, reason=reason, started_on=started_on, unit=unit,
                             created_at=utc_now, created_by_id=created_by_id)
    session.add(row)
    if colour:
        code = session.scalar(select(HealthCode).where(HealthCode.person_id == person_id))
        health_data.set_status(session, person_id, colour=colour, reason=reason,
                               city=code.decided_city if code else "", guidance=GUIDANCE, utc_now=utc_now)
    session.flush()
    return row


def open_of(session: Session, person_id: int) -> list[MedicalObservation]:
    """The person's observations not yet released, oldest first."""
    return list(session.scalars(
        select(MedicalObservation)
        .where(MedicalObservation.person_id == person_id, MedicalObservation.released_at.is_(None))
        .order_by(MedicalObservation.started_on, MedicalObservation.id)
    ))


def open_records(session: Session, person_id: int) -> list[ObservationRecord]:
    return [_record(row) for row in open_of(session, person_id)]


def all_of(session: Session, person_id: int, limit: int = 50) -> list[MedicalObservation]:
    """Every observation of the person, newest first (the operator's page)."""
    return list(session.scalars(
        select(MedicalObservation).options(joinedload(MedicalObservation.released_notice))
        .where(MedicalObservation.person_id == person_id)
        .order_by(MedicalObservation.started_on.desc(), MedicalObservation.id.desc()).limit(limit)
    ))


def release(
    session: Session, person_id: int, observation_id: int, *, notice_id: int, utc_now: datetime
) -> ObservationRecord:
    """The notice `notice_id` ends this open observation of `person_id`; the code follows (see the module).
    ObservationError when it is not this person's or no longer open (a second notice for it, a race)."""
    lock_row(session, MedicalObservation, observation_id)
    row = session.scalar(
        select(MedicalObservation).where(MedicalObservation.id == observation_id)
        .execution_options(populate_existing=True)
    )
    if row is None or row.person_id != person_id or row.released_at is not None:
        raise ObservationError(gettext(NOT_OPEN))
    row.released_at = utc_now
    row.released_notice_id = notice_id
    session.flush()
    still_open = session.scalar(
        select(func.count()).select_from(MedicalObservation)
        .where(MedicalObservation.person_id == person_id, MedicalObservation.released_at.is_(None))
    )
    code = session.scalar(select(HealthCode).where(HealthCode.person_id == person_id))
    if code is not None and code.colour in CODE_COLOURS and code.reason.strip() == row.reason and not still_open:
        health_data.set_status(session, person_id, colour="green", reason="", city=code.decided_city, guidance="",
                               utc_now=utc_now)
    return _record(row)

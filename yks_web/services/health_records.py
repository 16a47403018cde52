"""Operator: add the records the built-in health data provider serves (SPEC H2)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.health import TEST_RESULTS, EntryRegistration, NucleicAcidTest, Vaccination
from yks_web.services.health_data import HealthDataError

LIMITS = {"institution": 100, "manufacturer": 50, "site": 100, "from_region": 50, "destination": 100,
          "transport": 50}
LABELS = {"institution": N_("检测机构"), "manufacturer": N_("疫苗厂家"), "site": N_("接种单位"),
          "from_region": N_("出发地"), "destination": N_("目的地"), "transport": N_("交通方式")}


def _check_lengths(**texts: str) -> None:
    for name, value in texts.items():
        if len(value) > LIMITS[name]:
            raise HealthDataError(
                gettext("%(label)s不能超过%(max)d个字", label=gettext(LABELS[name]), max=LIMITS[name]))


def add_test(session: Session, person_id: int, *, sampled_at: datetime, result: str, institution: str = ""):
    if result not in TEST_RESULTS:
        raise HealthDataError(gettext("检测结果应为阴性或阳性"))
    _check_lengths(institution=institution)
    row = NucleicAcidTest(person_id=person_id, sampled_at=sampled_at, result=result, institution=institution)
    session.add(row)
    session.flush()
    return row


def add_vaccination(
    session: Session, person_id: int, *, dose: int, vaccinated_on: date, manufacturer: str = "", site: str = ""
):
    if not 1 <= dose <= 5:
        raise HealthDataError(gettext("剂次应为1–5"))
    _check_lengths(manufacturer=manufacturer, site=site)
    exists = session.scalar(select(Vaccination.id).where(Vaccination.person_id == person_id, Vaccination.dose == dose))
    if exists is not None:
        raise HealthDataError(gettext("第%(dose)d剂已有接种记录", dose=dose))
    row = Vaccination(person_id=person_id, dose=dose, vaccinated_on=vaccinated_on, manufacturer=manufacturer,
                      site=site)
    session.add(row)
    session.flush()
    return row


def add_entry(
    session: Session, person_id: int, *, arrived_on: date, from_region: str, destination: str = "",
    transport: str = "", utc_now: datetime,
):
    if not from_region.strip():
        raise HealthDataError(gettext("请填写出发地"))
    _check_lengths(from_region=from_region.strip(), destination=destination, transport=transport)
    row = EntryRegistration(person_id=person_id, arrived_on=arrived_on, from_region=from_region.strip(),
                            destination=destination, transport=transport, registered_at=utc_now)
    session.add(row)
    session.flush()
    return row

"""Demo data of 组织机构 and 医护人员 (issue 11) for `make run`: an institution whose members are the class's
parents, with today's declarations for most of them, and a doctor enabled to issue 解除医学观察电子告知书 for the
red-coded resident, who is under 医学观察 (密切接触者). Loaded once, beside the school and place demos.
Its names, places and reasons are data (stored as typed), never translated."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.models import Institution, Person
from yks_web.models.medical import VIA_CLI
from yks_web.services import (
    institution_members,
    institutions,
    medical_staff,
    observations,
    realname_table,
)
from yks_web.services.identity import build_id_card_number, make_identity

INSTITUTION = "天河区某某科技有限公司"  # i18n: data
INSTITUTION_ADMIN = ("周机构", build_id_card_number("440106", date(1986, 2, 14), 91), "13800000010")  # i18n: data
DOCTOR = ("张医生", build_id_card_number("440104", date(1979, 12, 1), 95), "13800000011")  # i18n: data
DOCTOR_UNIT, DOCTOR_POSITION = "广州市越秀区人民医院", "主治医师"  # i18n: data


def load(session: Session, *, person_factory, members: list[Person], observed: Person, today: date,
         utc_now: datetime) -> Institution:
    """The demo institution and doctor (created once). `person_factory(session, name, id_number, phone)`."""
    existing = session.scalar(select(Institution).where(Institution.name == INSTITUTION))
    if existing is not None:
        return existing
    admin = person_factory(session, *INSTITUTION_ADMIN)
    doctor = person_factory(session, *DOCTOR)
    for person in (admin, doctor):
        realname_table.set_record(session, make_identity(person.name, person.id_type, person.id_number),
                                  utc_now=utc_now, today=today, phone=person.phone)
    institution = institutions.register(
        session, admin.id,
        institutions.Details(name=INSTITUTION, level="县（区）级", phone=INSTITUTION_ADMIN[2],  # i18n: data
                             address="天河路385号"),  # i18n: data
        utc_now - timedelta(days=5),
    )
    rng = random.Random(2021)
    for n, member in enumerate(members):
        institution_members.bind(session, member.id, institution, utc_now - timedelta(days=5))
        if rng.random() < 0.8:
            fever = n == 3
            answers = {"location_province": "广东省", "location_city": "广州市",  # i18n: data
                       "temperature": Decimal("37.8") if fever else Decimal(f"36.{rng.randint(2, 8)}"),
                       "temperature_band": None, "has_symptoms": fever, "risk_travel": False, "contact_case": False,
                       "remarks": ""}
            institution_members.declare(session, institution_id=institution.id, person_id=member.id, answers=answers,
                                        on_duty=True, work_place="", form_key=f"demo-institution:{today}:{member.id}",
                                        day=today, utc_now=utc_now - timedelta(hours=1, minutes=n))
    values, _ = medical_staff.clean({"name": DOCTOR[0], "phone": DOCTOR[2], "unit": DOCTOR_UNIT,
                                     "position": DOCTOR_POSITION})
    medical_staff.enable(session, values, actor_id=None, via=VIA_CLI, utc_now=utc_now)
    observations.add(session, observed.id, reason="密切接触者", started_on=today - timedelta(days=14),  # i18n: data
                     unit="越秀区集中隔离医学观察点", created_by_id=None, utc_now=utc_now, today=today)  # i18n: data
    session.flush()
    return institution

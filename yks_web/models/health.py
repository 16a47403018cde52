"""粤康码 data (SPEC H1–H4): health-code status and the records behind it, family members,
personal declarations and the histories of 我的粤康码.

Status, tests, vaccinations and 入粤登记 stand in for the external health data source (public
security / health commission): the built-in provider reads them and operators set them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_
from yks_web.models.people import Person

COLOURS = {"green": N_("绿码"), "yellow": N_("黄码"), "red": N_("红码")}  # a screen translates them (| tr)
# Stored as they are and compared; a screen translates them where it shows them (| tr, gettext).
TEST_RESULTS = (N_("阴性"), N_("阳性"))
RELATIONS = (N_("子女"), N_("父母"), N_("配偶"), N_("祖父母/外祖父母"), N_("其他"))


class HealthCode(db.Model):
    """The current colour of a person's code and why (H1, H2). No row means 绿码."""

    __tablename__ = "health_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    colour: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_city: Mapped[str] = mapped_column(String(50), default="")
    guidance: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class NucleicAcidTest(db.Model):
    __tablename__ = "nucleic_acid_test"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    sampled_at: Mapped[datetime]
    result: Mapped[str] = mapped_column(String(10))
    institution: Mapped[str] = mapped_column(String(100), default="")
    tested_at: Mapped[datetime | None] = mapped_column(nullable=True)  # 检测时间 (G4)
    # 数据来源 (G4): the name of the institution the result came from, shown as it is stored.
    source: Mapped[str] = mapped_column(String(50), default="广东省卫生健康委员会",  # i18n: data
                                        server_default="广东省卫生健康委员会")  # i18n: data


class Vaccination(db.Model):
    __tablename__ = "vaccination"
    __table_args__ = (UniqueConstraint("person_id", "dose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    dose: Mapped[int]
    vaccinated_on: Mapped[date]
    manufacturer: Mapped[str] = mapped_column(String(50), default="")
    site: Mapped[str] = mapped_column(String(100), default="")


class EntryRegistration(db.Model):
    """入粤登记: arriving in Guangdong from elsewhere."""

    __tablename__ = "entry_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    arrived_on: Mapped[date]
    from_region: Mapped[str] = mapped_column(String(50))
    destination: Mapped[str] = mapped_column(String(100), default="")
    transport: Mapped[str] = mapped_column(String(50), default="")
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)


FAMILY_PENDING, FAMILY_ACTIVE, FAMILY_REFUSED = "pending", "active", "refused"


class FamilyMember(db.Model):
    """家庭成员: someone whose code this person may show (H3). Removing keeps nothing active.

    A link gives access only when `active` and its `status` is "active": an adult's consent, or
    the verification service's household/guardian check, makes it so (SPEC I7, issue 8 item 2).
    A row made any other way stays "pending".
    """

    __tablename__ = "family_member"
    __table_args__ = (UniqueConstraint("owner_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)  # 谁可以代我操作 (P10)
    relation: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default=FAMILY_PENDING, server_default=FAMILY_PENDING)
    # How the link became active (I7): "sms" (the adult's code), "login" (the adult's own 【同意】), "household"
    # (an elder without a phone) or "guardian" (a minor).
    consent: Mapped[str] = mapped_column(String(12), default="", server_default="")
    consented_at: Mapped[datetime | None] = mapped_column(nullable=True)
    typed_name: Mapped[str] = mapped_column(String(50), default="", server_default="")  # the owner's name for them

    member: Mapped[Person] = relationship(foreign_keys=[member_id])
    owner: Mapped[Person] = relationship(foreign_keys=[owner_id])

    @property
    def consented(self) -> bool:
        return self.active and self.status == FAMILY_ACTIVE

    @property
    def shown(self) -> tuple[str, bool]:
        """The name the owner sees, and whether what they typed was wrong: what they typed until the member
        logs in, then the verified one. Before the member consents, only what the owner typed — neither
        the verified name nor whether it differs (issue 8 item 2: a request teaches its sender nothing)."""
        if self.status != FAMILY_ACTIVE:
            return self.typed_name or self.member.name_for("")[0], False
        return self.member.name_for(self.typed_name)

    @property
    def shown_name(self) -> str:
        return self.shown[0]


class PersonalDeclaration(db.Model):
    """健康申报 of 粤康码 (H4): a person's own declaration, kept as history."""

    __tablename__ = "personal_declaration"
    __table_args__ = (
        Index("ix_personal_declaration_person_at", "person_id", "created_at"),
        # Those made for someone else (a family member), by who made them (issue 16); partial, as declaration's.
        Index("ix_personal_declaration_actor_for_others", "actor_id",
              sqlite_where=text("actor_id <> person_id"), postgresql_where=text("actor_id <> person_id")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    form_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    location_province: Mapped[str] = mapped_column(String(20))
    location_city: Mapped[str] = mapped_column(String(20))
    temperature: Mapped[Decimal | None] = mapped_column(Numeric(3, 1), nullable=True)
    temperature_band: Mapped[str | None] = mapped_column(String(16), nullable=True)
    has_symptoms: Mapped[bool]
    risk_travel: Mapped[bool]
    contact_case: Mapped[bool]
    remarks: Mapped[str] = mapped_column(String(200), default="")


class TemperatureCheck(db.Model):
    """体温检测: one check of a person at a public place (O3, O4), shown in their 体温检测历史 (H4).

    Never edited (FAQ 12): a later check of the same person at the same place on the same day names the one
    it corrects in `supersedes_id`, and statistics count only checks nobody supersedes. Sex and birth year
    are copied from the ID number when the check is written, and the local day and hour too, so 数据统计
    groups plain columns and never decrypts an ID number (issue 10 item 6). `form_key` makes a double tap
    of 提交 one check.
    """

    __tablename__ = "temperature_check"
    __table_args__ = (
        Index("ix_temperature_check_person_at", "person_id", "checked_at"),
        Index("ix_temperature_check_place_day", "place_id", "local_day"),
        Index("ix_temperature_check_inspector", "inspector_id", "local_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    result: Mapped[str] = mapped_column(String(10))  # 正常 / 发热
    place_name: Mapped[str] = mapped_column(String(100), default="")
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), nullable=True)
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)  # None: 快速打卡
    method: Mapped[str] = mapped_column(String(10), default="scan", server_default="scan")  # scan / checkin
    sex: Mapped[str] = mapped_column(String(1), default="", server_default="")  # M / F / "" (not from the ID)
    birth_year: Mapped[int | None] = mapped_column(nullable=True)
    local_day: Mapped[date | None] = mapped_column(nullable=True)  # Asia/Shanghai
    local_hour: Mapped[int | None] = mapped_column(nullable=True)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("temperature_check.id"), nullable=True, index=True)
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)


class ObservationNotice(db.Model):
    """解除医学观察电子告知书: issued by medical staff (O7), shown in 我的粤康码.

    Issued through services/medical_notices (issue 11 items 5, 6): `number` is what the verification page
    /n/<number> looks up (random, not sequential); the notice keeps what it said when issued (reason, dates,
    单位名称), so a later change of the observation or of the staff row does not rewrite it. `revoked_at`
    makes the verification page say 已撤销. `form_key` makes a double tap of 提交 one notice.
    """

    __tablename__ = "observation_notice"
    __table_args__ = (Index("ix_observation_notice_issuer_at", "issuer_id", "issued_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issuer_name: Mapped[str] = mapped_column(String(50), default="")
    institution: Mapped[str] = mapped_column(String(100), default="")
    content: Mapped[str] = mapped_column(String(1000), default="")
    # 医护人员 issuing (issue 11; migration k11a00000002): older rows have none of these.
    number: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    issuer_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("medical_staff.id"), nullable=True)
    reason: Mapped[str] = mapped_column(String(50), default="", server_default="")
    observed_since: Mapped[date | None] = mapped_column(nullable=True)
    released_on: Mapped[date | None] = mapped_column(nullable=True)
    remarks: Mapped[str] = mapped_column(String(200), default="", server_default="")
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

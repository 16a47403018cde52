"""Schools, their admins and collectors, organisations and who belongs (SPEC W1–W5, S5–S9)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_
from yks_web.models.people import Person

# Stored and compared as this text (N_: a screen translates it with | tr, issue 15).
SCHOOL_TYPES = [N_("学前"), N_("小学"), N_("初中"), N_("高中"), N_("中职"), N_("高职"), N_("全日制大学"), N_("其他")]
TARGETS = {"student": N_("学生"), "staff": N_("教职工")}


class School(db.Model):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    school_type: Mapped[str] = mapped_column(String(10))
    region: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SchoolAdmin(db.Model):
    __tablename__ = "school_admin"
    __table_args__ = (UniqueConstraint("school_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()


class Collector(db.Model):
    """A person who joined a school from its admin's invite (W2).

    One person is the collector of one school, and creates one organisation there
    (guide FAQ 3: 一个采集员只能创建1个组织).
    """

    __tablename__ = "collector"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    person: Mapped[Person] = relationship()


class Organisation(db.Model):
    """A collector's one organisation (班级/部门); 采集对象 fixed at creation (W2)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    collector_id: Mapped[int] = mapped_column(ForeignKey("collector.id"), unique=True)
    target: Mapped[str] = mapped_column(String(10))
    school_type: Mapped[str] = mapped_column(String(10))
    major: Mapped[str] = mapped_column(String(100), default="")
    name: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    collector: Mapped[Collector] = relationship()

    @property
    def target_label(self) -> str:
        return TARGETS.get(self.target, self.target)


class Membership(db.Model):
    """A person in an organisation. Leaving keeps the row (records stay, S9/W5)."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("organisation_id", "person_id"),
        Index("ix_membership_org_active", "organisation_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    joined_via: Mapped[str] = mapped_column(String(16))  # invite / manual / proxy / collector
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The name the organisation's side typed (the collector's 手动添加 / 代他人申报, else the first proxy's
    # 代他人填报); "" when the person joined themself.
    typed_name: Mapped[str] = mapped_column(String(50), default="", server_default="")

    organisation: Mapped[Organisation] = relationship()
    person: Mapped[Person] = relationship()

    @property
    def shown_name(self) -> str:
        """The name the organisation's side (collector, school admin) sees: its own claim until the person
        logs in, then the verified name (issue 8 item 1)."""
        return self.person.name_for(self.typed_name)[0]


class ProxyBinding(db.Model):
    """代他人填报: a proxy bound to a declarant in one organisation (S4–S6)."""

    __tablename__ = "proxy_binding"
    __table_args__ = (
        UniqueConstraint("proxy_id", "declarant_id", "organisation_id"),
        Index("ix_proxy_binding_declarant_active", "declarant_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proxy_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    declarant_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    typed_name: Mapped[str] = mapped_column(String(50), default="", server_default="")  # the proxy's name for them
    # Set when the declarant removes this proxy on 谁可以代我操作 (P10): the proxy cannot bind them again until
    # the declarant 【重新允许】s it. The proxy's own 【删除申报人】 leaves it empty.
    removed_by_declarant_at: Mapped[datetime | None] = mapped_column(nullable=True)

    declarant: Mapped[Person] = relationship(foreign_keys=[declarant_id])
    organisation: Mapped[Organisation] = relationship()

    @property
    def shown_name(self) -> str:
        """The name the proxy sees: what they typed until the declarant logs in, then the verified one."""
        return self.declarant.name_for(self.typed_name)[0]


class Invite(db.Model):
    """An invite link: operator → school admin, admin → collector, collector → member."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), nullable=True, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)  # single-use kinds only

    school: Mapped[School] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

"""团体码 (SPEC G1–G6; issue 13): groups whose members consent to share their health status.

- Group: made by its 团体创建人 (at most 5 per creator, counted under a lock on the creator's row). `people`
  counts creator, admins and members (at most 500), kept under a lock on the group's row so two joins at once
  cannot make 501. `allow_join` is the 允许新成员加入 switch. `refreshed_at` is when 【刷新数据】 last ran
  (数据更新时间); the 30-minute cap is one conditional UPDATE of it, so two admins pressing at once refresh once.
- GroupMember: one row per person in a group; `role` is creator / admin / member (a role is a row, never a flag on
  Person). The snapshot columns hold the member's 健康码, 核酸 and 疫苗 as of the last refresh: lists and statistics
  read them (one query for 500 members) and say when they were taken.
- GroupInvite: a share link / QR token valid 24 hours from when it was made.
- GroupConsent: what a member agreed to share with which group and when; it outlives the membership (withdrawn or
  removed) so the record of the consent stays readable to the person.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_
from yks_web.models.people import Person
from yks_web.privacy import Encrypted

# Stored as this text (Group.kind; N_: a screen translates it with | tr, issue 15).
GROUP_TYPES = (N_("企业"), N_("学校"), N_("事业单位"), N_("政府机构"), N_("社会团队"), N_("其他"))
CREATOR, ADMIN, MEMBER = "creator", "admin", "member"
ROLE_LABELS = {CREATOR: N_("创建人"), ADMIN: N_("管理员"), MEMBER: N_("成员")}
# What a member's consent lets the group's admins see: the guide's three (健康码颜色, 核酸检测结果, 疫苗接种信息)
# and everything 成员信息 shows beside them (图6), so the consent says all of it. Stored in GroupConsent.scope as this
# text (N_: a screen translates each item with | tr, issue 15).
SHARED = (N_("姓名、证件类型及证件号码（部分隐藏）"), N_("手机号码（部分隐藏）及我的备注"),
          N_("健康码颜色、原因、判定时间、判定城市及解除指引"),
          N_("核酸检测结果、采样时间、检测时间、检测机构及数据来源"),
          N_("疫苗接种信息（针次、接种时间、疫苗厂家、接种单位）"))


class Group(db.Model):
    __tablename__ = "group_code"  # "group" is an SQL keyword
    __table_args__ = (Index("ix_group_code_creator", "creator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(10))  # one of GROUP_TYPES
    area_code: Mapped[str] = mapped_column(String(12))  # 团体地址: the area (to 乡镇街道 or 县区) …
    address: Mapped[str] = mapped_column(String(100))  # … and the street address
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    allow_join: Mapped[bool] = mapped_column(default=True)
    people: Mapped[int] = mapped_column(default=1)  # creator, admins and members (≤ 500)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    refreshed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    creator: Mapped[Person] = relationship()


class GroupMember(db.Model):
    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),
                      Index("ix_group_member_group_role", "group_id", "role"),
                      Index("ix_group_member_person", "person_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group_code.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    role: Mapped[str] = mapped_column(String(10), default=MEMBER)
    remark: Mapped[str] = mapped_column(String(50), default="")  # 我的备注
    phone: Mapped[str | None] = mapped_column(Encrypted, nullable=True, deferred=True)  # the phone given at join
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The snapshot as of the group's last 【刷新数据】 (None: not refreshed since joining).
    snapshot_at: Mapped[datetime | None] = mapped_column(nullable=True)
    code_colour: Mapped[str] = mapped_column(String(10), default="")
    code_reason: Mapped[str] = mapped_column(String(100), default="")
    code_decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    code_city: Mapped[str] = mapped_column(String(50), default="")
    code_guidance: Mapped[str] = mapped_column(String(1000), default="")
    test_result: Mapped[str] = mapped_column(String(10), default="")
    test_sampled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    test_tested_at: Mapped[datetime | None] = mapped_column(nullable=True)
    test_institution: Mapped[str] = mapped_column(String(100), default="")
    test_source: Mapped[str] = mapped_column(String(50), default="")
    test_window: Mapped[str] = mapped_column(String(5), default="")  # 24 / 48 / 72 / other, at snapshot_at
    vaccine_doses: Mapped[int] = mapped_column(default=0)
    vaccine_last_on: Mapped[date | None] = mapped_column(nullable=True)
    vaccine_records: Mapped[list] = mapped_column(JSON, default=list)  # [{dose, on, manufacturer, site}]

    group: Mapped[Group] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class GroupInvite(db.Model):
    """邀请成员: 分享邀请链接 / 保存图片并分享 carry this token; it admits joins for 24 hours."""

    __tablename__ = "group_invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group_code.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    group: Mapped[Group] = relationship()
    created_by: Mapped[Person] = relationship()


class GroupConsent(db.Model):
    """授权并加入团体: what was shared (SHARED, as agreed), with which group, when; and when it ended."""

    __tablename__ = "group_consent"
    __table_args__ = (Index("ix_group_consent_person", "person_id", "ended_at"),
                      Index("ix_group_consent_group", "group_id", "ended_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group_code.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    group_name: Mapped[str] = mapped_column(String(50))  # the name as agreed to
    scope: Mapped[list] = mapped_column(JSON, default=list)  # SHARED at the time of agreeing
    agreement_version: Mapped[str] = mapped_column(String(20), default="")
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ended_reason: Mapped[str] = mapped_column(String(10), default="")  # withdrawn / removed

    group: Mapped[Group] = relationship()

"""The audit log of reads (SPEC P6, P10): who read whose data, in which role, for what.

A list screen writes one row per person shown in a single INSERT (executemany → one statement),
so its query count does not grow with the list (issue 8 item 9). `reads_of` is the read side: the
person's own 查阅记录.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.people import AuditLog, Person
from yks_web.services.deleted_accounts import DELETED_NAME, is_deleted, shown_name


def record(
    session: Session,
    *,
    actor_id: int,
    role: str,
    action: str,
    subject_ids: Iterable[int],
    utc_now: datetime,
    organisation_id: int | None = None,
    context: str = "",
) -> int:
    """One audit row per subject (people reading their own data are not recorded), in one statement; returns the
    count.

    On PostgreSQL the subjects travel as one array (INSERT … SELECT FROM unnest): one round trip whatever their
    number, where psycopg's executemany sends one prepared INSERT per row — 500 for a 申报详情 (issue 14 item 4).
    SQLite's executemany is already one call into the driver. Both are Core statements on the table (no ORM bulk
    insert, no flush first: every id written is of a row that exists already).
    """
    subjects = [subject_id for subject_id in dict.fromkeys(subject_ids) if subject_id != actor_id]
    if not subjects:
        return 0
    values = {"actor_id": actor_id, "role": role, "action": action, "organisation_id": organisation_id,
              "context": context[:100], "created_at": utc_now}
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_INSERT_UNNEST, values | {"subject_ids": subjects})
    else:
        session.execute(insert(AuditLog.__table__), [values | {"subject_id": subject_id} for subject_id in subjects])
    return len(subjects)


def _insert_unnest():
    """INSERT INTO audit_log (…) SELECT :actor_id, …, subjects.subject_id FROM unnest(:subject_ids) AS subjects:
    a Core statement on the table (the ORM's insert would take the one parameter set for a bulk insert)."""
    table = AuditLog.__table__
    subjects = (func.unnest(bindparam("subject_ids", type_=postgresql.ARRAY(Integer)))
                .table_valued("subject_id", with_ordinality="position").render_derived(name="subjects"))
    names = ["actor_id", "role", "action", "organisation_id", "context", "created_at"]
    return insert(table).from_select(  # ids follow the subjects' order: WITH ORDINALITY, not unnest's habit
        [*names, "subject_id"],
        select(*(bindparam(name, type_=table.c[name].type) for name in names), subjects.c.subject_id)
        .order_by(subjects.c.position),
    )


_INSERT_UNNEST = _insert_unnest()


def record_once(
    session: Session, *, actor_id: int, role: str, action: str, subject_id: int, utc_now: datetime,
    within: timedelta, context: str = "",
) -> bool:
    """One row, unless the same reader already has one for this person and action within `within`.

    For screens that refresh themselves (出示粤康码 every minute at a door): a read is written once, not
    once a minute, so 查阅记录 stays readable. Returns whether a row was written.
    """
    if subject_id == actor_id:
        return False
    recent = session.scalar(
        select(AuditLog.id).where(
            AuditLog.actor_id == actor_id, AuditLog.subject_id == subject_id, AuditLog.action == action,
            AuditLog.created_at > utc_now - within,
        ).limit(1)
    )
    if recent is not None:
        return False
    return bool(record(session, actor_id=actor_id, role=role, action=action, subject_ids=[subject_id],
                       utc_now=utc_now, context=context))


def role_label(role: str) -> str:
    """The reader's role in the guides' words, in the reader's language: the access layer's one list of roles
    (issue 8 item 12)."""
    from yks_web.services.access import ROLES  # access reads family, which may one day write audit rows

    found = ROLES.get(role)
    return gettext(found.label) if found else gettext("其他人员")


# What the reader did, in the words 查阅记录 shows (SPEC P10): stored by key, shown in the reader's language
# (action_label).
ACTION_LABELS = {
    "view_day": N_("查看申报详情"),
    "view_declaration": N_("查看个人健康申报"),
    "view_stat": N_("查看统计名单"),
    "view_report": N_("查看提交数据"),
    "proxy_fill": N_("代填报"),
    "view_org_day": N_("查看组织申报情况"),
    "export_csv": N_("导出申报数据（CSV）"),
    "export_xlsx": N_("导出申报数据（Excel）"),
    "view_health": N_("查看健康码与检测记录"),
    "view_health_code": N_("出示粤康码"),
    "resolve_code": N_("扫码查验"),
    "view_observation": N_("查看医学观察信息"),  # 医护人员 出具电子告知书 (issue 11 item 5)
    "issue_notice": N_("出具解除医学观察电子告知书"),
    "download_notice": N_("下载解除医学观察电子告知书"),  # a family member's PDF (issue 11 item 6)
    "view_key_people": N_("查看重点管控人员名单"),  # 已授权网格员 (issue 12 item 6)
    "view_key_person": N_("查看重点管控人员详细信息"),
    "view_group_members": N_("查看团体成员列表"),  # 团体码 成员管理: name, 健康码 colour, 核酸, 疫苗 (issue 13 item 5)
    "view_group_member": N_("查看团体成员信息"),  # 团体码 成员信息: 健康码, 核酸, 疫苗 details
}


def action_label(action: str) -> str:
    return gettext(ACTION_LABELS[action]) if action in ACTION_LABELS else action


# The contexts stored as a screen's constant, with the role that stores each (operator_health and operator_medical,
# operator_feedback; health_code and notice): any other is a name someone typed (an organisation, group, place,
# grid or unit), shown as it is even when it reads like one of these (a group called 家庭成员).
SCREEN_CONTEXTS = frozenset({
    ("operator", N_("健康数据管理")), ("operator", N_("帮助与反馈")), ("family_owner", N_("家庭成员")),
})


def context_label(context: str, role: str) -> str:
    """The stored context: a screen's constant (SCREEN_CONTEXTS) in the reader's language, a typed name as it is.
    The row's role tells them apart: a group may be named 家庭成员 too."""
    return gettext(context) if (role, context) in SCREEN_CONTEXTS else context


def reader_name(name: str, id_type: str | None) -> str:
    """A reader as 查阅记录 names them: masked (*立叶), a deleted account's stand-in in the reader's language."""
    return gettext(DELETED_NAME) if is_deleted(id_type) else shown_name(name, id_type)


@dataclass(frozen=True)
class Read:
    """One line of 查阅记录: who (masked), in which role, for which organisation, when, what."""

    id: int
    role: str
    context: str
    reader: str
    action: str
    at: datetime  # naive UTC, as stored


def reads_of(session: Session, person_id: int, *, limit: int = 20, offset: int = 0) -> tuple[list[Read], bool]:
    """Reads of `person_id`'s data by others, newest first, one page (one query, whatever the page);
    the flag says whether an older page exists."""
    found = session.execute(
        select(AuditLog.id, AuditLog.role, AuditLog.context, AuditLog.action, AuditLog.created_at, Person.name,
               Person.id_type)
        .join(Person, Person.id == AuditLog.actor_id)
        .where(AuditLog.subject_id == person_id)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(limit + 1)
        .offset(offset)
    ).all()
    reads = [
        Read(id=row.id, role=role_label(row.role), context=context_label(row.context, row.role),
             reader=reader_name(row.name, row.id_type),  # masked; 已注销用户 whole (issue 16 item 2)
             action=action_label(row.action), at=row.created_at)
        for row in found[:limit]
    ]
    return reads, len(found) > limit

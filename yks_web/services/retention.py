"""Retention (issue 16 item 3, SPEC P6, P10): every kind of record is deleted once older than its period.

`periods_from_days` turns the operator's settings (config RETENTION_DAYS, YKS_RETENTION_<KIND>_DAYS) into
periods and refuses a bad configuration with one clear message: a period under MIN_DAYS (today's and
yesterday's declarations are what the closed-day rules read), or an audit period shorter than any data
period (the 查阅记录 of a read must outlive the data that was read). `due` counts what is older than its
period; `purge` deletes it in bounded batches: each batch selects at most `batch` ids (oldest first), removes
the rows that point at them, then deletes exactly those ids, and calls `after_batch` — the command commits
there, so each batch is its own short transaction (locks held for one batch only; a crash loses one batch and
the next run goes on). There is never one unbounded DELETE. `now` is naive UTC, as the columns are.

Rows pointing at a deleted row are handled: a kept check that corrected a deleted one (`supersedes_id`) loses
only that link (it stays the counted check); a report's entries go with their report; an institution
declaration goes with its personal part; a school declaration that a kept report still names waits until that
report is due (a report whose entries lost their declarations would claim nobody declared).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.declaration import DailyReport, Declaration, ReportDraft, ReportEntry
from yks_web.models.grid import GridVisit
from yks_web.models.health import PersonalDeclaration, TemperatureCheck
from yks_web.models.institution import InstitutionDeclaration
from yks_web.models.people import AuditLog, SmsChallenge, SmsSend
from yks_web.models.reminders import ReminderLog
from yks_web.models.security import RateEvent
from yks_web.models.sessions import LoginSession

MIN_DAYS = 2
AUDIT = "audit_log"
SESSIONS = "login_sessions"  # follows the login session's absolute lifetime, not a days setting
# The kinds, in the order they are purged: reports before the declarations they name.
KINDS = ("checkins", "grid_visits", "reports", "declarations", "personal_declarations",
         "sms_codes", "rate_events", "reminders", SESSIONS, AUDIT)
LABELS = {
    "checkins": N_("场所打卡/体温检测 (place check-ins)"),
    "grid_visits": N_("网格入户登记 (grid visits)"),
    "reports": N_("采集员每日报告 (daily reports)"),
    "declarations": N_("学校健康申报 (school declarations)"),
    "personal_declarations": N_("个人/组织机构健康申报 (personal declarations)"),
    "sms_codes": N_("短信验证码 (SMS codes and sends)"),
    "rate_events": N_("频率限制计数 (rate-limit counters)"),
    "reminders": N_("未填报提醒记录 (reminders sent)"),
    SESSIONS: N_("已过期的登录会话 (expired login sessions)"),
    AUDIT: N_("查阅记录 (audit log)"),
}


class RetentionConfigError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def env_name(kind: str) -> str:
    return f"YKS_RETENTION_{kind.upper()}_DAYS"


def periods_from_days(days: Mapping[str, object], session_lifetime: timedelta) -> dict[str, timedelta]:
    """Every kind's period, checked; raises RetentionConfigError naming the setting to fix."""
    periods: dict[str, timedelta] = {}
    for kind in KINDS:
        if kind == SESSIONS:
            periods[kind] = session_lifetime
            continue
        raw = days.get(kind)
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise RetentionConfigError(gettext(
                "%(setting)s=%(value)s 不是整数天数 (must be a whole number of days)",
                setting=env_name(kind), value=repr(raw))) from None
        if value < MIN_DAYS:
            raise RetentionConfigError(gettext(
                "%(setting)s=%(value)s 少于%(min)s天：今天和昨天的申报仍要用于截止规则 (a period under %(min)s days is "
                "refused)", setting=env_name(kind), value=value, min=MIN_DAYS))
        periods[kind] = timedelta(days=value)
    longest = max((k for k in periods if k not in (AUDIT, SESSIONS)), key=lambda k: periods[k])
    if periods[AUDIT] < periods[longest]:
        raise RetentionConfigError(gettext(
            "%(audit)s=%(audit_days)s 短于 %(setting)s=%(days)s：查阅记录须保留得不短于它所记录的数据 "
            "(the audit period must not be shorter than any data period)",
            audit=env_name(AUDIT), audit_days=periods[AUDIT].days,
            setting=env_name(longest), days=periods[longest].days))
    return periods


@dataclass(frozen=True)
class _Kind:
    model: type
    at: object  # the time column the period runs from
    extra: Callable[[Mapping[str, datetime]], list] = lambda _cutoffs: []  # more conditions, given every cutoff
    before_delete: Callable[[Session, list[int]], None] = lambda _session, _ids: None


def _unlink_corrections(session: Session, ids: list[int]) -> None:
    session.execute(update(TemperatureCheck).where(TemperatureCheck.supersedes_id.in_(ids)).values(supersedes_id=None))


def _delete_entries(session: Session, ids: list[int]) -> None:
    session.execute(delete(ReportEntry).where(ReportEntry.report_id.in_(ids)))


def _delete_institution_parts(session: Session, ids: list[int]) -> None:
    session.execute(delete(InstitutionDeclaration).where(InstitutionDeclaration.personal_id.in_(ids)))


def _not_named_by_a_kept_report(cutoffs: Mapping[str, datetime]) -> list:
    kept_entry = (
        select(ReportEntry.id)
        .join(DailyReport, DailyReport.id == ReportEntry.report_id)
        .where(ReportEntry.declaration_id == Declaration.id, DailyReport.submitted_at >= cutoffs["reports"])
    )
    return [~exists(kept_entry)]


_KINDS: dict[str, list[_Kind]] = {
    "checkins": [_Kind(TemperatureCheck, TemperatureCheck.checked_at, before_delete=_unlink_corrections)],
    # created_at is the server's time of writing; recorded_at is the device's and may be anything.
    "grid_visits": [_Kind(GridVisit, GridVisit.created_at)],
    "reports": [_Kind(DailyReport, DailyReport.submitted_at, before_delete=_delete_entries),
                _Kind(ReportDraft, ReportDraft.updated_at)],
    "declarations": [_Kind(Declaration, Declaration.created_at, extra=_not_named_by_a_kept_report)],
    "personal_declarations": [_Kind(PersonalDeclaration, PersonalDeclaration.created_at,
                                    before_delete=_delete_institution_parts)],
    "sms_codes": [_Kind(SmsChallenge, SmsChallenge.created_at), _Kind(SmsSend, SmsSend.sent_at)],
    "rate_events": [_Kind(RateEvent, RateEvent.at)],
    "reminders": [_Kind(ReminderLog, ReminderLog.sent_at)],
    SESSIONS: [_Kind(LoginSession, LoginSession.created_at)],
    AUDIT: [_Kind(AuditLog, AuditLog.created_at)],
}


def _cutoffs(now: datetime, periods: Mapping[str, timedelta]) -> dict[str, datetime]:
    return {kind: now - periods[kind] for kind in KINDS}


def _conditions(part: _Kind, kind: str, cutoffs: Mapping[str, datetime]) -> list:
    return [part.at < cutoffs[kind], *part.extra(cutoffs)]


def due(session: Session, now: datetime, periods: Mapping[str, timedelta]) -> dict[str, int]:
    """{kind: rows older than its period} — what `purge` would delete now (parent rows; children go with them)."""
    cutoffs = _cutoffs(now, periods)
    return {
        kind: sum(session.scalar(select(func.count()).select_from(part.model).where(*_conditions(part, kind, cutoffs)))
                  for part in _KINDS[kind])
        for kind in KINDS
    }


def purge(session: Session, now: datetime, periods: Mapping[str, timedelta], *, batch: int = 1000,
          after_batch: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Delete what `due` counts, at most `batch` rows a statement; `after_batch(kind, deleted)` runs after each
    batch (the command commits there). Returns {kind: deleted}."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    cutoffs = _cutoffs(now, periods)
    deleted = dict.fromkeys(KINDS, 0)
    for kind in KINDS:
        for part in _KINDS[kind]:
            pk = part.model.id
            while True:
                ids = list(session.scalars(
                    select(pk).where(*_conditions(part, kind, cutoffs)).order_by(pk).limit(batch)))
                if not ids:
                    break
                part.before_delete(session, ids)
                session.execute(delete(part.model).where(pk.in_(ids)), execution_options={"synchronize_session": False})
                deleted[kind] += len(ids)
                if after_batch is not None:
                    after_batch(kind, len(ids))
                if len(ids) < batch:
                    break
    return deleted

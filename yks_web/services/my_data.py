"""我的数据 (issue 16 item 1; SPEC P6, P10; PIPL art. 44–45): every kind of record held about a person, in plain
words — what it is, who holds and sees it, what it is for, how long it is kept — and a copy to take away.

`collect` reads each section with one statement (services/my_data_specs), so its cost does not grow with the
person's rows: a screen shows the newest SCREEN_LIMIT of each, the web page and JSON copies at most EXPORT_LIMIT, the
PDF (slow to draw) at most PDF_LIMIT, each saying when it was cut; copies are counted per account (DOWNLOADS). The
person's own numbers are whole (it is their copy); everyone else in it is masked as elsewhere, a deleted account
named 已注销用户. Reading one's own data is not a read by someone else, so nothing here is written to the audit log
(audit.record skips a reader's own rows too).

Every column that refers to a person — by key, or by value (an encrypted number, a digest, a typed name, a JSON
document) — is either read by a section (my_data_specs.SPECS' `covers`) or listed in NOT_ABOUT with why;
tests/services/test_my_data.py walks the schema, so a new table about people cannot be left out silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from yks_web.clock import TZ
from yks_web.i18n import N_, gettext, ngettext
from yks_web.models.people import Person
from yks_web.services import retention
from yks_web.services.my_data_records import local
from yks_web.services.my_data_specs import SPECS, Spec
from yks_web.services.rate_limits import Limit

SCHEMA = "yks_web/my-data"
VERSION = 1
SCREEN_LIMIT = 20
EXPORT_LIMIT = 10_000
PDF_LIMIT = 200  # ~1 ms a row to draw: 26 sections in full stay within a few seconds
DOWNLOADS = Limit("my_data_copy", 10, timedelta(hours=1), N_("下载副本过于频繁，请1小时后再试"))

# (table, column) that refer to a person — by key, or by value: an encrypted number, a digest, a name someone typed,
# a JSON document — that no section reads, and why. Keep this in step with the schema: test_my_data.py fails on such
# a column that is neither here nor read by a section.
NOT_ABOUT: dict[tuple[str, str], str] = {
    # Actors on records about someone else. The record is that person's (they see who acted or read); a count here
    # would scan the table on every visit (no index on these columns: audit_log takes hot bulk inserts).
    ("declaration_notice", "actor_id"): "who acted, as told to the person they acted for",
    ("audit_log", "actor_id"): "the reader of someone's data: that person's 查阅记录",  # i18n: data
    # Who set up, decided or handed over someone else's role: part of that appointment, offer or decision.
    ("district_admin", "appointed_by_id"): "who appointed another 区划管理员",  # i18n: data
    ("grid", "decided_by_id"): "the 区划管理员 who confirmed or rejected another person's grid",  # i18n: data
    ("grid_handover", "from_id"):
        "a 管理员变更 link the grid admin made (the role itself is under 担任的角色)",  # i18n: data
    ("grid_handover", "accepted_by_id"):
        "who accepted a 管理员变更 (the role itself is under 担任的角色)",  # i18n: data
    ("place_handover", "from_id"): "an 更换绑定 offer of a place (the role itself is under 担任的角色)",  # i18n: data
    ("place_handover", "to_id"): "an 更换绑定 offer of a place (the role itself is under 担任的角色)",  # i18n: data
    ("medical_staff", "enabled_by_id"): "the operator who enabled a 医护人员",  # i18n: data
    ("medical_staff", "revoked_by_id"): "the operator who revoked a 医护人员",  # i18n: data
    ("medical_staff_event", "actor_id"): "the operator's log of enabling and revoking 医护人员",  # i18n: data
    ("medical_observation", "created_by_id"): "the operator who recorded someone's 医学观察",  # i18n: data
    ("invite", "created_by_id"): "who made an invite card (a bearer card for others)",
    ("group_invite", "created_by_id"): "who made a 团体码 invitation (a bearer link for others)",  # i18n: data
    ("group_member", "invited_by_id"): "who invited another member: part of that member's row",
    ("reminder_log", "sent_by_id"):
        "the collector who pressed 一键提醒: part of the reminded member's row",  # i18n: data
    # An import's per-row result, kept briefly for the operator or school admin who ran it; its rows are about
    # the people imported.
    ("medical_import_report", "person_id"): "an operator's import result (rows about the staff imported)",
    ("teacher_import_report", "person_id"): "a school admin's import result (rows about the teachers imported)",
    ("medical_import_report", "errors"): "an operator's import result: the rows that failed",
    ("teacher_import_report", "errors"): "a school admin's import result: the rows that failed",
    # By value, not this account's record of the person.
    **{("realname_record", column): "the operator's stand-in for the public-security real-name source, which the "
       "account is checked against; not the account's record (注销账号 keeps it)"  # i18n: data
       for column in ("id_number", "id_hash", "phone_hash", "household_hash", "father_hash", "mother_hash")},
    **{("sms_challenge", column): "a code being verified (登录, 注销): the 证件 and phone typed with it, deleted "
       "with the code after RETENTION_DAYS sms_codes"  # i18n: data
       for column in ("id_number", "phone", "phone_hash", "code_hash")},
    ("sms_send", "phone_hash"): "the SMS send log's digest of a phone (per-phone limits), deleted after sms_codes",
    ("login_session", "token_hash"):
        "a digest of a login cookie, not readable (the session is under 登录会话)",  # i18n: data
    ("family_consent_code", "phone_hash"):
        "the code sent to the other person's phone while a 家庭成员 request waits",  # i18n: data
    ("family_consent_code", "code_hash"):
        "the code sent to the other person's phone while a 家庭成员 request waits",  # i18n: data
    ("daily_report", "totals"):
        "a report's figures: counts, nobody named (the person's entry is under 每日报告)",  # i18n: data
    ("teacher_declaration", "changes"): "a 外籍教师's changed details: a school's record, not an account",  # i18n: data
}

# Columns of the person's own row not in 身份信息, and why (test_my_data.py: a new column is shown or named here).
PERSON_NOT_SHOWN: dict[str, str] = {
    "id": "the row's number inside this system",
    "id_masked": "the masked form of 证件号码, which is shown whole",  # i18n: data
    "id_hash": "a keyed digest of 证件号码 for look-ups, not readable",  # i18n: data
    "phone_hash": "a keyed digest of 手机号 for look-ups, not readable",  # i18n: data
    "is_operator": "shown under 担任的角色 (平台运营)",  # i18n: data
}

COVERED: dict[tuple[str, str], str] = {pair: spec.key for spec in SPECS for pair in spec.covers}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    about: str
    who: str
    why: str
    kept: str
    fields: tuple[tuple[str, str], ...]
    rows: list[dict]
    more: bool  # cut at the limit: the download has the rest (or says it too was cut)


@dataclass(frozen=True)
class Part:
    title: str
    sections: list[Section]


@dataclass(frozen=True)
class MyData:
    generated_at: datetime  # aware, Asia/Shanghai
    name: str
    parts: list[Part]
    limit: int
    not_listed: str  # what is about the person but not the account's, in words (NOT_ABOUT's by-value rows)

    @property
    def sections(self) -> list[Section]:
        return [section for part in self.parts for section in part.sections]


def _days(value: object) -> int | None:
    try:
        days = int(str(value).strip())
    except ValueError:
        return None
    return days if days > 0 else None


def kept_words(spec: Spec, retention_days: Mapping[str, object], session_lifetime: timedelta) -> str:
    """How long the section's records are kept, from the operator's settings (config RETENTION_DAYS), in the
    reader's language."""
    if spec.kept == retention.SESSIONS:
        hours = int(session_lifetime.total_seconds() // 3600)
        if hours % 24 == 0:
            return ngettext("退出登录时删除；最长%(num)d天后自动失效并删除",
                            "退出登录时删除；最长%(num)d天后自动失效并删除", hours // 24)
        return ngettext("退出登录时删除；最长%(num)d小时后自动失效并删除",
                        "退出登录时删除；最长%(num)d小时后自动失效并删除", hours)
    if spec.kept not in retention_days:
        return gettext(spec.kept)  # the words themselves (N_ in my_data_specs)
    days = _days(retention_days[spec.kept])
    if days is None:
        return gettext("按运营方设定的期限自动删除")
    if spec.kept == "declarations":
        return ngettext("保存%(num)d天，到期后自动删除（被采集员每日报告引用的申报随该报告一起删除）",
                        "保存%(num)d天，到期后自动删除（被采集员每日报告引用的申报随该报告一起删除）", days)
    return ngettext("保存%(num)d天，到期后自动删除", "保存%(num)d天，到期后自动删除", days)


def collect(session: Session, person: Person, *, utc_now: datetime, retention_days: Mapping[str, object],
            session_lifetime: timedelta, limit: int = SCREEN_LIMIT) -> MyData:
    """Everything held about `person`, section by section (one statement each), at most `limit` rows a section; the
    words (my_data_specs' N_ constants) in the reader's language, the keys as they are."""
    parts: list[Part] = []
    for spec in SPECS:
        rows, more = spec.read(session, person, limit)
        section = Section(spec.key, gettext(spec.title), gettext(spec.about), gettext(spec.who), gettext(spec.why),
                          kept_words(spec, retention_days, session_lifetime),
                          tuple((key, gettext(label)) for key, label in spec.fields), rows, more)
        if not parts or parts[-1].title != gettext(spec.part):
            parts.append(Part(gettext(spec.part), []))
        parts[-1].sections.append(section)
    return MyData(generated_at=local(utc_now), name=person.name, parts=parts, limit=limit,
                  not_listed=not_listed(retention_days))


def not_listed(retention_days: Mapping[str, object]) -> str:
    """The records about the person that are not the account's and so are not listed (NOT_ABOUT, by value)."""
    days = _days(retention_days.get("sms_codes"))
    if days:
        return ngettext("未列出的：实名认证核验来源（代表公安部门）中您的身份记录，它不属于本账户，注销账号后仍由来源"
                        "保存；登录和验证时发送的短信验证码及发送记录（只存手机号的摘要），保存不超过%(num)d天。",
                        "未列出的：实名认证核验来源（代表公安部门）中您的身份记录，它不属于本账户，注销账号后仍由来源"
                        "保存；登录和验证时发送的短信验证码及发送记录（只存手机号的摘要），保存不超过%(num)d天。", days)
    return gettext("未列出的：实名认证核验来源（代表公安部门）中您的身份记录，它不属于本账户，注销账号后仍由来源保存；"
                   "登录和验证时发送的短信验证码及发送记录（只存手机号的摘要），按运营方设定的期限自动删除。")


# -- how a value reads: on the screen, in the HTML and PDF copies, and in the JSON ---------------------------


def shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, datetime):
        return value.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _machine(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(TZ).isoformat()  # 2026-11-20T09:00:00+08:00
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def as_json(data: MyData) -> dict:
    """The machine-readable copy: a schema name and version, then each part's sections with their rows."""
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "generated_at": _machine(data.generated_at),
        "timezone": "Asia/Shanghai",
        "not_listed": data.not_listed,
        "parts": [{
            "title": part.title,
            "sections": [{
                "key": s.key, "title": s.title, "about": s.about, "who": s.who, "why": s.why, "kept": s.kept,
                "fields": [{"key": key, "label": label} for key, label in s.fields],
                "rows": [{key: _machine(row.get(key)) for key, _label in s.fields} for row in s.rows],
                "truncated": s.more,
            } for s in part.sections],
        } for part in data.parts],
    }


def dumps(data: MyData) -> bytes:
    return json.dumps(as_json(data), ensure_ascii=False, indent=2).encode()

"""提醒未填报成员 (issue 16 item 4): who is reminded, at most once an hour and once a day, and the 11:30 countdown.

A reminder goes to a member of an organisation who has not declared today (no declaration of the day for that
organisation; nobody while today's report is submitted: the day is closed, S8) and to each of their 代填人 (an
active ProxyBinding in that organisation), by SMS through the pluggable sender (services/sms.py, purposes
REMINDER and REMINDER_PROXY) to whoever of them has a phone. A member none of whom has a phone cannot be reminded
and is counted apart. Nobody is texted at night: the daily reminder stops at QUIET_FROM, and 一键提醒 is refused
outside EARLIEST–QUIET_FROM.

At most once: every member reminded is a ReminderLog row whose unique key (organisation, person, day, slot) is
claimed by INSERT … ON CONFLICT DO NOTHING RETURNING before anything is sent, and only the rows this sender
inserted are sent, so two app nodes (two clicks, two cron runs) at the same moment remind nobody twice. The claim
is committed before the SMS go out: a sender that dies in between has reminded nobody it claimed (at most once,
never twice). The slots:
- 一键提醒 (send_now): the hour of the Shanghai clock ("h10"), and no member reminded in the hour before (of
  either kind) is reminded again: at 10:00 and 10:59 one SMS, at 11:00 another.
- the daily reminder (send_daily, `flask yks reminders` from cron every few minutes): "daily", once a day, for
  every organisation whose 每日提醒时间 has come (from the day after it was set if it was set after that time).
  A member reminded within the hour is left for a later run.
Both check "reminded within the hour" and claim under the organisation's lock (lock_key "reminders"), in one
transaction: a 一键提醒 and the daily run at the same moment see each other's claims, whichever comes second.

Sending: each SMS's failure (SmsError or anything the gateway raises) is caught, logged and counted; a member's row
then records the SMS that did go out. A member nothing reached is released by a 一键提醒 (the row deleted: the
collector may tap again) and kept with 0 by the daily run (not tried again every few minutes all day); rows with 0
do not count as reminded within the hour. A 一键提醒 sends for at most SEND_SECONDS: the members not reached by
then are released and counted, and the flash asks to tap again.

Statements: send_now is the organisation's lock, one SELECT of the members due with their 代填人 and phones, one
INSERT per CHUNK members, the commit (and, only after a failure, one DELETE/UPDATE per CHUNK); send_daily is one
SELECT for every organisation due, then per batch of whole organisations up to CHUNK members one lock per
organisation, one SELECT of who was reminded within the hour and one INSERT per CHUNK members: constant in the
number of members.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask_babel import get_locale
from sqlalchemy import and_, case, delete, exists, false, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from yks_web.clock import TZ
from yks_web.i18n import DEFAULT_LOCALE, LANGUAGES, N_, gettext, ngettext
from yks_web.models.declaration import DailyReport, Declaration
from yks_web.models.people import Person
from yks_web.models.reminders import DAILY, ReminderLog, ReminderSetting, hour_slot
from yks_web.models.school import Membership, Organisation, ProxyBinding, School
from yks_web.privacy import mask_phone
from yks_web.services import sms
from yks_web.services.deadlines import YESTERDAY_DEADLINE
from yks_web.services.locks import lock_key

INTERVAL = timedelta(hours=1)  # at most one reminder a member an hour
EARLIEST = time(7, 0)  # the 每日提醒时间 a collector may choose: 07:00–21:00; 一键提醒 from 07:00
LATEST = time(21, 0)
QUIET_FROM = time(22, 0)  # no reminder from 22:00 (a daily time set at 21:00 has an hour)
CHUNK = 1000  # members claimed by one INSERT (SQLite's and PostgreSQL's parameter limits stay far)
SEND_SECONDS = 20.0  # a 一键提醒 sends for at most this long: the request stays bounded whatever the gateway does

log = logging.getLogger(__name__)


def quiet_hours(now: datetime) -> bool:
    """Whether `now` is in the night (QUIET_FROM–EARLIEST), when nobody is texted a reminder."""
    moment = _local(now).time()
    return not EARLIEST <= moment < QUIET_FROM


QUIET_TEXT = N_("现在是休息时间，为免打扰成员，一键提醒请在%(start)s–%(end)s之间使用。")


def quiet_text() -> str:
    """Why 一键提醒 is refused at night, in the reader's language."""
    return gettext(QUIET_TEXT, start=f"{EARLIEST:%H:%M}", end=f"{QUIET_FROM:%H:%M}")


@dataclass(frozen=True)
class Recipient:
    person_id: int
    phone: str
    declarant: str | None = None  # for a 代填人: the member as they know them; None: the member themself
    language: str | None = field(default=None, compare=False)  # Person.language: the SMS is in it (issue 15)


@dataclass
class Due:
    """A member of an organisation who has not declared today, with whoever of them and their 代填人 has a phone."""

    organisation_id: int
    organisation: str  # as the SMS names it: school and organisation
    person_id: int
    recipients: list[Recipient] = field(default_factory=list)
    proxies: int = 0  # their 代填人 (with a phone or not)
    recent: bool = False  # reminded within the hour
    log_id: int | None = None  # the ReminderLog row claimed for them


@dataclass(frozen=True)
class Sent:
    """What a 一键提醒 did: the flash says it."""

    reminded: int  # members reminded now (at least one SMS went out)
    messages: int  # SMS sent (to members and their 代填人)
    recent: int  # members not reminded again: reminded within the hour
    unreachable: int  # members neither of whom nor of whose 代填人 has a phone
    submitted: bool = False  # today's report is submitted: nobody declares today any more
    quiet: bool = False  # refused: the night (quiet_hours)
    proxy_messages: int = 0  # of `messages`, to 代填人
    failed: int = 0  # SMS the sender could not send
    missed: int = 0  # members nothing reached (every SMS failed, or SEND_SECONDS ran out): a tap again reminds them

    @property
    def trouble(self) -> bool:
        return bool(self.failed or self.missed)

    def summary(self) -> str:
        """The flash, in the reader's language: one clause per outcome (each whole), joined as a list of them."""
        if self.quiet:
            return quiet_text()
        if self.submitted:
            return gettext("今日数据已提交，成员不能再申报今日数据，无需提醒。")
        if not (self.reminded or self.recent or self.unreachable or self.missed):
            return gettext("今日成员都已填报，无需提醒。")
        if self.reminded and self.proxy_messages:
            parts = [ngettext("已提醒%(num)d人（共发送%(messages)d条短信，其中代填人%(proxies)d条）",
                              "已提醒%(num)d人（共发送%(messages)d条短信，其中代填人%(proxies)d条）", self.reminded,
                              messages=self.messages, proxies=self.proxy_messages)]
        elif self.reminded:
            parts = [ngettext("已提醒%(num)d人（共发送%(messages)d条短信）",
                              "已提醒%(num)d人（共发送%(messages)d条短信）", self.reminded, messages=self.messages)]
        else:
            parts = [gettext("本次未发送提醒")]
        if self.failed:
            parts.append(ngettext("%(num)d条短信发送失败", "%(num)d条短信发送失败", self.failed))
        if self.missed:
            parts.append(ngettext("%(num)d人未能提醒，请稍后再点一次", "%(num)d人未能提醒，请稍后再点一次",
                                  self.missed))
        if self.recent:
            parts.append(ngettext("%(num)d人一小时内已提醒过，暂不重复提醒", "%(num)d人一小时内已提醒过，暂不重复提醒",
                                  self.recent))
        if self.unreachable:
            parts.append(ngettext("%(num)d人及其代填人未登记手机号，无法提醒",
                                  "%(num)d人及其代填人未登记手机号，无法提醒", self.unreachable))
        return gettext("%(clauses)s。", clauses=gettext("；").join(parts))


@dataclass(frozen=True)
class DailyRun:
    organisations: int  # organisations that reminded someone
    reminded: int
    messages: int
    failed: int = 0  # SMS the sender could not send


def _utc(now: datetime) -> datetime:
    return now.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _local(now: datetime) -> datetime:
    return now.astimezone(TZ) if now.tzinfo else now.replace(tzinfo=TZ)


def _due_select(day: date, since: datetime | None):
    """Members without a declaration of `day` in an organisation whose `day` is not reported, one row per (member,
    代填人), with the phones, and whether they were reminded after `since` (naive UTC; None: not asked). The caller
    adds which organisations."""
    member, proxy = aliased(Person), aliased(Person)
    declared = exists().where(Declaration.organisation_id == Membership.organisation_id, Declaration.day == day,
                              Declaration.person_id == Membership.person_id)
    reported = exists().where(DailyReport.organisation_id == Membership.organisation_id, DailyReport.day == day)
    recent = false() if since is None else exists().where(
        ReminderLog.organisation_id == Membership.organisation_id, ReminderLog.person_id == Membership.person_id,
        ReminderLog.sent_at > since, ReminderLog.messages > 0)
    return (
        select(Membership.organisation_id, School.name, Organisation.name, Membership.person_id, member.phone,
               recent.label("recent"), ProxyBinding.proxy_id, proxy.phone, ProxyBinding.typed_name, member.name,
               member.name_verified_at, member.language, proxy.language)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .join(School, School.id == Organisation.school_id)
        .join(member, member.id == Membership.person_id)
        .outerjoin(ProxyBinding, and_(ProxyBinding.organisation_id == Membership.organisation_id,
                                      ProxyBinding.declarant_id == Membership.person_id,
                                      ProxyBinding.active.is_(True)))
        .outerjoin(proxy, proxy.id == ProxyBinding.proxy_id)
        .where(Membership.active.is_(True), ~declared, ~reported)
        .order_by(Membership.organisation_id, Membership.id, ProxyBinding.id)
    )


def _gather(rows: Iterable) -> list[Due]:
    found: dict[tuple[int, int], Due] = {}
    for (org_id, school, org_name, person_id, phone, recent, proxy_id, proxy_phone, typed_name, name,
         verified_at, language, proxy_language) in rows:
        due = found.get((org_id, person_id))
        if due is None:
            due = found[(org_id, person_id)] = Due(org_id, f"{school}{org_name}", person_id, recent=bool(recent))
            if phone:
                due.recipients.append(Recipient(person_id, phone, language=language))
        if proxy_id is not None:
            due.proxies += 1
            if proxy_phone and proxy_id != person_id:
                # As the 代填人 sees them (ProxyBinding.shown_name): what they typed until the member logs in.
                known_as = name if verified_at is not None else (typed_name or name)
                due.recipients.append(Recipient(proxy_id, proxy_phone, known_as, language=proxy_language))
    return list(found.values())


def who_to_remind(session: Session, organisation_id: int, day: date, since: datetime | None = None) -> list[Due]:
    """The organisation's members who have not declared on `day`, each with their 代填人 (one statement, in
    joining order). `since` (naive UTC) marks those reminded after it (Due.recent)."""
    query = _due_select(day, since).where(Membership.organisation_id == organisation_id)
    return _gather(session.execute(query))


def _insert(session: Session):
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert(ReminderLog)


def _claim(session: Session, dues: list[Due], day: date, slot: str, utc_now: datetime,
           sent_by_id: int | None) -> list[Due]:
    """Insert a log row for each member; those another sender claimed first are left out. Returns the claimed,
    each with its row's id."""
    claimed: dict[tuple[int, int], int] = {}
    for start in range(0, len(dues), CHUNK):
        rows = [{"organisation_id": d.organisation_id, "person_id": d.person_id, "day": day, "slot": slot,
                 "sent_at": utc_now, "sent_by_id": sent_by_id, "messages": len(d.recipients)}
                for d in dues[start:start + CHUNK]]
        statement = (
            _insert(session).values(rows)
            .on_conflict_do_nothing(index_elements=["organisation_id", "person_id", "day", "slot"])
            .returning(ReminderLog.organisation_id, ReminderLog.person_id, ReminderLog.id)
        )
        claimed.update(((org_id, person_id), row_id) for org_id, person_id, row_id in session.execute(statement))
    mine = [d for d in dues if (d.organisation_id, d.person_id) in claimed]
    for due in mine:
        due.log_id = claimed[(due.organisation_id, due.person_id)]
    return mine


@dataclass
class _Outcome:
    """What one round of sending did, and which claimed rows it must correct (_settle)."""

    reminded: int = 0
    messages: int = 0
    proxy_messages: int = 0
    failed: int = 0
    missed: int = 0  # members nothing reached
    organisations: set[int] = field(default_factory=set)  # those that reminded someone
    unreached: list[int] = field(default_factory=list)  # log ids of the members nothing reached
    partly: dict[int, int] = field(default_factory=dict)  # log id: the SMS that went, where some failed


def _send(sender: sms.SmsSender, dues: list[Due], day: date, deadline: float | None = None) -> _Outcome:
    """Send each claimed member's SMS, one failure not stopping the rest; stop starting members at `deadline`
    (time.monotonic()). Each SMS is in its recipient's language (Person.language; 简体中文 if they never chose one,
    whatever the language of the collector who tapped), its date too."""
    out = _Outcome()
    for due in dues:
        went = 0
        if deadline is None or monotonic() < deadline:
            for to in due.recipients:
                language = to.language if to.language in LANGUAGES else DEFAULT_LOCALE
                when = month_day(day, language)
                try:
                    if to.declarant is None:
                        sender.send(to.phone, "", sms.REMINDER, organisation=due.organisation, day=when,
                                    language=language)
                    else:
                        sender.send(to.phone, "", sms.REMINDER_PROXY, organisation=due.organisation, day=when,
                                    declarant=to.declarant, language=language)
                except Exception:  # SmsError or whatever the gateway raises: the others are still sent
                    log.warning("reminder SMS to %s failed", mask_phone(to.phone), exc_info=True)
                    out.failed += 1
                    continue
                went += 1
                if to.declarant is not None:
                    out.proxy_messages += 1
        out.messages += went
        if not went:
            out.missed += 1
            out.unreached.append(due.log_id)
            continue
        out.reminded += 1
        out.organisations.add(due.organisation_id)
        if went < len(due.recipients):
            out.partly[due.log_id] = went
    return out


def _settle(session: Session, out: _Outcome, release: bool) -> None:
    """Make the claimed rows say what was sent: the members nothing reached deleted (`release`: they may be
    reminded again at once) or kept with 0, the others with the SMS that went. Nothing to do without a failure."""
    recount = dict(out.partly)
    if not release:
        recount.update(dict.fromkeys(out.unreached, 0))
    elif out.unreached:
        for start in range(0, len(out.unreached), CHUNK):
            session.execute(delete(ReminderLog).where(ReminderLog.id.in_(out.unreached[start:start + CHUNK]))
                            .execution_options(synchronize_session=False))
    ids = sorted(recount)
    for start in range(0, len(ids), CHUNK):
        chunk = {row_id: recount[row_id] for row_id in ids[start:start + CHUNK]}
        session.execute(update(ReminderLog).where(ReminderLog.id.in_(list(chunk)))
                        .values(messages=case(chunk, value=ReminderLog.id))
                        .execution_options(synchronize_session=False))
    if out.unreached or recount:
        session.commit()


def send_now(session: Session, sender: sms.SmsSender, organisation: Organisation, collector_id: int,
             now: datetime) -> Sent:
    """一键提醒未填报成员: remind every member of `organisation` who has not declared today and was not reminded
    in the last hour, and their 代填人. Commits the claim, then sends; `now` is the aware clock.now()."""
    if quiet_hours(now):
        return Sent(0, 0, 0, 0, quiet=True)
    local = _local(now)
    day, utc_now = local.date(), _utc(local)
    lock_key(session, "reminders", str(organisation.id))  # one 一键提醒 or daily run of an organisation at a time
    reported = session.scalar(select(DailyReport.id).where(
        DailyReport.organisation_id == organisation.id, DailyReport.day == day))
    if reported is not None:
        session.rollback()
        return Sent(0, 0, 0, 0, submitted=True)
    dues = who_to_remind(session, organisation.id, day, since=utc_now - INTERVAL)
    recent = [d for d in dues if d.recent]
    unreachable = [d for d in dues if not d.recent and not d.recipients]
    wanted = [d for d in dues if not d.recent and d.recipients]
    claimed = _claim(session, wanted, day, hour_slot(local.hour), utc_now, collector_id)
    session.commit()
    out = _send(sender, claimed, day, deadline=monotonic() + SEND_SECONDS)
    _settle(session, out, release=True)
    return Sent(out.reminded, out.messages, len(recent) + len(wanted) - len(claimed), len(unreachable),
                proxy_messages=out.proxy_messages, failed=out.failed, missed=out.missed)


def _batches(dues: list[Due], size: int) -> Iterator[list[Due]]:
    """`dues` (in organisation order) in batches of whole organisations, up to `size` members unless one
    organisation alone has more."""
    groups: list[list[Due]] = []
    for due in dues:
        if groups and groups[-1][0].organisation_id == due.organisation_id:
            groups[-1].append(due)
        else:
            groups.append([due])
    batch: list[Due] = []
    for group in groups:
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch += group
    if batch:
        yield batch


def send_daily(session: Session, sender: sms.SmsSender, now: datetime) -> DailyRun:
    """`flask yks reminders`: the daily reminder of every organisation whose 每日提醒时间 has come today (before
    QUIET_FROM), to each member not yet reminded today by it nor within the hour. Each batch of organisations:
    their locks, who was reminded within the hour read again, the claim, commit; then its SMS."""
    local = _local(now)
    day, utc_now, clock_time = local.date(), _utc(local), local.time()
    if clock_time >= QUIET_FROM:
        return DailyRun(0, 0, 0)
    since = utc_now - INTERVAL
    reminded_today = exists().where(ReminderLog.organisation_id == Membership.organisation_id,
                                    ReminderLog.person_id == Membership.person_id, ReminderLog.day == day,
                                    ReminderLog.slot == DAILY)
    query = (
        _due_select(day, since)
        .join(ReminderSetting, ReminderSetting.organisation_id == Membership.organisation_id)
        .where(ReminderSetting.remind_at <= clock_time, ReminderSetting.starts_on <= day, ~reminded_today)
    )
    dues = [d for d in _gather(session.execute(query)) if d.recipients and not d.recent]
    session.commit()  # end the read: each batch below is its own short transaction
    reminded = messages = failed = 0
    organisations: set[int] = set()
    for batch in _batches(dues, CHUNK):
        org_ids = sorted({d.organisation_id for d in batch})
        for org_id in org_ids:  # in one order: two runs never wait for each other in a circle
            lock_key(session, "reminders", str(org_id))  # the lock send_now takes: a 一键提醒 now waits, or is seen
        recent = set(session.execute(
            select(ReminderLog.organisation_id, ReminderLog.person_id)
            .where(ReminderLog.organisation_id.in_(org_ids), ReminderLog.sent_at > since, ReminderLog.messages > 0)
        ).tuples())
        claimed = _claim(session, [d for d in batch if (d.organisation_id, d.person_id) not in recent], day, DAILY,
                         utc_now, None)
        session.commit()
        out = _send(sender, claimed, day)
        _settle(session, out, release=False)
        reminded, messages, failed = reminded + out.reminded, messages + out.messages, failed + out.failed
        organisations |= out.organisations
    return DailyRun(len(organisations), reminded, messages, failed)


# -- 每日提醒时间 ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Daily:
    """An organisation's 每日提醒时间 and the first day it is sent."""

    remind_at: time
    starts_on: date


def daily_setting(session: Session, organisation_id: int) -> Daily | None:
    """The organisation's 每日提醒时间, None for 不提醒."""
    row = session.execute(select(ReminderSetting.remind_at, ReminderSetting.starts_on)
                          .where(ReminderSetting.organisation_id == organisation_id)).first()
    return Daily(*row) if row else None


def set_daily_time(session: Session, organisation_id: int, remind_at: time | None, now: datetime) -> Daily | None:
    """Set (or, with None, remove: 不提醒) the organisation's 每日提醒时间; the caller commits. A time already
    passed today (10:30 saved at 15:00) starts tomorrow; the same time saved again keeps its first day."""
    local = _local(now)
    row = session.scalar(select(ReminderSetting).where(ReminderSetting.organisation_id == organisation_id))
    if remind_at is None:
        if row is not None:
            session.delete(row)
        return None
    today = local.date()
    starts_on = today if local.time() <= remind_at else today + timedelta(days=1)
    if row is None:
        row = ReminderSetting(organisation_id=organisation_id, remind_at=remind_at, starts_on=starts_on)
        session.add(row)
    elif row.remind_at != remind_at:
        row.remind_at, row.starts_on = remind_at, starts_on
    row.updated_at = _utc(local)
    return Daily(row.remind_at, row.starts_on)


def _language() -> str:
    """The reader's language (the request's locale), 简体中文 outside a request."""
    locale = get_locale()
    return str(locale) if locale is not None and str(locale) in LANGUAGES else DEFAULT_LOCALE


def month_day(day: date, language: str | None = None) -> str:
    """3月21日 as the guide writes it; in another language (`language`, else the reader's) its own month and day
    (Nov 21, 11月21日), as template_helpers.month_day."""
    language = language or _language()
    if language == DEFAULT_LOCALE:
        return f"{day.month}月{day.day}日"  # i18n: data (the guide's format, the msgid language's own)
    return format_skeleton("MMMd", day, locale=language)


def saved_text(chosen: Daily | None, now: datetime) -> str:
    """The flash after saving the 每日提醒时间."""
    if chosen is None:
        return gettext("已关闭每日提醒")
    at = f"{chosen.remind_at:%H:%M}"
    if chosen.starts_on > _local(now).date():
        return gettext("已设置每日%(time)s提醒未填报成员；今天已过%(time)s，从明天（%(day)s）开始提醒", time=at,
                       day=month_day(chosen.starts_on))
    return gettext("已设置每日%(time)s提醒未填报成员", time=at)


# -- the 11:30 countdown --------------------------------------------------------------------------------------

DEADLINE = f"{YESTERDAY_DEADLINE:%H:%M}"
# N_ (issue 15): said in the reader's language when the 工作台 is drawn. static/js/countdown.js writes LEFT again
# every second from the part before and the part after the time (Countdown.prefix/suffix).
LEFT = N_("还剩%(time)s（%(deadline)s截止）")
LOCKED = N_("已超过%(deadline)s，不可提交")
_MARK = "\x00"  # where the time goes in LEFT, to cut it in two


@dataclass(frozen=True)
class Countdown:
    """Yesterday's data and its 11:30 lock, as the 工作台 says it: 提交11月19日数据：还剩2小时30分（11:30截止）
    (the guide: 每天上午11:30前，采集员可提交前一天的数据，超时则不可提交; SPEC S8, W9)."""

    text: str  # after 提交{day}数据：
    seconds_left: int  # until the lock; 0 once locked or submitted
    day: date  # yesterday
    prefix: str = ""  # for static/js/countdown.js: prefix + 1小时23分 + suffix, then `done` (lock_countdown)
    suffix: str = ""
    done: str = ""


def lock_countdown(now: datetime, yesterday_submitted: bool) -> Countdown:
    local = _local(now)
    """Yesterday's countdown in the reader's language."""
    yesterday = local.date() - timedelta(days=1)
    if yesterday_submitted:
        return Countdown(gettext("已提交"), 0, yesterday)
    lock = datetime.combine(local.date(), YESTERDAY_DEADLINE, TZ)
    left = int((lock - local).total_seconds())
    locked = gettext(LOCKED, deadline=DEADLINE)
    if left <= 0:
        return Countdown(locked, 0, yesterday, done=locked)
    prefix, _mark, suffix = gettext(LEFT, time=_MARK, deadline=DEADLINE).partition(_MARK)
    return Countdown(f"{prefix}{duration_text(left)}{suffix}", left, yesterday, prefix, suffix, locked)


def duration_text(seconds: int) -> str:
    """1小时23分, 23分, 不到1分钟 (whole minutes, rounded down), in the reader's language."""
    hours, minutes = divmod(seconds // 60, 60)
    if hours:
        return gettext("%(hours)d小时%(minutes)d分", hours=hours, minutes=minutes)
    return gettext("%(minutes)d分", minutes=minutes) if minutes else gettext("不到1分钟")


@dataclass(frozen=True)
class Panel:
    """What the 工作台 shows of reminders: the 每日提醒时间, yesterday's countdown and whether it is the night."""

    daily: Daily | None
    countdown: Countdown | None  # None for an organisation created today: it had no yesterday
    quiet: bool  # 一键提醒 is refused now (quiet_hours)
    today: date

    @property
    def quiet_text(self) -> str:
        return quiet_text()

    @property
    def daily_text(self) -> str:
        """每日提醒：10:30, 10:30（明天开始）, 不提醒 (the word of the 每日提醒时间 screen)."""
        if self.daily is None:
            return gettext("不提醒")
        text = f"{self.daily.remind_at:%H:%M}"
        return gettext("%(time)s（明天开始）", time=text) if self.daily.starts_on > self.today else text


def workbench_panel(session: Session, organisation: Organisation, now: datetime) -> Panel:
    """One statement: the 每日提醒时间 and whether yesterday's report is submitted."""
    today = _local(now).date()
    yesterday = today - timedelta(days=1)
    setting = select(ReminderSetting).where(ReminderSetting.organisation_id == organisation.id)
    remind_at, starts_on, submitted = session.execute(select(
        setting.with_only_columns(ReminderSetting.remind_at).scalar_subquery(),
        setting.with_only_columns(ReminderSetting.starts_on).scalar_subquery(),
        exists().where(DailyReport.organisation_id == organisation.id, DailyReport.day == yesterday),
    )).one()
    created = _local(organisation.created_at.replace(tzinfo=ZoneInfo("UTC"))).date()
    return Panel(
        daily=Daily(remind_at, starts_on) if remind_at is not None else None,
        countdown=lock_countdown(now, bool(submitted)) if created < today else None,
        quiet=quiet_hours(now),
        today=today,
    )

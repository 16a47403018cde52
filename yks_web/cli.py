"""Operator commands: `flask yks create-school`, `admin-invite`, `make-operator`, `demo` (SPEC W1),
`flask yks health …` (H2), `flask yks realname …` (I6, issue 8 item 1) and `flask yks medical …` (O7, issue 11)."""

from __future__ import annotations

from datetime import UTC

import click
from flask import Flask

from yks_web import clock
from yks_web.extensions import db
from yks_web.models import School
from yks_web.models.people import ID_TYPES
from yks_web.models.school import SCHOOL_TYPES

BASE_URL = "http://127.0.0.1:5000"
# The printed links point where the server is reached: `make run HOST=… PORT=…` sets YKS_BASE_URL (issue 9 item 9).
base_url_option = click.option("--base-url", envvar="YKS_BASE_URL", default=BASE_URL, show_default=True,
                               show_envvar=True, help="链接的网址前缀（服务的地址）",
                               callback=lambda _ctx, _param, value: value.rstrip("/"))


def init_app(app: Flask) -> None:
    @app.cli.group("yks")
    def yks() -> None:
        """yks_web operator commands."""

    @yks.command("create-school")
    @click.option("--name", required=True, help="学校名称")
    @click.option("--type", "school_type", required=True, type=click.Choice(SCHOOL_TYPES), help="学校类型")
    @click.option("--region", required=True, help="地区")
    @base_url_option
    def create_school(name: str, school_type: str, region: str, base_url: str) -> None:
        """Create a school and print its school-admin invite link."""
        from yks_web.services.schools import SchoolError, create_school

        try:
            school, invite = create_school(
                db.session, name=name, school_type=school_type, region=region, utc_now=clock.utcnow()
            )
        except SchoolError as exc:
            raise click.BadParameter(exc.message) from exc
        db.session.commit()
        click.echo(f"学校已创建：{school.name}（编号 {school.id}）")
        click.echo(f"学校管理员邀请链接（7天内有效，仅可使用一次）：{base_url}/invite/{invite.token}")

    @yks.command("admin-invite")
    @click.argument("school_id", type=int)
    @click.option("--renew", is_flag=True, help="作废尚未使用的链接，生成新链接（例如链接发错了人）")
    @base_url_option
    def admin_invite(school_id: int, renew: bool, base_url: str) -> None:
        """The school's live school-admin invite link: the one handed out before while unused, else a new one
        (an admin link makes one admin; at most one is live per school, issue 9 item 9)."""
        from yks_web.services import invites

        if db.session.get(School, school_id) is None:
            raise click.BadParameter(f"没有编号为 {school_id} 的学校")
        link = invites.school_admin_link(db.session, school_id=school_id, utc_now=clock.utcnow(), renew=renew)
        db.session.commit()
        until = link.invite.expires_at.replace(tzinfo=UTC).astimezone(clock.TZ)
        state = "此前发出的链接，仍然有效" if link.reused else "新链接"
        click.echo(f"学校管理员邀请链接（{state}，{until:%Y-%m-%d %H:%M}前有效，仅可使用一次）：")
        click.echo(f"{base_url}/invite/{link.invite.token}")
        if link.revoked:
            click.echo("此前发出的其他未使用的学校管理员邀请链接已作废，请只发送上面这个链接。")
        if link.reused:
            click.echo("如需作废这个链接并生成新链接，请加 --renew。")

    @yks.command("make-operator")
    @click.option("--name", required=True)
    @click.option("--id-type", default="id_card", type=click.Choice(list(ID_TYPES)), show_default=True)
    @click.option("--id-number", required=True)
    def make_operator(name: str, id_type: str, id_number: str) -> None:
        """Let a person use the operator page (/operator/)."""
        from yks_web.services.identity import IdentityMismatch, claim_person, make_identity, validate_id, validate_name

        problem = validate_id(id_type, id_number) or validate_name(name)
        if problem:
            raise click.BadParameter(problem)
        try:  # the operator's name for them is a claim too: their own login sets the verified one (I6)
            person = claim_person(db.session, make_identity(name, id_type, id_number), utc_now=clock.utcnow()).person
        except IdentityMismatch as exc:
            raise click.BadParameter(exc.message) from exc
        person.is_operator = True
        db.session.commit()
        click.echo(f"{person.name} 现在是平台运营人员")

    init_health_cli(yks)
    init_realname_cli(yks)
    init_medical_cli(yks)
    init_district_cli(yks)
    init_retention_cli(yks)
    init_reminders_cli(yks)

    @yks.command("demo")
    @base_url_option
    def demo(base_url: str) -> None:
        """Load the demo school (once) and print how to log in as each role."""
        from yks_web import demo as demo_data

        summary = demo_data.load(db.session, today=clock.today(), utc_now=clock.utcnow(), base_url=base_url)
        db.session.commit()
        click.echo("演示账号（实名认证：证件类型选“内地居民身份证”，开发环境下验证码直接显示在页面上）：")
        for account in summary["accounts"]:
            click.echo(
                f"  {account.role:<12} 姓名 {account.name:<4} 证件号码 {account.id_number}  手机号 {account.phone}"
            )
        click.echo(f"成员邀请卡片链接（高一(1)班）：{summary['member_invite']}")
        click.echo(f"采集员邀请链接（学校管理员发出）：{summary['collector_invite']}")
        click.echo(f"公共场所（{summary['place']}）场所申报码：{summary['place_code']}（检测员绑定用）")
        click.echo(f"体温正常快速打卡葵花码链接：{summary['poster']}")
        click.echo(f"组织机构（{summary['institution']}）组织机构申报码：{summary['institution_code']}（成员绑定用）")
        if summary["grid_code"]:  # gone once someone 解散 the demo grid
            click.echo(f"网格（{summary['grid']}）网格申报码：{summary['grid_code']}（网格员绑定用）")


def _person_by_identity(name: str, id_type: str, id_number: str):
    from yks_web.services.identity import find_person, make_identity, validate_id

    problem = validate_id(id_type, id_number)
    if problem:
        raise click.BadParameter(problem)
    person = find_person(db.session, make_identity(name, id_type, id_number))
    if person is None or person.name != name.strip():
        raise click.BadParameter("未找到该人员，请核对姓名与证件号码")
    return person


def _identity_options(command):
    command = click.option("--id-number", required=True)(command)
    command = click.option("--id-type", default="id_card", type=click.Choice(list(ID_TYPES)), show_default=True)(
        command
    )
    return click.option("--name", required=True)(command)


def init_health_cli(yks) -> None:
    """`flask yks health …`: the built-in health data provider's data (SPEC H2)."""
    from yks_web.models.health import COLOURS, TEST_RESULTS
    from yks_web.services import health_data, health_records

    @yks.group("health")
    def health() -> None:
        """Health codes, nucleic-acid tests, vaccinations and 入粤登记 of the built-in provider."""

    @health.command("status")
    @_identity_options
    @click.option("--colour", required=True, type=click.Choice(list(COLOURS)))
    @click.option("--reason", default="")
    @click.option("--city", default="")
    @click.option("--guidance", default="")
    def status(name, id_type, id_number, colour, reason, city, guidance) -> None:
        """Set a person's code colour (and why)."""
        person = _person_by_identity(name, id_type, id_number)
        try:
            health_data.set_status(db.session, person.id, colour=colour, reason=reason, city=city,
                                   guidance=guidance, utc_now=clock.utcnow())
        except health_data.HealthDataError as exc:
            raise click.BadParameter(exc.message) from exc
        db.session.commit()
        click.echo(f"{person.name}：{COLOURS[colour]}")

    @health.command("test")
    @_identity_options
    @click.option("--result", default="阴性", type=click.Choice(list(TEST_RESULTS)), show_default=True)
    @click.option("--hours-ago", default=12, type=click.IntRange(0, 24 * 365), show_default=True)
    @click.option("--institution", default="")
    def test(name, id_type, id_number, result, hours_ago, institution) -> None:
        """Add a nucleic-acid test result."""
        from datetime import timedelta

        person = _person_by_identity(name, id_type, id_number)
        try:
            health_records.add_test(db.session, person.id, sampled_at=clock.utcnow() - timedelta(hours=hours_ago),
                                    result=result, institution=institution)
        except health_data.HealthDataError as exc:
            raise click.BadParameter(exc.message) from exc
        db.session.commit()
        click.echo(f"{person.name}：核酸{result}")

    @health.command("vaccinate")
    @_identity_options
    @click.option("--dose", required=True, type=click.IntRange(1, 5))
    @click.option("--on", "vaccinated_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
    @click.option("--manufacturer", default="")
    def vaccinate(name, id_type, id_number, dose, vaccinated_on, manufacturer) -> None:
        """Add a vaccination dose."""
        person = _person_by_identity(name, id_type, id_number)
        try:
            health_records.add_vaccination(db.session, person.id, dose=dose, vaccinated_on=vaccinated_on.date(),
                                           manufacturer=manufacturer)
        except health_data.HealthDataError as exc:
            raise click.BadParameter(exc.message) from exc
        db.session.commit()
        click.echo(f"{person.name}：第{dose}剂")

    @health.command("entry")
    @_identity_options
    @click.option("--on", "arrived_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
    @click.option("--from", "from_region", required=True)
    @click.option("--transport", default="")
    def entry(name, id_type, id_number, arrived_on, from_region, transport) -> None:
        """Add a 入粤登记 record."""
        person = _person_by_identity(name, id_type, id_number)
        try:
            health_records.add_entry(db.session, person.id, arrived_on=arrived_on.date(), from_region=from_region,
                                     transport=transport, utc_now=clock.utcnow())
        except health_data.HealthDataError as exc:
            raise click.BadParameter(exc.message) from exc
        db.session.commit()
        click.echo(f"{person.name}：入粤登记 {from_region}")


def init_realname_cli(yks) -> None:
    """`flask yks realname …`: the records of the built-in real-name source (SPEC I6, issue 8 item 1)."""
    from yks_web.services import realname_table
    from yks_web.services.identity import make_identity, validate_id

    @yks.group("realname")
    def realname() -> None:
        """Who may log in: 姓名 + 证件 (+ 手机号, 户籍户号, 出生日期, 出生医学证明上的父母) per person."""

    @realname.command("set")
    @_identity_options
    @click.option("--phone", default="", help="实名登记的手机号（可选）")
    @click.option("--household", default="", help="户籍户号（省内户籍，可选）")
    @click.option("--birth-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="出生日期（身份证号码自带；其他证件可选）")
    @click.option("--father-id-type", default="id_card", type=click.Choice(list(ID_TYPES)), show_default=True)
    @click.option("--father-id-number", default="", help="出生医学证明上父亲的证件号码")
    @click.option("--mother-id-type", default="id_card", type=click.Choice(list(ID_TYPES)), show_default=True)
    @click.option("--mother-id-number", default="", help="出生医学证明上母亲的证件号码")
    def set_record(name, id_type, id_number, phone, household, birth_date, father_id_type, father_id_number,
                   mother_id_type, mother_id_number) -> None:
        """Add or replace one person's record (the whole record: options left out are cleared)."""
        father = realname_table.Parent(father_id_type, father_id_number) if father_id_number else None
        mother = realname_table.Parent(mother_id_type, mother_id_number) if mother_id_number else None
        try:
            record = realname_table.set_record(
                db.session, make_identity(name, id_type, id_number), utc_now=clock.utcnow(), today=clock.today(),
                phone=phone or None, household=household or None,
                birth_date=birth_date.date() if birth_date else None, father=father, mother=mother,
            )
        except realname_table.RealNameError as exc:
            raise click.BadParameter(exc.message, param_hint=f"--{exc.field.replace('_', '-')}") from exc
        db.session.commit()
        click.echo(f"已登记：{record.name} {record.id_type_label} {record.id_masked}")

    @realname.command("list")
    @click.option("--limit", default=50, type=click.IntRange(1, 10000), show_default=True)
    def list_records(limit: int) -> None:
        """The most recently set records, numbers masked."""
        rows = realname_table.records(db.session, limit=limit)
        click.echo(f"共{realname_table.record_count(db.session)}条实名记录，最近设置的{len(rows)}条：")
        for r in rows:
            extra = [f"手机号 {r.phone_masked}" if r.phone_masked else "",
                     f"户号 {r.household_masked}" if r.household_masked else "",
                     f"出生 {r.birth_date:%Y-%m-%d}" if r.birth_date else "",
                     "出生医学证明登记了父母" if r.father_hash or r.mother_hash else ""]
            click.echo(f"  {r.name} {r.id_type_label} {r.id_masked} " + " ".join(e for e in extra if e))

    @realname.command("remove")
    @click.option("--id-type", default="id_card", type=click.Choice(list(ID_TYPES)), show_default=True)
    @click.option("--id-number", required=True)
    def remove_record(id_type: str, id_number: str) -> None:
        """Forget one 证件: that person can no longer log in (what they declared stays)."""
        problem = validate_id(id_type, id_number)
        if problem:
            raise click.BadParameter(problem, param_hint="--id-number")
        identity = make_identity("", id_type, id_number)
        if not realname_table.remove_record(db.session, id_type, identity.hash):
            raise click.BadParameter("没有该证件的实名记录", param_hint="--id-number")
        db.session.commit()
        click.echo("已删除该证件的实名记录")


def init_medical_cli(yks) -> None:
    """`flask yks medical …`: 医护人员 who may issue 解除医学观察电子告知书, and 医学观察 (SPEC O7, H2; issue 11)."""
    from pathlib import Path

    from yks_web.models.medical import VIA_CLI
    from yks_web.services import medical_staff, observations

    @yks.group("medical")
    def medical() -> None:
        """开通/撤销 医护人员 (表5-2: 姓名, 联系电话, 单位名称, 职位), import the table, list them; 医学观察."""

    @medical.command("enable")
    @click.option("--name", required=True, help="姓名（与本人实名认证的姓名一致）")
    @click.option("--phone", required=True, help="联系电话（本人登录所用的手机号）")
    @click.option("--unit", required=True, help="单位名称")
    @click.option("--position", required=True, help="职位")
    def enable(name: str, phone: str, unit: str, position: str) -> None:
        """Enable one person to issue notices."""
        values, errors = medical_staff.clean({"name": name, "phone": phone, "unit": unit, "position": position})
        if values is None:
            field, message = next(iter(errors.items()))
            raise click.BadParameter(message, param_hint=f"--{field}")
        try:
            staff = medical_staff.enable(db.session, values, actor_id=None, via=VIA_CLI, utc_now=clock.utcnow())
        except medical_staff.StaffError as exc:
            raise click.BadParameter(exc.message, param_hint="--phone") from exc
        db.session.commit()
        click.echo(f"已开通医护人员权限：{staff.name} {staff.phone_masked}（{staff.unit} {staff.position}）")

    @medical.command("revoke")
    @click.option("--phone", required=True, help="联系电话")
    @click.option("--name", default="", help="姓名（同一号码开通了多人时必填）")
    def revoke(phone: str, name: str) -> None:
        """Revoke an enabled staff member (found by phone, and name when several share it)."""
        rows = [r for r in medical_staff.active_by_phone(db.session, phone) if not name or r.name == name.strip()]
        if not rows:
            raise click.BadParameter("没有该联系电话（及姓名）的已开通医护人员", param_hint="--phone")
        if len(rows) > 1:
            raise click.BadParameter("该号码开通了多人，请用 --name 指明", param_hint="--name")
        medical_staff.revoke(db.session, rows[0], actor_id=None, via=VIA_CLI, utc_now=clock.utcnow())
        db.session.commit()
        click.echo(f"已撤销{rows[0].name}（{rows[0].unit}）的医护人员权限")

    @medical.command("list")
    @click.option("--limit", default=50, type=click.IntRange(1, 10000), show_default=True)
    def list_staff(limit: int) -> None:
        """The enabled staff, newest first, phones masked."""
        rows, total = medical_staff.active_staff(db.session, limit=limit)
        click.echo(f"共{total}名已开通的医护人员，最近开通的{len(rows)}名：")
        for r in rows:
            click.echo(f"  {r.name} {r.phone_masked} {r.unit} {r.position}")

    @medical.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_file(file: Path) -> None:
        """Enable every valid row of a 表5-2 CSV/XLSX file (序号, 姓名, 联系电话, 单位名称, 职位); report the rest."""
        try:
            rows = medical_staff.read_table(file.name, file.read_bytes())
        except medical_staff.StaffError as exc:
            raise click.BadParameter(exc.message, param_hint="FILE") from exc
        result = medical_staff.import_rows(db.session, rows, actor_id=None, via=VIA_CLI, utc_now=clock.utcnow())
        db.session.commit()
        click.echo(f"成功开通{result.added}名医护人员" + (f"，{len(result.errors)}行未导入：" if result.errors else ""))
        for number, messages in result.errors:
            click.echo(f"  第{number}行：{'；'.join(messages)}")

    @medical.command("observe")
    @_identity_options
    @click.option("--reason", required=True, help="医学观察原因，如：密切接触者、入境人员")
    @click.option("--since", "started_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="开始日期（默认今天）")
    @click.option("--unit", default="", help="观察地点/单位")
    @click.option("--colour", default="red", type=click.Choice(["red", "yellow", "none"]), show_default=True,
                  help="同时将健康码设为该颜色（原因为医学观察原因）；none 不改变")
    def observe(name, id_type, id_number, reason, started_on, unit, colour) -> None:
        """Put a person under 医学观察 (the built-in health data), which a medical staff member's notice releases."""
        person = _person_by_identity(name, id_type, id_number)
        try:
            observations.add(db.session, person.id, reason=reason, unit=unit, created_by_id=None,
                             started_on=started_on.date() if started_on else clock.today(), utc_now=clock.utcnow(),
                             today=clock.today(), colour="" if colour == "none" else colour)
        except observations.ObservationError as exc:
            raise click.BadParameter(exc.message) from exc
        db.session.commit()
        click.echo(f"{person.name}：医学观察（{reason}）")


def init_district_cli(yks) -> None:
    """`flask yks district …`: city-level 区划管理员 (SPEC O6; issue 12 item 1), as the operator page does."""
    from yks_web.services import areas, district_admins, identity

    @yks.group("district")
    def district() -> None:
        """任命/撤销 市级区划管理员 (姓名 + 身份证号码 of a verified person, 所在城市); list them."""

    def _city(city: str) -> str:
        match = next((a for a in areas.cities() if city in (a.code, a.name)), None)
        if match is None:
            raise click.BadParameter("没有该城市（请填写城市名称如“广州市”或4位区划代码如“4401”）", param_hint="--city")
        return match.code

    @district.command("appoint")
    @click.option("--name", required=True, help="姓名（与本人实名认证的姓名一致）")
    @click.option("--id-number", required=True, help="内地居民身份证号码")
    @click.option("--city", required=True, help="所在城市：名称（广州市）或代码（4401）")
    def appoint(name: str, id_number: str, city: str) -> None:
        """Appoint a verified person as their city's 区划管理员."""
        code = _city(city)
        try:
            person = district_admins.find_verified(db.session, name, id_number)
            district_admins.appoint(db.session, person, code, appointed_by_id=None, utc_now=clock.utcnow())
        except district_admins.AppointRefused as exc:
            raise click.BadParameter(exc.message, param_hint="--id-number") from exc
        db.session.commit()
        click.echo(f"已任命市级区划管理员：{person.name} {person.masked_id}（{areas.full_name(code)}）")

    @district.command("revoke")
    @click.option("--id-number", required=True, help="内地居民身份证号码")
    @click.option("--city", required=True, help="所在城市：名称或代码")
    def revoke(id_number: str, city: str) -> None:
        """Revoke a city-level 区划管理员."""
        code = _city(city)
        rows = [r for r in district_admins.city_level(db.session)
                if r.area_code == code and r.person.id_hash == identity.make_identity("", "id_card", id_number).hash]
        if not rows:
            raise click.BadParameter("该城市没有此证件号码的市级区划管理员", param_hint="--id-number")
        for row in rows:
            district_admins.revoke(db.session, row, clock.utcnow())
        db.session.commit()
        click.echo(f"已撤销{areas.full_name(code)}的市级区划管理员")

    @district.command("list")
    def list_admins() -> None:
        """The city-level 区划管理员 (the operator's own list), ID numbers masked."""
        rows = district_admins.city_level(db.session)
        click.echo(f"共{len(rows)}名市级区划管理员：")
        for r in rows:
            click.echo(f"  {areas.full_name(r.area_code)} {r.person.name} {r.person.masked_id}")


def init_retention_cli(yks) -> None:
    """`flask yks retention [--dry-run] [--batch N]` (issue 16 item 3): delete what is older than its period."""
    from flask import current_app

    from yks_web.config import RETENTION_DAYS, session_limits
    from yks_web.services import retention

    @yks.command("retention")
    @click.option("--dry-run", is_flag=True, help="只统计到期的记录，不删除 (count only)")
    @click.option("--batch", default=1000, type=click.IntRange(1, 100000), show_default=True,
                  help="每批最多删除的行数 (rows per batch, each batch its own transaction)")
    def retention_command(dry_run: bool, batch: int) -> None:
        """Delete the records older than their retention period (run daily, e.g. from cron)."""
        absolute, _idle = session_limits(current_app.config)
        try:
            periods = retention.periods_from_days(current_app.config.get("RETENTION_DAYS", RETENTION_DAYS), absolute)
        except retention.RetentionConfigError as exc:
            raise click.ClickException(f"数据保留设置有误：{exc.message}") from exc
        now = clock.utcnow()
        if dry_run:
            counts = retention.due(db.session, now, periods)
            click.echo("到期记录（试运行，未删除） / due (dry run, nothing deleted):")
        else:
            counts = retention.purge(db.session, now, periods, batch=batch,
                                     after_batch=lambda _kind, _n: db.session.commit())
            db.session.commit()
            click.echo("已删除到期记录 / deleted:")
        for kind in retention.KINDS:
            click.echo(f"  {retention.LABELS[kind]}（保留 {_period_text(periods[kind])}）：{counts[kind]}")


def init_reminders_cli(yks) -> None:
    """`flask yks reminders` (issue 16 item 4): the daily reminders whose time has come, from cron every 5 minutes."""

    @yks.command("reminders")
    def reminders_command() -> None:
        """Send each organisation's daily reminder once its 每日提醒时间 has come (never twice a day a member)."""
        from yks_web.services import reminders
        from yks_web.sms_setup import sender

        run = reminders.send_daily(db.session, sender(), clock.now())
        failed = f"，{run.failed}条发送失败" if run.failed else ""
        click.echo(f"每日提醒：{run.organisations}个组织，提醒{run.reminded}人，发送{run.messages}条短信{failed}")


def _period_text(period) -> str:
    return f"{period.days}天" if period.days and not period.seconds else f"{period.total_seconds() / 3600:g}小时"

"""Operator commands: `flask yks create-school`, `admin-invite`, `make-operator`, `demo` (SPEC W1),
`flask yks health …` (H2), `flask yks realname …` (I6, issue 8 item 1) and `flask yks medical …` (O7, issue 11)."""

from __future__ import annotations

from datetime import UTC

import click
from flask import Flask

from yks_web import clock
from yks_web.extensions import db
from yks_web.i18n import gettext, lazy_gettext, ngettext
from yks_web.models import School
from yks_web.models.people import ID_TYPES
from yks_web.models.school import SCHOOL_TYPES

BASE_URL = "http://127.0.0.1:5000"
# The printed links point where the server is reached: `make run HOST=… PORT=…` sets YKS_BASE_URL (issue 9 item 9).
base_url_option = click.option("--base-url", envvar="YKS_BASE_URL", default=BASE_URL, show_default=True,
                               show_envvar=True, help=lazy_gettext("链接的网址前缀（服务的地址）"),
                               callback=lambda _ctx, _param, value: value.rstrip("/"))


def init_app(app: Flask) -> None:
    @app.cli.group("yks")
    def yks() -> None:
        """yks_web operator commands."""

    @yks.command("create-school")
    @click.option("--name", required=True, help=lazy_gettext("学校名称"))
    @click.option("--type", "school_type", required=True, type=click.Choice(SCHOOL_TYPES),
                  help=lazy_gettext("学校类型"))
    @click.option("--region", required=True, help=lazy_gettext("地区"))
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
        click.echo(gettext("学校已创建：%(name)s（编号 %(number)s）", name=school.name, number=school.id))
        click.echo(gettext("学校管理员邀请链接（7天内有效，仅可使用一次）：%(link)s",
                           link=f"{base_url}/invite/{invite.token}"))

    @yks.command("admin-invite")
    @click.argument("school_id", type=int)
    @click.option("--renew", is_flag=True, help=lazy_gettext("作废尚未使用的链接，生成新链接（例如链接发错了人）"))
    @base_url_option
    def admin_invite(school_id: int, renew: bool, base_url: str) -> None:
        """The school's live school-admin invite link: the one handed out before while unused, else a new one
        (an admin link makes one admin; at most one is live per school, issue 9 item 9)."""
        from yks_web.services import invites

        if db.session.get(School, school_id) is None:
            raise click.BadParameter(gettext("没有编号为 %(number)s 的学校", number=school_id))
        link = invites.school_admin_link(db.session, school_id=school_id, utc_now=clock.utcnow(), renew=renew)
        db.session.commit()
        until = link.invite.expires_at.replace(tzinfo=UTC).astimezone(clock.TZ)
        if link.reused:
            click.echo(gettext("学校管理员邀请链接（此前发出的链接，仍然有效，%(until)s前有效，仅可使用一次）：",
                               until=f"{until:%Y-%m-%d %H:%M}"))
        else:
            click.echo(gettext("学校管理员邀请链接（新链接，%(until)s前有效，仅可使用一次）：",
                               until=f"{until:%Y-%m-%d %H:%M}"))
        click.echo(f"{base_url}/invite/{link.invite.token}")
        if link.revoked:
            click.echo(gettext("此前发出的其他未使用的学校管理员邀请链接已作废，请只发送上面这个链接。"))
        if link.reused:
            click.echo(gettext("如需作废这个链接并生成新链接，请加 --renew。"))

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
        click.echo(gettext("%(name)s 现在是平台运营人员", name=person.name))

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
        click.echo(gettext("演示账号（实名认证：证件类型选“内地居民身份证”，开发环境下验证码直接显示在页面上）："))
        for account in summary["accounts"]:  # the columns padded as before: the role to 12, the name to 4
            click.echo("  " + gettext("%(role)s 姓名 %(name)s 证件号码 %(id_number)s  手机号 %(phone)s",
                                      role=f"{gettext(account.role):<12}", name=f"{account.name:<4}",
                                      id_number=account.id_number, phone=account.phone))
        click.echo(gettext("成员邀请卡片链接（%(organisation)s）：%(link)s", organisation=summary["organisation"],
                           link=summary["member_invite"]))
        click.echo(gettext("采集员邀请链接（学校管理员发出）：%(link)s", link=summary["collector_invite"]))
        click.echo(gettext("公共场所（%(place)s）场所申报码：%(code)s（检测员绑定用）", place=summary["place"],
                           code=summary["place_code"]))
        click.echo(gettext("体温正常快速打卡葵花码链接：%(link)s", link=summary["poster"]))
        click.echo(gettext("组织机构（%(institution)s）组织机构申报码：%(code)s（成员绑定用）",
                           institution=summary["institution"], code=summary["institution_code"]))
        if summary["grid_code"]:  # gone once someone 解散 the demo grid
            click.echo(gettext("网格（%(grid)s）网格申报码：%(code)s（网格员绑定用）", grid=summary["grid"],
                               code=summary["grid_code"]))


def _person_by_identity(name: str, id_type: str, id_number: str):
    from yks_web.services.identity import find_person, make_identity, validate_id

    problem = validate_id(id_type, id_number)
    if problem:
        raise click.BadParameter(problem)
    person = find_person(db.session, make_identity(name, id_type, id_number))
    if person is None or person.name != name.strip():
        raise click.BadParameter(gettext("未找到该人员，请核对姓名与证件号码"))
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
        click.echo(gettext("%(name)s：%(colour)s", name=person.name, colour=gettext(COLOURS[colour])))

    @health.command("test")
    @_identity_options
    @click.option("--result", default="阴性", type=click.Choice(list(TEST_RESULTS)), show_default=True)  # i18n: data
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
        click.echo(gettext("%(name)s：核酸%(result)s", name=person.name, result=gettext(result)))

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
        click.echo(gettext("%(name)s：第%(dose)d剂", name=person.name, dose=dose))

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
        click.echo(gettext("%(name)s：入粤登记 %(region)s", name=person.name, region=from_region))


def init_realname_cli(yks) -> None:
    """`flask yks realname …`: the records of the built-in real-name source (SPEC I6, issue 8 item 1)."""
    from yks_web.services import realname_table
    from yks_web.services.identity import make_identity, validate_id

    @yks.group("realname")
    def realname() -> None:
        """Who may log in: 姓名 + 证件 (+ 手机号, 户籍户号, 出生日期, 出生医学证明上的父母) per person."""

    @realname.command("set")
    @_identity_options
    @click.option("--phone", default="", help=lazy_gettext("实名登记的手机号（可选）"))
    @click.option("--household", default="", help=lazy_gettext("户籍户号（省内户籍，可选）"))
    @click.option("--birth-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help=lazy_gettext("出生日期（身份证号码自带；其他证件可选）"))
    @click.option("--father-id-type", default="id_card", type=click.Choice(list(ID_TYPES)), show_default=True)
    @click.option("--father-id-number", default="", help=lazy_gettext("出生医学证明上父亲的证件号码"))
    @click.option("--mother-id-type", default="id_card", type=click.Choice(list(ID_TYPES)), show_default=True)
    @click.option("--mother-id-number", default="", help=lazy_gettext("出生医学证明上母亲的证件号码"))
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
        click.echo(gettext("已登记：%(name)s %(id_type)s %(id_number)s", name=record.name,
                           id_type=gettext(record.id_type_label), id_number=record.id_masked))

    @realname.command("list")
    @click.option("--limit", default=50, type=click.IntRange(1, 10000), show_default=True)
    def list_records(limit: int) -> None:
        """The most recently set records, numbers masked."""
        rows = realname_table.records(db.session, limit=limit)
        click.echo(gettext("共%(total)d条实名记录，最近设置的%(shown)d条：",
                           total=realname_table.record_count(db.session), shown=len(rows)))
        for r in rows:
            extra = [gettext("手机号 %(phone)s", phone=r.phone_masked) if r.phone_masked else "",
                     gettext("户号 %(household)s", household=r.household_masked) if r.household_masked else "",
                     gettext("出生 %(date)s", date=f"{r.birth_date:%Y-%m-%d}") if r.birth_date else "",
                     gettext("出生医学证明登记了父母") if r.father_hash or r.mother_hash else ""]
            click.echo(f"  {r.name} {gettext(r.id_type_label)} {r.id_masked} " + " ".join(e for e in extra if e))

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
            raise click.BadParameter(gettext("没有该证件的实名记录"), param_hint="--id-number")
        db.session.commit()
        click.echo(gettext("已删除该证件的实名记录"))


def init_medical_cli(yks) -> None:
    """`flask yks medical …`: 医护人员 who may issue 解除医学观察电子告知书, and 医学观察 (SPEC O7, H2; issue 11)."""
    from pathlib import Path

    from yks_web.models.medical import VIA_CLI
    from yks_web.services import medical_staff, observations

    @yks.group("medical")
    def medical() -> None:
        """开通/撤销 医护人员 (表5-2: 姓名, 联系电话, 单位名称, 职位), import the table, list them; 医学观察."""

    @medical.command("enable")
    @click.option("--name", required=True, help=lazy_gettext("姓名（与本人实名认证的姓名一致）"))
    @click.option("--phone", required=True, help=lazy_gettext("联系电话（本人登录所用的手机号）"))
    @click.option("--unit", required=True, help=lazy_gettext("单位名称"))
    @click.option("--position", required=True, help=lazy_gettext("职位"))
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
        click.echo(gettext("已开通医护人员权限：%(name)s %(phone)s（%(unit)s %(position)s）", name=staff.name,
                           phone=staff.phone_masked, unit=staff.unit, position=staff.position))

    @medical.command("revoke")
    @click.option("--phone", required=True, help=lazy_gettext("联系电话"))
    @click.option("--name", default="", help=lazy_gettext("姓名（同一号码开通了多人时必填）"))
    def revoke(phone: str, name: str) -> None:
        """Revoke an enabled staff member (found by phone, and name when several share it)."""
        rows = [r for r in medical_staff.active_by_phone(db.session, phone) if not name or r.name == name.strip()]
        if not rows:
            raise click.BadParameter(gettext("没有该联系电话（及姓名）的已开通医护人员"), param_hint="--phone")
        if len(rows) > 1:
            raise click.BadParameter(gettext("该号码开通了多人，请用 --name 指明"), param_hint="--name")
        medical_staff.revoke(db.session, rows[0], actor_id=None, via=VIA_CLI, utc_now=clock.utcnow())
        db.session.commit()
        click.echo(gettext("已撤销%(name)s（%(unit)s）的医护人员权限", name=rows[0].name, unit=rows[0].unit))

    @medical.command("list")
    @click.option("--limit", default=50, type=click.IntRange(1, 10000), show_default=True)
    def list_staff(limit: int) -> None:
        """The enabled staff, newest first, phones masked."""
        rows, total = medical_staff.active_staff(db.session, limit=limit)
        click.echo(gettext("共%(total)d名已开通的医护人员，最近开通的%(shown)d名：", total=total, shown=len(rows)))
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
        if result.errors:
            click.echo(ngettext("成功开通%(added)d名医护人员，%(num)d行未导入：",
                                "成功开通%(added)d名医护人员，%(num)d行未导入：", len(result.errors),
                                added=result.added))
        else:
            click.echo(gettext("成功开通%(added)d名医护人员", added=result.added))
        for number, messages in result.errors:
            click.echo("  " + gettext("第%(row)d行：%(problems)s", row=number, problems=gettext("；").join(messages)))

    @medical.command("observe")
    @_identity_options
    @click.option("--reason", required=True, help=lazy_gettext("医学观察原因，如：密切接触者、入境人员"))
    @click.option("--since", "started_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help=lazy_gettext("开始日期（默认今天）"))
    @click.option("--unit", default="", help=lazy_gettext("观察地点/单位"))
    @click.option("--colour", default="red", type=click.Choice(["red", "yellow", "none"]), show_default=True,
                  help=lazy_gettext("同时将健康码设为该颜色（原因为医学观察原因）；none 不改变"))
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
        click.echo(gettext("%(name)s：医学观察（%(reason)s）", name=person.name, reason=reason))


def init_district_cli(yks) -> None:
    """`flask yks district …`: city-level 区划管理员 (SPEC O6; issue 12 item 1), as the operator page does."""
    from yks_web.services import areas, district_admins, identity

    @yks.group("district")
    def district() -> None:
        """任命/撤销 市级区划管理员 (姓名 + 身份证号码 of a verified person, 所在城市); list them."""

    def _city(city: str) -> str:
        match = next((a for a in areas.cities() if city in (a.code, a.name)), None)
        if match is None:
            raise click.BadParameter(gettext("没有该城市（请填写城市名称如“广州市”或4位区划代码如“4401”）"),
                                     param_hint="--city")
        return match.code

    @district.command("appoint")
    @click.option("--name", required=True, help=lazy_gettext("姓名（与本人实名认证的姓名一致）"))
    @click.option("--id-number", required=True, help=lazy_gettext("内地居民身份证号码"))
    @click.option("--city", required=True, help=lazy_gettext("所在城市：名称（广州市）或代码（4401）"))
    def appoint(name: str, id_number: str, city: str) -> None:
        """Appoint a verified person as their city's 区划管理员."""
        code = _city(city)
        try:
            person = district_admins.find_verified(db.session, name, id_number)
            district_admins.appoint(db.session, person, code, appointed_by_id=None, utc_now=clock.utcnow())
        except district_admins.AppointRefused as exc:
            raise click.BadParameter(exc.message, param_hint="--id-number") from exc
        db.session.commit()
        click.echo(gettext("已任命市级区划管理员：%(name)s %(id_number)s（%(area)s）", name=person.name,
                           id_number=person.masked_id, area=areas.full_name(code)))

    @district.command("revoke")
    @click.option("--id-number", required=True, help=lazy_gettext("内地居民身份证号码"))
    @click.option("--city", required=True, help=lazy_gettext("所在城市：名称或代码"))
    def revoke(id_number: str, city: str) -> None:
        """Revoke a city-level 区划管理员."""
        code = _city(city)
        rows = [r for r in district_admins.city_level(db.session)
                if r.area_code == code and r.person.id_hash == identity.make_identity("", "id_card", id_number).hash]
        if not rows:
            raise click.BadParameter(gettext("该城市没有此证件号码的市级区划管理员"), param_hint="--id-number")
        for row in rows:
            district_admins.revoke(db.session, row, clock.utcnow())
        db.session.commit()
        click.echo(gettext("已撤销%(area)s的市级区划管理员", area=areas.full_name(code)))

    @district.command("list")
    def list_admins() -> None:
        """The city-level 区划管理员 (the operator's own list), ID numbers masked."""
        rows = district_admins.city_level(db.session)
        click.echo(ngettext("共%(num)d名市级区划管理员：", "共%(num)d名市级区划管理员：", len(rows)))
        for r in rows:
            click.echo(f"  {areas.full_name(r.area_code)} {r.person.name} {r.person.masked_id}")


def init_retention_cli(yks) -> None:
    """`flask yks retention [--dry-run] [--batch N]` (issue 16 item 3): delete what is older than its period."""
    from flask import current_app

    from yks_web.config import RETENTION_DAYS, session_limits
    from yks_web.services import retention

    @yks.command("retention")
    @click.option("--dry-run", is_flag=True, help=lazy_gettext("只统计到期的记录，不删除 (count only)"))
    @click.option("--batch", default=1000, type=click.IntRange(1, 100000), show_default=True,
                  help=lazy_gettext("每批最多删除的行数 (rows per batch, each batch its own transaction)"))
    def retention_command(dry_run: bool, batch: int) -> None:
        """Delete the records older than their retention period (run daily, e.g. from cron)."""
        absolute, _idle = session_limits(current_app.config)
        try:
            periods = retention.periods_from_days(current_app.config.get("RETENTION_DAYS", RETENTION_DAYS), absolute)
        except retention.RetentionConfigError as exc:
            raise click.ClickException(gettext("数据保留设置有误：%(problem)s", problem=exc.message)) from exc
        now = clock.utcnow()
        if dry_run:
            counts = retention.due(db.session, now, periods)
            click.echo(gettext("到期记录（试运行，未删除） / due (dry run, nothing deleted):"))
        else:
            counts = retention.purge(db.session, now, periods, batch=batch,
                                     after_batch=lambda _kind, _n: db.session.commit())
            db.session.commit()
            click.echo(gettext("已删除到期记录 / deleted:"))
        for kind in retention.KINDS:
            click.echo("  " + gettext("%(kind)s（保留 %(period)s）：%(count)d", kind=gettext(retention.LABELS[kind]),
                                      period=_period_text(periods[kind]), count=counts[kind]))


def init_reminders_cli(yks) -> None:
    """`flask yks reminders` (issue 16 item 4): the daily reminders whose time has come, from cron every 5 minutes."""

    @yks.command("reminders")
    def reminders_command() -> None:
        """Send each organisation's daily reminder once its 每日提醒时间 has come (never twice a day a member)."""
        from yks_web.services import reminders
        from yks_web.sms_setup import sender

        run = reminders.send_daily(db.session, sender(), clock.now())
        if run.failed:
            click.echo(gettext("每日提醒：%(organisations)d个组织，提醒%(reminded)d人，发送%(messages)d条短信，"
                               "%(failed)d条发送失败", organisations=run.organisations, reminded=run.reminded,
                               messages=run.messages, failed=run.failed))
        else:
            click.echo(gettext("每日提醒：%(organisations)d个组织，提醒%(reminded)d人，发送%(messages)d条短信",
                               organisations=run.organisations, reminded=run.reminded, messages=run.messages))


def _period_text(period) -> str:
    if period.days and not period.seconds:
        return ngettext("%(num)d天", "%(num)d天", period.days)
    return gettext("%(hours)s小时", hours=f"{period.total_seconds() / 3600:g}")

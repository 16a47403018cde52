"""Operator commands: `flask yks create-school`, `admin-invite`, `make-operator`, `demo` (SPEC W1)."""

from __future__ import annotations

import click
from flask import Flask

from yks_web import clock
from yks_web.extensions import db
from yks_web.models import School
from yks_web.models.people import ID_TYPES
from yks_web.models.school import SCHOOL_TYPES

BASE_URL = "http://127.0.0.1:5000"


def init_app(app: Flask) -> None:
    @app.cli.group("yks")
    def yks() -> None:
        """yks_web operator commands."""

    @yks.command("create-school")
    @click.option("--name", required=True, help="学校名称")
    @click.option("--type", "school_type", required=True, type=click.Choice(SCHOOL_TYPES), help="学校类型")
    @click.option("--region", required=True, help="地区")
    @click.option("--base-url", default=BASE_URL, show_default=True)
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
        click.echo(f"学校管理员邀请链接（7天内有效）：{base_url}/invite/{invite.token}")

    @yks.command("admin-invite")
    @click.argument("school_id", type=int)
    @click.option("--base-url", default=BASE_URL, show_default=True)
    def admin_invite(school_id: int, base_url: str) -> None:
        """A new school-admin invite link for an existing school."""
        from yks_web.services import invites

        if db.session.get(School, school_id) is None:
            raise click.BadParameter(f"没有编号为 {school_id} 的学校")
        invite = invites.create(db.session, kind="school_admin", school_id=school_id, utc_now=clock.utcnow())
        db.session.commit()
        click.echo(f"{base_url}/invite/{invite.token}")

    @yks.command("make-operator")
    @click.option("--name", required=True)
    @click.option("--id-type", default="id_card", type=click.Choice(list(ID_TYPES)), show_default=True)
    @click.option("--id-number", required=True)
    def make_operator(name: str, id_type: str, id_number: str) -> None:
        """Let a person use the operator page (/operator/)."""
        from yks_web.services.identity import (
            IdentityMismatch,
            find_or_create_person,
            make_identity,
            validate_id,
        )

        problem = validate_id(id_type, id_number)
        if problem:
            raise click.BadParameter(problem)
        try:
            person = find_or_create_person(db.session, make_identity(name, id_type, id_number))
        except IdentityMismatch as exc:
            raise click.BadParameter(exc.message) from exc
        person.is_operator = True
        db.session.commit()
        click.echo(f"{person.name} 现在是平台运营人员")

    @yks.command("demo")
    @click.option("--base-url", default=BASE_URL, show_default=True)
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

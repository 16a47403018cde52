"""The demo's 团体码 (issue 13; SPEC G1–G6): `make run` loads one group whose members joined through an invitation
(each with a consent row), one of them an admin, and a snapshot taken 40 minutes ago so 数据统计 shows the yellow and
the red resident and 【刷新数据】 is allowed; the 团体创建人 is printed and can log in — once, however often it runs."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.blueprints.support import text
from yks_web import demo_groups
from yks_web.models.group import ADMIN, Group, GroupConsent, GroupMember
from yks_web.services import group_data
from yks_web.services.identity import find_person, make_identity


def test_demo_group_with_members_consents_an_admin_and_a_snapshot(app, db, client, actions):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["yks", "demo", "--base-url", "http://yks.test"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "团体创建人" in line)
    assert all(part in line for part in demo_groups.CREATOR), line
    assert runner.invoke(args=["yks", "demo"]).exit_code == 0  # twice: still one group

    (group,) = db.session.scalars(select(Group).where(Group.name == demo_groups.GROUP_NAME)).all()
    members = db.session.scalars(select(GroupMember).where(GroupMember.group_id == group.id)).all()
    assert group.people == len(members) > 3
    consents = db.session.scalar(select(func.count()).select_from(GroupConsent)
                                 .where(GroupConsent.group_id == group.id, GroupConsent.ended_at.is_(None)))
    assert consents == len(members)
    assert sum(m.role == ADMIN for m in members) == 1
    assert all(m.snapshot_at is not None for m in members)
    stats = group_data.stats(db.session, group.id)
    assert stats.code["yellow"] == 1 and stats.code["red"] == 1

    creator = find_person(db.session, make_identity(demo_groups.CREATOR[0], "id_card", demo_groups.CREATOR[1]))
    actions.login(creator)
    page = text(client.get(f"/group/{group.id}"))
    assert "数据统计" in page and "刷新数据" in page and "后可再次刷新" not in page  # allowed now: 40 minutes ago

"""申报详情 built from day_list's rows (issue 14 item 4; SPEC W6, P6): links, who filled in, the audit of the rows."""

from __future__ import annotations

import re

from flask import url_for
from sqlalchemy import select

from tests.blueprints.support import TODAY, text
from tests.factories import declare, make_person
from yks_web.models import AuditLog

DAY = f"/workbench/day/{TODAY.isoformat()}"


def test_each_rows_link_is_the_routes_own_url(app, client, db, actions, scene):
    """The page builds the rows' links from the day's URL once (not url_for per row): they must be the URLs the
    routes answer (workbench.member_detail, workbench.proxy_fill)."""
    declared, proxied, silent = scene.members
    declare(db, scene.org, declared, TODAY)
    declare(db, scene.org, proxied, TODAY, actor=make_person(db, "黄伟斌"), source="proxy")
    db.session.commit()
    actions.login(scene.collector)
    page = text(client.get(DAY))
    with app.test_request_context():
        detail = {url_for("workbench.member_detail", day=TODAY.isoformat(), person_id=person.id)
                  for person in (declared, proxied)}
        fill = url_for("workbench.proxy_fill", day=TODAY.isoformat(), person_id=silent.id)
    links = set(re.findall(r'href="(/workbench/day/[^"]*/member/[^"]*)"', page))
    assert links == detail | {fill}
    for link in links:
        assert client.get(link).status_code == 200


def test_the_declared_rows_are_audited_and_nothing_else(client, db, actions, scene):
    """P6: one 查看申报详情 row per declared member shown (one INSERT), none for the silent one."""
    declared, proxied, silent = scene.members
    declare(db, scene.org, declared, TODAY)
    declare(db, scene.org, proxied, TODAY, actor=make_person(db, "黄伟斌"), source="proxy")
    db.session.commit()
    actions.login(scene.collector)
    assert client.get(DAY).status_code == 200
    rows = db.session.execute(select(AuditLog.subject_id, AuditLog.action, AuditLog.organisation_id)).all()
    assert sorted(rows) == sorted((p.id, "view_day", scene.org.id) for p in (declared, proxied))

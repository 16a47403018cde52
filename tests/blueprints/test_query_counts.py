"""Pages take a constant number of SQL statements whatever the organisation size (SPEC Q3, STYLE §6, issue item 9)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import event, select

from tests.blueprints.support import TODAY, YESTERDAY
from tests.conftest import sign_in
from tests.factories import bind, declare, form_answers, make_admin, make_org, make_person, make_school
from yks_web import clock
from yks_web.models import ProxyBinding, ReportDraft, School
from yks_web.services import membership

DAY = f"/workbench/day/{TODAY.isoformat()}"
YDAY = f"/workbench/day/{YESTERDAY.isoformat()}"


@dataclass
class Org:
    collector_id: int
    org_id: int
    member_id: int  # someone who declared today


def build(db, school, collector_name: str, size: int) -> Org:
    """A class of `size` with every kind of row the pages show: self, proxy, collector and quick-filled
    declarations, changed ones, silent members, a member who left, yesterday's data and a report draft."""
    collector = make_person(db, collector_name)
    org = make_org(db, school, collector, members=size, size=size + 5, name=f"{collector_name}的班")
    members = [m.person for m in membership.members(db.session, org.id)]
    parents = [make_person(db, f"{collector_name}家长{i}") for i in range(3)]
    for i, member in enumerate(members):
        kind = i % 5
        if kind == 0:
            parent = parents[i % 3]
            bind(db, org, parent, member)
            declare(db, org, member, TODAY, actor=parent, source="proxy", changed=i % 2 == 0)
        elif kind == 1:
            declare(db, org, member, TODAY, changed=True)
        elif kind == 2:
            declare(db, org, member, TODAY, actor=collector, source="collector")
        elif kind == 3:
            declare(db, org, member, TODAY, actor=collector, source="quickfill")
        # kind 4: silent today
        if kind != 4 or i % 2:
            declare(db, org, member, YESTERDAY)
    # Not members[-1]: in a class of 5 that is members[4], the silent member with a 未填报 reason, and the
    # report and statistic screens must name someone in both sizes (each list writes one audit INSERT).
    leaver = members[-2]
    membership.leave(db.session, membership.active_membership(db.session, org.id, leaver.id), clock.utcnow())
    db.session.add(ReportDraft(organisation_id=org.id, day=TODAY, updated_at=clock.utcnow(), data={
        "in_school_count": size, "leave_count": 0, "sick_absence_count": 0, "remarks": "",
        "reasons": {str(members[4].id): "请假"}}))
    db.session.flush()
    return Org(collector_id=collector.id, org_id=org.id, member_id=members[1].id)


def statements(db, client, person_id: int, url: str, form: dict | None = None, status: int = 200) -> list[str]:
    """The SQL statements one GET (or POST of `form`) runs, as a fresh request in production would (new
    session, no cached user)."""
    db.session.remove()
    sign_in(client, person_id)  # a real login session (issue 8 item 4): the user load stays one SELECT
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url) if form is None else client.post(url, data=form)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == status, (url, response.status_code)
    return seen


@pytest.fixture
def small_and_large(db):
    school = make_school(db)
    admin = make_admin(db, school)
    small = build(db, school, "小班老师", 5)
    large = build(db, school, "大班老师", 500)
    db.session.commit()
    return admin.id, small, large


def counts(db, client, org: Org, pages: list[str]) -> dict[str, int]:
    return {page: len(statements(db, client, org.collector_id, page.format(member=org.member_id))) for page in pages}


def test_q3_workbench_home_and_day_detail_take_constant_queries(db, client, small_and_large):
    """Issue item 9: /workbench/ and /workbench/day/<today> for 5 and for 500 members."""
    _, small, large = small_and_large
    pages = ["/workbench/", DAY]
    small_counts, large_counts = counts(db, client, small, pages), counts(db, client, large, pages)
    assert small_counts == large_counts
    assert all(n <= 12 for n in small_counts.values()), small_counts


def test_q3_other_collector_pages_take_constant_queries(db, client, small_and_large):
    _, small, large = small_and_large
    pages = [
        "/workbench/?day=yesterday", YDAY, DAY + "/member/{member}", DAY + "/report", DAY + "/report/summary",
        DAY + "/stat/declared", DAY + "/stat/not_declared", "/workbench/members", "/workbench/members?select=1",
    ]
    assert counts(db, client, small, pages) == counts(db, client, large, pages)


def test_q3_school_dashboard_takes_constant_queries(db, client, small_and_large):
    admin_id, small, _ = small_and_large
    school_id = db.session.scalar(db.select(School.id))
    url = f"/school/{school_id}"
    first = len(statements(db, client, admin_id, url))
    db.session.remove()
    school = db.session.get(School, school_id)
    build(db, school, "第三位老师", 40)
    db.session.commit()
    assert len(statements(db, client, admin_id, url)) == first


def test_q3_a_declaration_post_takes_four_statements_whatever_the_size(db, client, actions, small_and_large):
    """The submission's round trips (issue 3, issue 14 item 2): the user, the organisation's lock, one statement
    for who may declare, replay, report, membership and previous answers, the insert."""
    _, small, large = small_and_large
    seen = {}
    for org in (small, large):
        form = form_answers() | {"csrf_token": actions.csrf(), "form_key": uuid.uuid4().hex}
        url = f"/declare/org/{org.org_id}/person/{org.member_id}"
        seen[org.org_id] = statements(db, client, org.member_id, url, form=form, status=303)
    small_run, large_run = seen[small.org_id], seen[large.org_id]
    assert len(small_run) == len(large_run) == 4, small_run
    assert large_run[-1].lstrip().upper().startswith("INSERT INTO DECLARATION")


def test_q3_the_declaration_form_takes_two_statements_whatever_the_size(db, client, small_and_large):
    """The form GET (issue 14 item 2): the user, then one statement for the organisation, who is declared for, the
    previous answers and the reports of 本日 and 昨日."""
    _, small, large = small_and_large
    runs = [statements(db, client, org.member_id, f"/declare/org/{org.org_id}/person/{org.member_id}")
            for org in (small, large)]
    assert len(runs[0]) == len(runs[1]) == 2, runs[0]


def test_q3_a_proxys_form_and_post_take_constant_statements(db, client, actions, small_and_large):
    """代他人填报 (issue 14 item 2): the form reads the binding and its declarant in its one statement; the POST adds
    the 代申报通知 (P10) to the member's four."""
    _, small, large = small_and_large
    forms, posts = [], []
    for org in (small, large):
        binding = db.session.scalar(select(ProxyBinding).where(ProxyBinding.organisation_id == org.org_id).limit(1))
        proxy_id, url = binding.proxy_id, f"/declare/org/{org.org_id}/person/{binding.declarant_id}"
        forms.append(statements(db, client, proxy_id, url))
        form = form_answers() | {"csrf_token": actions.csrf(), "form_key": uuid.uuid4().hex}
        posts.append(statements(db, client, proxy_id, url, form=form, status=303))
    assert len(forms[0]) == len(forms[1]) == 2, forms[0]
    assert len(posts[0]) == len(posts[1]) == 5, posts[0]
    assert posts[1][-1].lstrip().upper().startswith("INSERT INTO DECLARATION_NOTICE")


def test_q3_the_plain_entry_takes_only_the_user(db, client, small_and_large):
    """填报方式 (issue 14 item 4): a logged-in trivial page loads the user once, in one statement, and nothing else."""
    _, small, _ = small_and_large
    assert len(statements(db, client, small.member_id, "/declare/")) == 1

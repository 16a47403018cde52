"""School admin and platform operator screens (SPEC W1, W11 in part, P7)."""

from __future__ import annotations

from sqlalchemy import select

from tests.blueprints.support import TODAY, collapse, count, location, location_path, text
from tests.factories import declare, make_admin, make_org, make_person, make_school
from yks_web import clock
from yks_web.models import Invite, School, SchoolAdmin
from yks_web.services import invites, membership, reports


def test_w1_admin_invite_is_accepted_and_leads_to_the_dashboard(client, db, actions):
    school = make_school(db, "广州市第三中学", region="广东省广州市海珠区")
    token = invites.create(db.session, kind="school_admin", school_id=school.id, utc_now=clock.utcnow()).token
    person = make_person(db, "李校管")
    db.session.commit()
    actions.login(person)
    page = text(client.get(f"/invite/{token}"))
    assert "学校管理员" in page and "广州市第三中学" in page and "广东省广州市海珠区" in page and "确认加入" in page

    response = actions.post(f"/invite/{token}")
    assert response.status_code == 303 and location(response) == f"/school/{school.id}"
    assert count(db, SchoolAdmin, SchoolAdmin.person_id == person.id, SchoolAdmin.school_id == school.id) == 1
    response = client.get("/school/")
    assert location(response) == f"/school/{school.id}"
    assert "学校管理" in text(client.get(f"/school/{school.id}"))
    assert "学校管理" in text(client.get("/"))  # the home entry appears for admins

    # the admin link is single-use: spent now, for this person and anyone else
    assert actions.post(f"/invite/{token}").status_code == 404
    assert count(db, SchoolAdmin) == 1
    actions.login(make_person(db, "冒用者"))
    db.session.commit()
    assert "邀请链接无效或已过期" in text(client.get(f"/invite/{token}"))


def test_w11_dashboard_lists_every_organisation_with_counts(client, db, actions):
    school = make_school(db)
    admin = make_admin(db, school)
    busy = make_org(db, school, make_person(db, "蒋小华"), members=3, name="高一(1)班")
    make_org(db, school, make_person(db, "王老师"), members=0, size=40, name="高一(2)班")
    make_org(db, make_school(db, "别的学校"), make_person(db, "赵老师"), name="别校班级")
    first, second, _ = [m.person for m in membership.members(db.session, busy.id)]
    declare(db, busy, first, TODAY)
    declare(db, busy, second, TODAY)
    reports.submit_report(db.session, org_id=busy.id, day=TODAY, actor_id=busy.collector.person_id,
                          supplement=reports.Supplement(3, 0, 0), now=clock.now(), utc_now=clock.utcnow())
    db.session.commit()
    actions.login(admin)

    page = collapse(text(client.get(f"/school/{school.id}")))
    assert "11月20日申报情况" in page
    assert "高一(1)班" in page and "采集员：蒋小华 · 已加入 3/50" in page and "已申报 2" in page
    assert "高一(2)班" in page and "采集员：王老师 · 已加入 0/40" in page and "已申报 0" in page
    assert page.count(">已提交<") == 1 and page.count(">未提交<") == 1
    assert "别校班级" not in page


def test_p7_other_schools_dashboard_is_404(client, db, actions):
    mine, theirs = make_school(db), make_school(db, "别的学校")
    admin = make_admin(db, mine)
    db.session.commit()
    actions.login(admin)
    assert client.get(f"/school/{theirs.id}").status_code == 404
    response = actions.post(f"/school/{theirs.id}/invite")
    assert response.status_code == 404
    assert count(db, Invite) == 0


def test_w1_school_pages_are_for_admins_only(client, db, actions):
    school = make_school(db)
    someone = make_person(db, "路人")
    db.session.commit()
    assert location_path(client.get(f"/school/{school.id}")) == "/auth/login"
    actions.login(someone)
    assert client.get("/school/").status_code == 404
    assert client.get(f"/school/{school.id}").status_code == 404


def test_w1_admin_invites_a_collector_with_a_card(client, db, actions):
    school = make_school(db)
    admin = make_admin(db, school)
    db.session.commit()
    actions.login(admin)
    response = actions.post(f"/school/{school.id}/invite")
    assert response.status_code == 303
    db.session.expire_all()
    invite = db.session.scalar(select(Invite))
    assert (invite.kind, invite.school_id, invite.created_by_id) == ("collector", school.id, admin.id)
    assert location(response) == f"/school/{school.id}/invite/{invite.token}"

    card = text(client.get(location(response)))
    assert f"邀请您成为{school.name}的学校采集员" in card
    assert f'value="http://yks.test/invite/{invite.token}"' in card
    assert "复制链接" in card
    png = client.get(f"/school/{school.id}/invite/{invite.token}/qr.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    svg = client.get(f"/school/{school.id}/invite/{invite.token}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert client.get(f"/school/{school.id}/invite/not-a-token").status_code == 404

    # the card leads a teacher to 加入学校
    teacher = make_person(db, "新老师")
    db.session.commit()
    actions.login(teacher)
    assert "第一步：加入学校" in text(client.get(f"/invite/{invite.token}"))


def test_w1_operator_page_is_404_for_everyone_else(client, db, actions):
    assert location_path(client.get("/operator/")) == "/auth/login"
    someone = make_person(db, "路人")
    db.session.commit()
    actions.login(someone)
    assert client.get("/operator/").status_code == 404
    response = actions.post("/operator/", {"name": "冒名学校", "school_type": "高中", "region": "广州"})
    assert response.status_code == 404
    assert count(db, School) == 0
    assert "平台运营" not in text(client.get("/"))


def test_w1_operator_creates_a_school_and_gets_the_admin_link(client, db, actions):
    operator = make_person(db, "王运营", is_operator=True)
    db.session.commit()
    actions.login(operator)
    page = text(client.get("/operator/"))
    assert "创建学校" in page and "暂无学校" in page
    for school_type in ("学前", "小学", "初中", "高中", "中职", "高职", "全日制大学", "其他"):
        assert f'value="{school_type}"' in page

    response = actions.post("/operator/", {"name": "深圳市实验学校", "school_type": "初中", "region": "广东省深圳市"})
    assert response.status_code == 200
    db.session.expire_all()
    school = db.session.scalar(select(School))
    assert (school.name, school.school_type, school.region) == ("深圳市实验学校", "初中", "广东省深圳市")
    invite = db.session.scalar(select(Invite))
    assert (invite.kind, invite.school_id) == ("school_admin", school.id)
    page = text(response)
    assert "学校已创建" in page and f"http://yks.test/invite/{invite.token}" in page
    assert "深圳市实验学校" in page


def test_w1_operator_form_errors(client, db, actions):
    operator = make_person(db, "王运营", is_operator=True)
    db.session.commit()
    actions.login(operator)
    response = actions.post("/operator/", {"name": "", "school_type": "大学", "region": "区" * 101})
    assert response.status_code == 200
    page = text(response)
    assert "请填写学校名称" in page and "地区不能超过100个字" in page
    assert count(db, School) == 0

"""学校采集员工作台 screens (SPEC W2–W8): join, create, home, invite, members, 申报详情, proxy fills."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from tests.blueprints.support import TODAY, YESTERDAY, collapse, count, form_key, location, text
from tests.factories import bind, declare, form_answers, id_number, make_person, make_school
from yks_web import clock
from yks_web.models import AuditLog, Collector, Declaration, Invite, Membership, Organisation, Person
from yks_web.services import invites, membership, org_day

DAY = f"/workbench/day/{TODAY.isoformat()}"


def declarations_of(db, person: Person) -> list[Declaration]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Declaration).where(Declaration.person_id == person.id).order_by(Declaration.id))
    )


# W2 加入学校 → 创建我的组织 -----------------------------------------------------------------------------


def test_w2_collector_joins_the_school_and_creates_one_organisation(client, db, actions):
    school = make_school(db, "广州市第二中学")
    token = invites.create(db.session, kind="collector", school_id=school.id, utc_now=clock.utcnow()).token
    teacher = make_person(db, "蒋小华")
    db.session.commit()
    actions.login(teacher)

    page = text(client.get(f"/invite/{token}"))
    assert "第一步：加入学校" in page and "广州市第二中学" in page and ">下一步<" in page
    response = actions.post(f"/invite/{token}")
    assert response.status_code == 303 and location(response) == "/workbench/"
    assert count(db, Collector, Collector.person_id == teacher.id) == 1

    response = client.get("/workbench/")
    assert response.status_code == 303 and location(response) == "/workbench/create"
    page = text(client.get("/workbench/create"))
    assert "第二步：创建我的组织" in page and "开始采集成员信息" in page
    assert '<option selected value="高中">' in page  # the school's type is the default
    for label in ("学生", "教职工", "学校类型", "专业名称", "组织名称", "组织人数"):
        assert label in page

    data = {"target": "staff", "school_type": "高中", "major": "", "name": "语文组", "size": "12"}
    response = actions.post("/workbench/create", data)
    assert response.status_code == 303 and location(response) == "/workbench/"
    db.session.expire_all()
    org = db.session.scalar(select(Organisation))
    assert (org.name, org.size, org.target, org.school_id) == ("语文组", 12, "staff", school.id)
    assert "健康申报工作台" in text(client.get("/workbench/"))

    # exactly one organisation per collector (FAQ 3)
    response = actions.post("/workbench/create", {**data, "name": "数学组"})
    assert response.status_code == 303
    assert client.get("/workbench/create").status_code == 303
    assert count(db, Organisation) == 1
    # joining again does not make a second collector
    actions.post(f"/invite/{token}")
    assert count(db, Collector) == 1


def test_w2_create_form_errors_stay_on_the_page(client, db, actions):
    school = make_school(db)
    teacher = make_person(db, "蒋小华")
    db.session.add(Collector(school_id=school.id, person_id=teacher.id))
    db.session.commit()
    actions.login(teacher)
    response = actions.post("/workbench/create", {"target": "", "school_type": "", "name": "", "size": "abc"})
    assert response.status_code == 200
    page = text(response)
    assert "请选择采集对象" in page and "请选择学校类型" in page and "请填写组织名称" in page
    assert count(db, Organisation) == 0


def test_w2_workbench_without_a_school_explains_the_invite(client, db, actions):
    someone = make_person(db, "路人")
    db.session.commit()
    actions.login(someone)
    response = client.get("/workbench/")
    assert response.status_code == 200
    assert "需要通过点击学校管理员在微信聊天界面发出的邀请卡片" in text(response)
    assert client.get("/workbench/invite/card").status_code == 404


# W4 工作台 home ----------------------------------------------------------------------------------------


def test_w4_home_shows_tabs_counts_and_organisation(client, db, actions, scene):
    first, second, third = scene.members
    declare(db, scene.org, first, TODAY)
    declare(db, scene.org, second, TODAY, actor=make_person(db, "家长"), source="proxy")
    declare(db, scene.org, third, YESTERDAY)
    db.session.commit()
    actions.login(scene.collector)

    page = collapse(text(client.get("/workbench/")))
    for label in ("今日数据统计", "申报状态", "今日(11月20日)", "昨日(11月19日)", "已申报 <strong>2</strong>/50",
                  "未提交", "更新时间：", "查看申报情况", "数据上报（提交11月20日数据）", "我的校内组织",
                  "编辑组织信息", "高一(1)班", "广州市第一示范中学", "学生", "蒋小华", "3 / 50人",
                  "未加入人数 <strong>47</strong>",
                  "手动添加", "微信发送邀请", "操作指引"):
        assert label in page, label
    assert f'href="{DAY}"' in page

    page = collapse(text(client.get("/workbench/?day=yesterday")))
    assert "昨日数据统计" in page and "已申报 <strong>1</strong>/50" in page
    assert "提交11月19日数据" in page
    assert f'href="/workbench/day/{YESTERDAY.isoformat()}"' in page


def test_w4_removed_members_are_not_counted_as_declared(client, db, actions, scene):
    declare(db, scene.org, scene.members[0], TODAY)
    db.session.commit()
    membership.leave(db.session, membership.active_membership(db.session, scene.org_id, scene.members[0].id),
                     clock.utcnow())  # 删除成员 (its confirm step is tested with 成员管理)
    db.session.commit()
    actions.login(scene.collector)
    page = collapse(text(client.get("/workbench/")))
    assert "已申报 <strong>0</strong>/50" in page
    assert "2 / 50人" in page


# W3 邀请成员 -------------------------------------------------------------------------------------------


def test_w3_invite_card_with_link_and_qr_codes(client, db, actions, scene):
    actions.login(scene.collector)
    page = text(client.get("/workbench/invite/card"))
    assert "(重要)快来申报你的个人健康信息" in page
    assert "高一(1)班" in page and "蒋小华" in page
    db.session.expire_all()
    tokens = db.session.scalars(select(Invite.token).where(Invite.organisation_id == scene.org_id)).all()
    assert tokens == [scene.token]  # a live card is reused, so links already sent keep working
    assert f'value="http://yks.test/invite/{scene.token}"' in page
    assert "复制链接" in page and "data-share" in page

    png = client.get("/workbench/invite/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    svg = client.get("/workbench/invite/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    assert client.get("/workbench/invite/qr.gif").status_code == 404


def test_w3_操作指引_shows_the_steps(client, db, actions, scene):
    actions.login(scene.collector)
    guide = text(client.get("/workbench/guide"))
    assert "【微信发送邀请】" in guide and "【手动添加】" in guide


def test_w3_手动添加_adds_a_member_without_invite(client, db, actions, scene):
    actions.login(scene.collector)
    assert "确认添加" in text(client.get("/workbench/members/add"))
    number = id_number()
    response = actions.post("/workbench/members/add", {"name": "李晓明", "id_type": "id_card", "id_number": number})
    assert response.status_code == 303
    assert "已添加成员李晓明" in text(client.get(location(response)))
    db.session.expire_all()
    person = db.session.scalar(select(Person).where(Person.name == "李晓明"))
    row = db.session.scalar(select(Membership).where(Membership.person_id == person.id))
    assert (row.organisation_id, row.active, row.joined_via) == (scene.org_id, True, "manual")
    # the added member can declare straight away
    actions.login(person)
    url = f"/declare/org/{scene.org_id}/person/{person.id}"
    key = form_key(text(client.get(url)))
    assert actions.post(url, form_answers(form_key=key)).status_code == 303


# W5 编辑组织信息 / 成员管理 --------------------------------------------------------------------------------


def test_w5_modify_organisation_name_and_size(client, db, actions, scene):
    actions.login(scene.collector)
    menu = text(client.get("/workbench/org"))
    assert "修改组织信息" in menu and "成员管理" in menu
    page = text(client.get("/workbench/org/modify"))
    assert "确认修改" in page and 'value="高一(1)班"' in page and 'value="50"' in page
    response = actions.post("/workbench/org/modify", {"name": "高一(1)班（理科）", "size": "45", "target": "staff"})
    assert response.status_code == 303 and location(response) == "/workbench/"
    db.session.expire_all()
    assert (scene.org.name, scene.org.size) == ("高一(1)班（理科）", 45)
    page = collapse(text(client.get("/workbench/")))
    assert "组织信息已修改" in page and "3 / 45人" in page
    assert scene.org.target == "student"  # 采集对象 cannot be changed


def test_w5_modify_refuses_bad_values(client, db, actions, scene):
    actions.login(scene.collector)
    response = actions.post("/workbench/org/modify", {"name": "", "size": "0"})
    assert response.status_code == 200
    assert "请填写组织名称" in text(response) and "组织人数应为1–5000人" in text(response)
    db.session.expire_all()
    assert (scene.org.name, scene.org.size) == ("高一(1)班", 50)


def test_w5_member_management_deletes_and_the_member_can_no_longer_declare(client, db, actions, scene):
    gone, kept, _ = scene.members
    declare(db, scene.org, gone, YESTERDAY, location_city="梅州市")
    db.session.commit()
    actions.login(scene.collector)
    page = text(client.get("/workbench/members"))
    assert "组织成员（3人）" in page and ">删除成员<" in page
    page = text(client.get("/workbench/members?select=1"))
    assert f'name="person" value="{gone.id}"' in page and "确认删除" in page

    confirm = actions.post("/workbench/members", {"person": [gone.id]})  # 【确认删除】: the confirm step only
    assert confirm.status_code == 200 and "确定删除以下1名成员？" in text(confirm)
    response = actions.post("/workbench/members", {"person": [gone.id], "confirmed": "1"})  # 【确定】
    assert response.status_code == 303
    assert "已删除1名成员" in text(client.get("/workbench/members"))
    db.session.expire_all()
    assert count(db, Membership, Membership.person_id == gone.id, Membership.active.is_(True)) == 0
    assert count(db, Membership, Membership.person_id == kept.id, Membership.active.is_(True)) == 1

    # their record stays (FAQ 18, counted below), but a day not yet submitted lists only the members joined now,
    # on every screen (issue 9 item 1; a submitted day keeps them: tests/blueprints/test_one_day_answer.py)
    assert client.get(f"/workbench/day/{YESTERDAY.isoformat()}/member/{gone.id}").status_code == 404

    actions.login(gone)
    url = f"/declare/org/{scene.org_id}/person/{gone.id}"
    response = actions.post(url, form_answers(form_key=form_key(text(client.get(url)))))
    assert response.status_code == 200
    assert "已不是本组织成员" in text(response)
    assert len(declarations_of(db, gone)) == 1


def test_w5_deleting_nobody_asks_to_choose(client, db, actions, scene):
    actions.login(scene.collector)
    response = actions.post("/workbench/members", {})
    assert response.status_code == 303
    assert "请选择需要删除的成员" in text(client.get(location(response)))
    assert count(db, Membership, Membership.active.is_(True)) == 3


# W6 申报详情 --------------------------------------------------------------------------------------------


def test_w6_day_detail_lists_missing_and_declared_members(client, db, actions, scene):
    self_member, proxied, silent = scene.members
    parent = make_person(db, "黄伟斌")
    bind(db, scene.org, parent, proxied)
    declare(db, scene.org, self_member, TODAY)
    declare(db, scene.org, proxied, TODAY, actor=parent, source="proxy", changed=True)
    db.session.commit()
    actions.login(scene.collector)

    page = collapse(text(client.get(DAY)))
    assert "申报详情" in page
    assert "尚未加入组织人数：<strong>47</strong>人" in page
    assert "未填报成员（1人）" in page and "已填报成员（2人）" in page
    assert f"{silent.name}（{silent.masked_id}）" in page
    assert f'href="{DAY}/member/{silent.id}/fill"' in page and ">代填报<" in page
    assert "自主申报" in page
    assert "代填人：黄伟斌" in page
    assert page.count("数据有变动") == 1
    assert f'href="{DAY}/member/{proxied.id}"' in page
    assert "代他人申报" in page and "提交本日数据" in page and "快速填充未报数据" in page
    assert silent.id_number not in page  # masked (P6)


def test_w6_member_detail_is_read_only_and_audited(client, db, actions, scene):
    member = scene.members[0]
    declare(db, scene.org, member, TODAY, location_city="珠海市", remarks="无不适", changed=True)
    db.session.commit()
    actions.login(scene.collector)
    page = text(client.get(f"{DAY}/member/{member.id}"))
    for label in ("基本信息", "个人情况", "广东省珠海市", "无不适", "36.5℃", member.masked_id, "数据有变动",
                  "您不能修改成员的申报信息"):
        assert label in page, label
    assert "<form" not in page.split('id="screen"')[1]  # nothing to edit (FAQ 6)
    db.session.expire_all()
    [log] = db.session.scalars(select(AuditLog)).all()
    assert (log.actor_id, log.subject_id, log.organisation_id, log.action) == (
        scene.collector.id, member.id, scene.org_id, "view_declaration")
    client.get(f"{DAY}/member/{member.id}")
    assert count(db, AuditLog) == 2


def test_w6_member_detail_without_declaration(client, db, actions, scene):
    actions.login(scene.collector)
    page = text(client.get(f"{DAY}/member/{scene.members[2].id}"))
    assert "11月20日尚未填报" in page


# W7 代填报 / 代他人申报 -----------------------------------------------------------------------------------


def test_w7_代填报_records_the_collector_as_actor(client, db, actions, scene):
    silent = scene.members[2]
    actions.login(scene.collector)
    url = f"{DAY}/member/{silent.id}/fill"
    page = text(client.get(url))
    assert silent.name in page and "提交当日数据" in page
    response = actions.post(url, form_answers(form_key=form_key(page), temperature="36.8"))
    assert response.status_code == 303 and location(response) == DAY
    [declaration] = declarations_of(db, silent)
    assert (declaration.source, declaration.actor_id, declaration.day) == ("collector", scene.collector.id, TODAY)
    page = collapse(text(client.get(DAY)))
    assert f"代填人：{scene.collector.name}" in page
    assert "已填报成员（1人）" in page


def test_w7_代他人申报_joins_and_declares(client, db, actions, scene):
    actions.login(scene.collector)
    page = text(client.get(f"{DAY}/proxy-new"))
    assert "代填人信息" in page and "申报人信息" in page
    number = id_number()
    response = actions.post(f"{DAY}/proxy-new", {"name": "新同学", "id_type": "id_card", "id_number": number})
    assert response.status_code == 303
    db.session.expire_all()
    newcomer = db.session.scalar(select(Person).where(Person.name == "新同学"))
    assert location(response) == f"{DAY}/member/{newcomer.id}/fill"
    membership = db.session.scalar(select(Membership).where(Membership.person_id == newcomer.id))
    assert (membership.organisation_id, membership.joined_via, membership.active) == (scene.org_id, "collector", True)
    page = text(client.get(location(response)))
    response = actions.post(location(response), form_answers(form_key=form_key(page)))
    assert response.status_code == 303
    [declaration] = declarations_of(db, newcomer)
    assert (declaration.source, declaration.actor_id) == ("collector", scene.collector.id)


def test_w7_代填报_for_yesterday(client, db, actions, scene):
    silent = scene.members[2]
    actions.login(scene.collector)
    url = f"/workbench/day/{YESTERDAY.isoformat()}/member/{silent.id}/fill"
    response = actions.post(url, form_answers(form_key=form_key(text(client.get(url))), day="yesterday"))
    assert response.status_code == 303
    assert location(response) == f"/workbench/day/{YESTERDAY.isoformat()}"
    [declaration] = declarations_of(db, silent)
    assert declaration.day == YESTERDAY


def test_w7_代填报_is_only_for_joined_members_and_open_days(client, db, actions, scene):
    actions.login(scene.collector)
    stranger = make_person(db, "外人")
    db.session.commit()
    assert client.get(f"{DAY}/member/{stranger.id}/fill").status_code == 404
    old = (TODAY - timedelta(days=2)).isoformat()
    assert client.get(f"/workbench/day/{old}/member/{scene.members[0].id}/fill").status_code == 404
    assert client.get(f"/workbench/day/{old}/proxy-new").status_code == 404


# W8 快速填充未报数据 -------------------------------------------------------------------------------------


def test_w8_quick_fill_copies_the_most_recent_declaration_once(client, db, actions, scene):
    declared, silent, never = scene.members
    declare(db, scene.org, declared, TODAY)
    declare(db, scene.org, silent, TODAY - timedelta(days=5), location_city="汕头市")
    declare(db, scene.org, silent, TODAY - timedelta(days=3), location_city="潮州市", temperature=None,
            temperature_band="37.3℃以下")
    db.session.commit()
    actions.login(scene.collector)

    response = actions.post(f"{DAY}/quickfill", {"key": "tap-1"})
    assert response.status_code == 303 and location(response) == DAY
    assert "已为1名未填报成员快速填充最近一次提交的数据" in text(client.get(DAY))
    filled = declarations_of(db, silent)[-1]
    assert (filled.day, filled.source, filled.actor_id) == (TODAY, "quickfill", scene.collector.id)
    assert (filled.location_city, filled.temperature_band) == ("潮州市", "37.3℃以下")
    assert declarations_of(db, never) == []
    assert len(declarations_of(db, declared)) == 1

    before = count(db, Declaration)
    actions.post(f"{DAY}/quickfill", {"key": "tap-1"})  # the same tap replayed
    assert count(db, Declaration) == before
    page = collapse(text(client.get(DAY)))
    assert "快速填充" in page and "已填报成员（2人）" in page and "未填报成员（1人）" in page


def test_w8_quick_fill_for_yesterday_after_1130_is_refused(client, db, actions, scene, clock):
    silent = scene.members[0]
    declare(db, scene.org, silent, TODAY - timedelta(days=3))
    db.session.commit()
    actions.login(scene.collector)
    clock(datetime(2026, 11, 20, 11, 31))
    response = actions.post(f"/workbench/day/{YESTERDAY.isoformat()}/quickfill", {"key": "late"})
    assert response.status_code == 303
    page = text(client.get(location(response)))
    assert page.count(org_day.COLLECTOR_YESTERDAY_CLOSED) == 1  # said once, in the collector's words (issue 9 item 7)
    assert len(declarations_of(db, silent)) == 1


def test_w8_nothing_to_fill(client, db, actions, scene):
    for member in scene.members:
        declare(db, scene.org, member, TODAY)
    db.session.commit()
    actions.login(scene.collector)
    page = text(client.get(DAY))
    assert "全部成员已填报" in page and "快速填充未报数据" not in page
    actions.post(f"{DAY}/quickfill", {"key": "k"})
    assert "没有可快速填充的成员" in text(client.get(DAY))
    assert count(db, Declaration) == 3


def test_p6_collector_screens_show_masked_numbers_only(client, db, actions, scene):
    """P6: ID and phone numbers are masked everywhere except to the person themself."""
    declare(db, scene.org, scene.members[0], TODAY)
    scene.members[1].phone = "13812345678"
    db.session.commit()
    actions.login(scene.collector)
    pages = [DAY, f"{DAY}/member/{scene.members[0].id}", f"{DAY}/member/{scene.members[1].id}/fill",
             "/workbench/members", "/workbench/members?select=1", f"{DAY}/stat/declared", f"{DAY}/stat/not_declared",
             f"{DAY}/report"]
    for url in pages:
        page = text(client.get(url))
        for member in scene.members:
            assert member.id_number not in page, url
        assert "13812345678" not in page, url
    assert scene.members[0].masked_id in text(client.get(DAY))


def test_w6_代填报_never_overwrites_what_a_member_declared(client, db, actions, scene):
    """W6/FAQ 6: once a member declared, the collector can neither open nor post 代填报 for that day."""
    member = scene.members[0]
    declare(db, scene.org, member, TODAY, temperature_band="38.1–39℃", temperature=None, has_symptoms=True)
    db.session.commit()
    actions.login(scene.collector)
    url = f"{DAY}/member/{member.id}/fill"
    response = client.get(url)
    assert response.status_code == 303 and location(response) == DAY
    assert "采集员不能修改成员的申报信息" in text(client.get(DAY))
    silent_page = text(client.get(f"{DAY}/member/{scene.members[2].id}/fill"))
    response = actions.post(url, form_answers(form_key=form_key(silent_page)))
    assert response.status_code == 200 and "采集员不能修改成员的申报信息" in text(response)
    [declaration] = declarations_of(db, member)
    assert declaration.source == "self" and declaration.has_symptoms


def test_w7_代填报_form_is_not_prefilled_with_the_members_answers(client, db, actions, scene):
    """P6: opening 代填报 is not a way to read a member's earlier answers."""
    silent = scene.members[2]
    declare(db, scene.org, silent, YESTERDAY, location_city="湛江市")
    db.session.commit()
    actions.login(scene.collector)
    assert "湛江市" not in text(client.get(f"{DAY}/member/{silent.id}/fill"))


def test_w2_a_collector_of_one_school_cannot_join_another(client, db, actions, scene):
    """W2/FAQ 3: one collector, one organisation — a second school's invite is refused."""
    other = make_school(db, "广州市第二中学")
    token = invites.create(db.session, kind="collector", school_id=other.id, utc_now=clock.utcnow()).token
    db.session.commit()
    actions.login(scene.collector)
    page = text(client.get(f"/invite/{token}"))
    assert "一个采集员只能创建1个组织" in page and ">下一步<" not in page
    response = actions.post(f"/invite/{token}")
    assert response.status_code == 200
    assert count(db, Collector, Collector.person_id == scene.collector.id) == 1
    assert scene.org.name in text(client.get("/workbench/"))


def test_w5_组织人数_as_the_guide_writes_it(client, db, actions, scene):
    """W5: "50人" (the guide's own example) and full-width digits mean 50."""
    actions.login(scene.collector)
    response = actions.post("/workbench/org/modify", {"name": "高一(2)班", "size": "６０人"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Organisation, scene.org_id).size == 60
    response = actions.post("/workbench/org/modify", {"name": "高一(2)班", "size": "六十"})
    assert "请填写整数，如：50" in text(response)


def test_w8_quick_fill_key_is_not_a_pattern(client, db, actions, scene):
    """W8: a crafted key ("%") cannot match an earlier tap and silently fill nothing."""
    for member in scene.members:
        declare(db, scene.org, member, YESTERDAY)
    db.session.commit()
    actions.login(scene.collector)
    actions.post(f"{DAY}/quickfill", {"key": "a" * 32})
    declare(db, scene.org, scene.members[0], TODAY)  # placeholder so a second fill has work
    db.session.execute(Declaration.__table__.delete().where(Declaration.source == "quickfill"))
    db.session.commit()
    actions.post(f"{DAY}/quickfill", {"key": "%"})
    db.session.expire_all()
    filled = db.session.scalars(select(Declaration).where(Declaration.source == "quickfill")).all()
    assert len(filled) == 2


# Issue 9: 组织人数 exceeded (item 5), collector wording and 快速填充 within reach (item 7), the FAQ's labels ----------


def test_issue9_item5_more_joined_than_the_组织人数_is_said_with_the_way_out(client, db, actions, scene):
    scene.org.size = 2  # three joined
    db.session.commit()
    actions.login(scene.collector)
    page = collapse(text(client.get("/workbench/")))
    assert "已加入3人，超出组织人数1人，请" in page
    assert 'href="/workbench/org/modify">【修改组织信息】</a>' in page
    assert 'href="/workbench/members">【成员管理】</a>中删除成员' in page
    assert "3 / 2人（超出1人）" in page and "未加入人数 <strong>0</strong>" in page  # never a silent 3/2
    page = collapse(text(client.get(DAY)))
    assert "已加入3人，超出组织人数1人" in page and page.count("超出组织人数") == 1

    scene.org.size = 3
    db.session.commit()
    for url in ("/workbench/", DAY):
        assert "超出" not in text(client.get(url))


def test_issue9_item7_quick_fill_sits_at_the_top_of_the_missing_members(client, db, actions, scene):
    """【快速填充未报数据】 is reached without scrolling past the declared list: it heads 未填报成员."""
    declared, *_ = scene.members
    declare(db, scene.org, declared, TODAY)
    db.session.commit()
    actions.login(scene.collector)
    page = text(client.get(DAY))
    missing, button, declared_list = (page.index(s) for s in ("未填报成员（", "快速填充未报数据", "已填报成员（"))
    assert missing < button < declared_list


def test_issue9_the_faq_labels_are_on_the_workbench(client, db, actions, scene):
    """The FAQ (school-collector-workbench.zh.md Q5, Q7, Q9): 工作台 → 【今日数据统计】: "已加入成员" → "查看详情" →
    "代填报"; "数据上报" → "代成员录入"; "未加入成员" → "如何加入" → "代ta填报"; "我的校内组织" → "编辑组织信息"."""
    actions.login(scene.collector)
    page = collapse(text(client.get("/workbench/")))
    module = page.split("今日数据统计", 1)[1].split("我的校内组织", 1)[0]
    assert f'href="{DAY}">查看详情' in module and "已加入成员 <strong>3</strong>人" in module
    assert f'href="{DAY}/report">数据上报' in module
    assert "未加入成员 <strong>47</strong>人</span><span class=\"link\">如何加入</span></summary>" in module
    assert f'href="{DAY}/proxy-new">代ta填报</a>' in module
    assert 'href="/workbench/org">编辑组织信息</a>' in page.split("我的校内组织", 1)[1]
    # 查看详情 leads to 申报详情 with 代填报; 数据上报 to the report, which offers 代成员录入 (joined or not)
    assert f'href="{DAY}/member/{scene.members[0].id}/fill">代填报' in text(client.get(DAY))
    assert f'href="{DAY}/proxy-new">代成员录入</a>' in text(client.get(f"{DAY}/report"))
    assert client.get(f"{DAY}/proxy-new").status_code == 200

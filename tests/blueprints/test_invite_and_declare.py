"""学生/教职工个人健康申报 screens (SPEC S1–S10, P4): invite → 填报方式 → form → 提交成功."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tests.blueprints.support import TODAY, YESTERDAY, collapse, count, form_key, location, location_path, text
from tests.factories import bind, declare, form_answers, id_number, make_org, make_person
from yks_web import clock
from yks_web.models import Declaration, Membership, Person, ProxyBinding
from yks_web.services import deadlines, reports
from yks_web.services.membership import PROXY_LIMIT


def form_url(org_id: int, person_id: int) -> str:
    return f"/declare/org/{org_id}/person/{person_id}"


def submit_form(client, actions, url: str, **overrides):
    """Open the form as a browser would, then post it with its own idempotency key."""
    key = form_key(text(client.get(url)))
    return actions.post(url, form_answers(form_key=key, **overrides))


def declarations_of(db, person: Person) -> list[Declaration]:
    db.session.expire_all()
    return list(db.session.scalars(select(Declaration).where(Declaration.person_id == person.id)))


def submit_report(db, scene, day=TODAY):
    reports.submit_report(
        db.session, org_id=scene.org.id, day=day, actor_id=scene.collector.id,
        supplement=reports.Supplement(in_school_count=3, leave_count=0, sick_absence_count=0),
        now=clock.now(), utc_now=clock.utcnow(),
    )
    db.session.commit()


# S1–S3 本人填报 ---------------------------------------------------------------------------------------


def test_s1_invite_before_login_goes_to_real_name_login(client, scene):
    response = client.get(f"/invite/{scene.token}")
    assert response.status_code == 302
    assert location_path(response) == "/auth/login"


def test_s2_mode_page_shows_the_organisation_and_both_ways(client, db, actions, scene):
    """S2: 填报方式 shows org name, school, collector, 【本人填报】 and 【代他人填报】."""
    student = make_person(db, "黄恺")
    db.session.commit()
    actions.login(student)
    page = text(client.get(f"/invite/{scene.token}"))
    assert "填报方式" in page
    for label in ("高一(1)班", "广州市第一示范中学", "蒋小华", ">本人填报<", ">代他人填报<"):
        assert label in page
    assert f"/declare/org/{scene.org_id}/self?t={scene.token}" in page
    assert f"/declare/org/{scene.org_id}/proxy?t={scene.token}" in page


def test_s3_self_declaration_from_invite_to_success(client, db, actions, scene):
    """S3: 本人填报 → confirm org 【下一步】 → form → 提交本日数据 → 提交成功."""
    student = make_person(db, "黄恺")
    db.session.commit()
    actions.login(student)

    confirm = text(client.get(f"/declare/org/{scene.org_id}/self?t={scene.token}"))
    assert "确认组织信息" in confirm and "下一步" in confirm and "高一(1)班" in confirm

    response = actions.post(f"/declare/org/{scene.org_id}/self", {"t": scene.token})
    assert response.status_code == 303
    url = form_url(scene.org_id, student.id)
    assert location(response) == url
    db.session.expire_all()
    assert count(db, Membership, Membership.person_id == student.id, Membership.active.is_(True)) == 1

    page = collapse(text(client.get(url)))
    for label in ("基本信息", "个人情况", "提交当日数据", "提交本日数据（11月20日）", "补提交昨日数据（11月19日）"):
        assert label in page

    response = submit_form(client, actions, url, temperature="36.6", location_city="佛山市")
    assert response.status_code == 303
    assert location_path(response).startswith("/declare/done/")
    done = text(client.get(location(response)))
    assert "提交成功" in done and "11月20日" in done

    [declaration] = declarations_of(db, student)
    assert declaration.day == TODAY
    assert declaration.source == "self"
    assert declaration.actor_id == student.id
    assert str(declaration.temperature) == "36.6"
    assert declaration.location_city == "佛山市"


def test_s3_member_returns_without_invite(client, db, actions, scene):
    """S1/S3: a member's later visits need no invite: 填报方式 → 本人填报 lists their organisation."""
    member = scene.members[0]
    actions.login(member)
    mode = text(client.get("/declare/"))
    assert "填报方式" in mode and ">本人填报<" in mode and ">代他人填报<" in mode
    page = text(client.get("/declare/self"))
    assert "高一(1)班" in page and "开始填报" in page
    response = submit_form(client, actions, form_url(scene.org_id, member.id))
    assert response.status_code == 303
    assert len(declarations_of(db, member)) == 1


def test_s3_self_confirm_without_invite_is_refused_for_non_members(client, db, actions, scene):
    stranger = make_person(db, "路人")
    db.session.commit()
    actions.login(stranger)
    assert client.get(f"/declare/org/{scene.org_id}/self").status_code == 404
    assert actions.post(f"/declare/org/{scene.org_id}/self").status_code == 404
    assert count(db, Membership, Membership.person_id == stranger.id) == 0


def test_s8_yesterday_before_1130_is_accepted(client, db, actions, scene, clock):
    member = scene.members[0]
    actions.login(member)
    clock(datetime(2026, 11, 20, 11, 29))
    response = submit_form(client, actions, form_url(scene.org_id, member.id), day="yesterday")
    assert response.status_code == 303
    [declaration] = declarations_of(db, member)
    assert declaration.day == YESTERDAY


def test_s8_yesterday_after_1130_is_refused_with_the_reason(client, db, actions, scene, clock):
    member = scene.members[0]
    actions.login(member)
    clock(datetime(2026, 11, 20, 11, 31))
    url = form_url(scene.org_id, member.id)
    page = text(client.get(url))
    assert deadlines.YESTERDAY_CLOSED in page
    assert 'value="yesterday" class="btn block" disabled' in page
    response = submit_form(client, actions, url, day="yesterday", remarks="补报")
    assert response.status_code == 200
    page = text(response)
    assert deadlines.YESTERDAY_CLOSED in page
    assert "重新提交" in page
    assert declarations_of(db, member) == []


def test_s8_latest_of_several_submissions_counts(client, db, actions, scene):
    """S8: any number of submissions per day; the workbench counts the latest."""
    member = scene.members[0]
    actions.login(member)
    url = form_url(scene.org_id, member.id)
    submit_form(client, actions, url, location_city="广州市")
    submit_form(client, actions, url, location_city="深圳市")
    assert len(declarations_of(db, member)) == 2
    actions.login(scene.collector)
    page = text(client.get(f"/workbench/day/{TODAY.isoformat()}"))
    assert "已填报成员（1人）" in page
    detail = text(client.get(f"/workbench/day/{TODAY.isoformat()}/member/{member.id}"))
    assert "广东省深圳市" in detail


def test_s8_report_submitted_refuses_and_keeps_what_was_typed(client, db, actions, scene):
    """S8/P4: after the collector's report the member's POST is refused with the guide's message,
    the typed values are still there and the button says 【重新提交】."""
    member = scene.members[0]
    actions.login(member)
    url = form_url(scene.org_id, member.id)
    key = form_key(text(client.get(url)))
    submit_report(db, scene)
    response = actions.post(url, form_answers(form_key=key, location_city="韶关市", remarks="今天有点累",
                                              temperature="36.9"))
    assert response.status_code == 200
    page = text(response)
    assert deadlines.REPORT_SUBMITTED in page
    assert "重新提交" in page
    assert 'value="韶关市"' in page
    assert "今天有点累" in page
    assert 'value="36.9"' in page
    assert f'value="{key}"' in page
    assert declarations_of(db, member) == []


def test_p4_failed_validation_keeps_what_was_typed(client, db, actions, scene):
    member = scene.members[0]
    actions.login(member)
    response = submit_form(client, actions, form_url(scene.org_id, member.id), temperature="abc",
                           location_city="佛山市", remarks="咳嗽两天")
    assert response.status_code == 200
    page = text(response)
    assert "体温请填写数字" in page
    assert "重新提交" in page
    assert 'value="佛山市"' in page and "咳嗽两天" in page and 'value="abc"' in page
    assert declarations_of(db, member) == []


def test_p4_double_post_of_one_form_makes_one_declaration(client, db, actions, scene):
    member = scene.members[0]
    actions.login(member)
    url = form_url(scene.org_id, member.id)
    key = form_key(text(client.get(url)))
    first = actions.post(url, form_answers(form_key=key))
    second = actions.post(url, form_answers(form_key=key))
    assert first.status_code == second.status_code == 303
    assert location(first) == location(second)
    assert len(declarations_of(db, member)) == 1


def test_s3_new_round_starts_from_the_previous_answers(client, db, actions, scene):
    """完成健康申报后，再次进入服务，可直接进行新一轮填报: the form starts from last time."""
    member = scene.members[0]
    declare(db, scene.org, member, YESTERDAY, location_city="湛江市")
    db.session.commit()
    actions.login(member)
    page = text(client.get(form_url(scene.org_id, member.id)))
    assert 'value="湛江市"' in page


# S4–S6 代他人填报 ---------------------------------------------------------------------------------------


def test_s4_proxy_declares_for_a_declarant(client, db, actions, scene):
    """S4: 代他人填报 → 申报人 identity → confirm org → form → submit; proxy and declarant are bound."""
    parent = make_person(db, "黄伟斌")
    db.session.commit()
    actions.login(parent)
    identity = text(client.get(f"/declare/org/{scene.org_id}/proxy?t={scene.token}"))
    assert "代填人信息" in identity and "申报人信息" in identity and "黄伟斌" in identity

    number = id_number()
    response = actions.post(
        f"/declare/org/{scene.org_id}/proxy",
        {"t": scene.token, "name": "黄小明", "id_type": "id_card", "id_number": number},
    )
    assert response.status_code == 303
    assert location(response) == f"/declare/org/{scene.org_id}/proxy/confirm?t={scene.token}"
    confirm = text(client.get(location(response)))
    assert "黄小明" in confirm and "高一(1)班" in confirm and number not in confirm

    response = actions.post(f"/declare/org/{scene.org_id}/proxy/confirm", {"t": scene.token})
    assert response.status_code == 303
    db.session.expire_all()
    child = db.session.scalar(select(Person).where(Person.name == "黄小明"))
    assert location(response) == form_url(scene.org_id, child.id)
    binding = db.session.scalar(select(ProxyBinding).where(ProxyBinding.declarant_id == child.id))
    assert (binding.proxy_id, binding.organisation_id, binding.active) == (parent.id, scene.org_id, True)
    assert db.session.scalar(select(Membership.joined_via).where(Membership.person_id == child.id)) == "proxy"

    response = submit_form(client, actions, form_url(scene.org_id, child.id))
    assert response.status_code == 303
    [declaration] = declarations_of(db, child)
    assert (declaration.actor_id, declaration.source) == (parent.id, "proxy")
    assert "提交成功" in text(client.get(location(response)))


def test_s6_third_proxy_is_told_to_ask_for_删除申报人(client, db, actions, scene):
    child = scene.members[0]
    bind(db, scene.org, make_person(db, "父亲"), child)
    bind(db, scene.org, make_person(db, "母亲"), child)
    third = make_person(db, "舅舅")
    db.session.commit()
    actions.login(third)
    response = actions.post(
        f"/declare/org/{scene.org_id}/proxy",
        {"t": scene.token, "name": child.name, "id_type": "id_card", "id_number": child.id_number},
    )
    assert response.status_code == 200
    assert PROXY_LIMIT in text(response)
    assert "删除申报人" in text(response)
    assert count(db, ProxyBinding, ProxyBinding.proxy_id == third.id) == 0


def test_s10_member_of_another_organisation_is_refused_with_both_ways_out(client, db, actions, scene):
    """S10 / FAQ 17: "该用户已经是其他组织的成员" with 本人填报 and 代填报 as the ways out."""
    other = make_org(db, scene.school, make_person(db, "王老师"), members=1, name="高一(2)班")
    other_member = db.session.scalar(select(Membership).where(Membership.organisation_id == other.id)).person
    parent = make_person(db, "家长")
    db.session.commit()
    actions.login(parent)
    response = actions.post(
        f"/declare/org/{scene.org_id}/proxy",
        {"t": scene.token, "name": other_member.name, "id_type": "id_card", "id_number": other_member.id_number},
    )
    assert response.status_code == 200
    page = text(response)
    assert "该用户已经是其他组织的成员" in page
    assert "本人填报" in page and "【代填报】" in page
    assert count(db, ProxyBinding) == 0
    assert count(db, Membership, Membership.person_id == other_member.id) == 1


def test_s4_proxy_cannot_declare_for_someone_not_bound(client, db, actions, scene):
    parent = make_person(db, "家长")
    db.session.commit()
    actions.login(parent)
    url = form_url(scene.org_id, scene.members[0].id)
    assert client.get(url).status_code == 404
    assert actions.post(url, form_answers(form_key="x" * 32)).status_code == 404
    assert declarations_of(db, scene.members[0]) == []


# S5 申报人列表 ------------------------------------------------------------------------------------------


def test_s5_declarant_list_on_the_plain_entry(client, db, actions, scene):
    """S5: 再次申报 / 删除申报人 / 退出组织; 添加申报人 disabled without an invite."""
    parent = make_person(db, "黄伟斌")
    bind(db, scene.org, parent, scene.members[0])
    db.session.commit()
    actions.login(parent)
    assert 'href="/declare/declarants"' in text(client.get("/declare/"))  # 代他人填报 → 申报人列表
    page = text(client.get("/declare/declarants"))
    assert "申报人列表" in page
    assert scene.members[0].name in page and scene.members[0].masked_id in page
    assert ">再次申报<" in page and ">删除申报人<" in page and ">退出组织<" in page
    assert 'disabled aria-describedby="add-hint">添加申报人</button>' in page
    assert "不能直接从小程序入口进入并直接添加" in page
    assert f"/declare/org/{scene.org_id}/proxy" not in page


def test_s5_add_declarant_is_a_link_when_reached_from_the_invite(client, db, actions, scene):
    parent = make_person(db, "黄伟斌")
    bind(db, scene.org, parent, scene.members[0])
    db.session.commit()
    actions.login(parent)
    mode = text(client.get(f"/invite/{scene.token}"))
    assert f"/declare/org/{scene.org_id}/declarants?t={scene.token}" in mode
    page = text(client.get(f"/declare/org/{scene.org_id}/declarants?t={scene.token}"))
    assert f'<a class="btn block" href="/declare/org/{scene.org_id}/proxy?t={scene.token}">添加申报人</a>' in page
    assert scene.members[0].name in page
    assert client.get(f"/declare/org/{scene.org_id}/declarants").status_code == 404


def test_s7_one_declarant_in_two_organisations_shows_two_rows(client, db, actions, scene):
    other_school_org = make_org(db, collector=make_person(db, "王老师"), name="初二(3)班")
    parent = make_person(db, "黄伟斌")
    child = scene.members[0]
    bind(db, scene.org, parent, child)
    bind(db, other_school_org, parent, child)
    db.session.commit()
    actions.login(parent)
    page = text(client.get("/declare/declarants"))
    assert page.count(f"{child.name}（{child.masked_id}）") == 2
    assert "高一(1)班" in page and "初二(3)班" in page


def test_s5_删除申报人_unbinds_but_keeps_the_membership(client, db, actions, scene):
    parent = make_person(db, "黄伟斌")
    child = scene.members[0]
    binding = bind(db, scene.org, parent, child)
    db.session.commit()
    actions.login(parent)
    response = actions.post(f"/declare/binding/{binding.id}/remove")
    assert response.status_code == 303
    db.session.expire_all()
    assert binding.active is False
    assert count(db, Membership, Membership.person_id == child.id, Membership.active.is_(True)) == 1
    assert "仍为组织成员" in text(client.get("/declare/"))
    assert client.get(form_url(scene.org_id, child.id)).status_code == 404


def test_s5_s9_declarant_退出组织_ends_membership(client, db, actions, scene):
    parent = make_person(db, "黄伟斌")
    child = scene.members[0]
    binding = bind(db, scene.org, parent, child)
    db.session.commit()
    actions.login(parent)
    response = actions.post(f"/declare/binding/{binding.id}/leave")
    assert response.status_code == 303
    db.session.expire_all()
    assert count(db, Membership, Membership.person_id == child.id, Membership.active.is_(True)) == 0
    assert binding.active is False
    assert client.get(form_url(scene.org_id, child.id)).status_code == 404
    # the declarant themself cannot declare either (S9)
    actions.login(child)
    response = submit_form(client, actions, form_url(scene.org_id, child.id))
    assert response.status_code == 200
    assert "已不是本组织成员" in text(response)
    assert declarations_of(db, child) == []


def test_s9_self_退出组织_then_the_form_refuses_until_rejoining(client, db, actions, scene):
    member = scene.members[0]
    actions.login(member)
    response = actions.post(f"/declare/org/{scene.org_id}/leave")
    assert response.status_code == 303
    assert "已退出组织" in text(client.get("/declare/"))
    url = form_url(scene.org_id, member.id)
    assert "已不是本组织成员" in text(client.get(url))
    response = submit_form(client, actions, url)
    assert response.status_code == 200
    assert "已不是本组织成员" in text(response)
    assert declarations_of(db, member) == []
    # joining again through the invite opens the form again
    actions.post(f"/declare/org/{scene.org_id}/self", {"t": scene.token})
    assert submit_form(client, actions, url).status_code == 303
    assert len(declarations_of(db, member)) == 1


def test_done_page_is_only_for_the_actor_or_the_declarant(client, db, actions, scene):
    member = scene.members[0]
    declaration = declare(db, scene.org, member, TODAY)
    db.session.commit()
    actions.login(scene.members[1])
    assert client.get(f"/declare/done/{declaration.id}").status_code == 404
    actions.login(member)
    assert client.get(f"/declare/done/{declaration.id}").status_code == 200


def test_p4_double_tap_on_the_proxy_confirm_step_does_not_end_on_an_error(client, db, actions, scene):
    """P4: tapping 【下一步】 twice binds once, and the second tap still leads to the form (not a 404 screen)."""
    parent = make_person(db, "黄伟斌")
    db.session.commit()
    actions.login(parent)
    actions.post(f"/declare/org/{scene.org_id}/proxy",
                 {"t": scene.token, "name": "黄小明", "id_type": "id_card", "id_number": id_number()})
    first = actions.post(f"/declare/org/{scene.org_id}/proxy/confirm", {"t": scene.token})
    second = actions.post(f"/declare/org/{scene.org_id}/proxy/confirm", {"t": scene.token})
    assert first.status_code == 303
    assert second.status_code == 303
    assert location(second) == location(first)
    assert count(db, ProxyBinding) == 1


def test_s6_after_删除申报人_another_proxy_may_bind(client, db, actions, scene):
    child = scene.members[0]
    father = make_person(db, "父亲")
    old = bind(db, scene.org, father, child)
    bind(db, scene.org, make_person(db, "母亲"), child)
    uncle = make_person(db, "舅舅")
    db.session.commit()
    actions.login(father)
    actions.post(f"/declare/binding/{old.id}/remove")
    actions.login(uncle)
    response = actions.post(
        f"/declare/org/{scene.org_id}/proxy",
        {"t": scene.token, "name": child.name, "id_type": "id_card", "id_number": child.id_number},
    )
    assert response.status_code == 303
    assert actions.post(f"/declare/org/{scene.org_id}/proxy/confirm", {"t": scene.token}).status_code == 303
    assert count(db, ProxyBinding, ProxyBinding.proxy_id == uncle.id, ProxyBinding.active.is_(True)) == 1


def test_p5_today_is_the_shanghai_date_just_after_midnight(client, db, actions, scene, clock):
    """P5: at 00:30 in Shanghai (16:30 UTC the day before) "today" is already the new day."""
    member = scene.members[0]
    actions.login(member)
    clock(datetime(2026, 11, 21, 0, 30))
    url = form_url(scene.org_id, member.id)
    page = collapse(text(client.get(url)))
    assert "提交本日数据（11月21日）" in page and "补提交昨日数据（11月20日）" in page
    submit_form(client, actions, url)
    submit_form(client, actions, url, day="yesterday")
    assert sorted(d.day.isoformat() for d in declarations_of(db, member)) == ["2026-11-20", "2026-11-21"]


def test_p5_times_are_shown_in_shanghai_time(client, db, actions, scene):
    declare(db, scene.org, scene.members[0], TODAY)  # created at the frozen 09:00 Shanghai (01:00 UTC)
    db.session.commit()
    actions.login(scene.collector)
    assert "更新时间：2026-11-20 09:00:00" in text(client.get("/workbench/"))
    assert "2026-11-20 09:00:00" in text(client.get(f"/workbench/day/{TODAY.isoformat()}/member/{scene.members[0].id}"))

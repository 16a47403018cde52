"""团体码 for its creator and admins (SPEC G1, G2, G3, G5; issue 13 items 2, 4 and 6; the 团体码 guide 四 (二) 1–4,
图4, 图5, 图7).

创建团体: 创建人信息 from 实名认证 (证件号码 masked, read-only), 手机号 + 手机验证码 (【获取验证码】 is a second submit
button: no JavaScript needed, everything typed kept), 团体名称, 团体类型, 团体地址 (区（县） or 乡镇（街道）, 详细地址)
→ 303 → 创建成功 (邀请成员, 返回团体码首页); the 6th group → 创建失败 with the reason, 【重新创建】 keeping the form.
我管理的团体: 数据统计 as of the last 刷新数据 (each count a link to 成员管理 with that filter),
【刷新数据】 at most once per 30 minutes (the button and the message say when again), 团体管理 (邀请成员,
成员管理 N/500, 修改团体信息 for the creator only, 允许加入 as a plain POST form), in a constant number of
statements for 5 or 500 members.
邀请成员: the switch, 流程指引, and a new absolute link + QR per share, valid 24 hours (23:59 shown, 24:01 expired).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select

from tests.blueprints.support import assert_fragment, assert_whole_page, collapse, count, location, text
from tests.blueprints.test_query_counts import statements
from tests.factories import make_group, make_group_member, make_person
from yks_web.models.group import Group, GroupInvite, GroupMember
from yks_web.models.health import HealthCode, NucleicAcidTest, Vaccination
from yks_web.models.people import Person
from yks_web.services import group_members, groups

HTMX = {"HX-Request": "true"}
NOW = datetime(2026, 11, 20, 9, 0)  # conftest's clock, Shanghai time (01:00 UTC)
PHONE = "13800000019"
FORM = {"phone": PHONE, "name": "广州塔-1", "kind": "企业", "city": "4401", "district": "440106",
        "town": "440106006", "address": "天河路208号"}


def challenge_of(page: str) -> str:
    found = re.search(r'<input[^>]*name="challenge"[^>]*>', page)
    assert found, "the form carries the code's challenge once 获取验证码 was pressed"
    value = re.search(r'value="(\d*)"', found.group(0))
    return value.group(1) if value else ""


def send_code(actions, data: dict | None = None):
    return actions.post("/group/create", {**FORM, **(data or {}), "send_code": "1"})


def create_with_code(actions, sms, data: dict | None = None):
    """获取验证码, then 创建团体 with the code the SMS carried."""
    page = text(send_code(actions, data))
    fields = {**FORM, **(data or {})}
    code = sms.last_code(fields["phone"])
    return actions.post("/group/create", {**fields, "code": code, "challenge": challenge_of(page)})


@pytest.fixture
def creator(db):
    person = make_person(db, "傅立叶")
    db.session.commit()
    return person


def managed_group(db, creator, name: str = "数字广东广报14楼") -> Group:
    group = make_group(db, creator, name)
    db.session.commit()
    return group


# -- 创建团体 ------------------------------------------------------------------------------------------------------


def test_item2_the_create_form_shows_the_creator_from_realname_masked_and_every_field(client, db, actions, creator):
    """创建人信息 is 实名认证's (姓名, 证件类型, 证件号码 masked, read-only); the fields are the guide's 图4 (G1)."""
    actions.login(creator)
    response = client.get("/group/create")
    assert_whole_page(response)
    page = text(response)
    for label in ("创建人信息", "姓名", "傅立叶", "证件类型", "内地居民身份证", "证件号码", creator.masked_id, "手机号",
                  "手机验证码", "获取验证码", "团体信息", "团体名称", "团体类型", "团体地址", "详细地址", "创建团体"):
        assert label in page, label
    assert creator.id_number not in page
    assert 'name="id_number"' not in page and 'name="person_name"' not in page  # not a field: nothing to change
    for kind in ("企业", "学校", "事业单位", "政府机构", "社会团队", "其他"):
        assert f'<option value="{kind}">{kind}</option>' in page
    assert 'name="send_code"' in page and "formnovalidate" in page  # 获取验证码 is a submit button (no JS)
    assert_fragment(client.get("/group/create", headers=HTMX))


def test_item2_get_code_without_js_sends_and_keeps_everything_typed(client, db, actions, creator, sms):
    """【获取验证码】 (a submit button): the phone alone is checked, the code goes out naming 创建团体, the form comes
    back with everything typed and the challenge in a hidden field; nothing is created (G1)."""
    actions.login(creator)
    response = send_code(actions, {"address": "", "kind": ""})
    assert response.status_code == 200
    page = text(response)
    assert "验证码已发送至138****0019" in page
    assert sms.outbox[-1][0] == PHONE and "创建团体" in sms.texts[-1][1]
    assert challenge_of(page)
    assert 'value="广州塔-1"' in page and f'value="{PHONE}"' in page and "请填写团体地址" not in page
    assert '<option selected value="440106006">' in page or 'value="440106006" selected' in page
    assert count(db, Group) == 0


def test_item2_in_development_the_page_shows_the_code_as_the_login_does(app, client, db, actions, creator, sms,
                                                                        monkeypatch):
    monkeypatch.setitem(app.config, "SHOW_SMS_CODE", True)
    actions.login(creator)
    page = text(send_code(actions))
    assert f"开发环境：验证码 {sms.last_code(PHONE)}" in page and "flash-dev" in page


def test_item2_get_code_with_a_wrong_phone_says_so_beside_the_phone(client, db, actions, creator, sms):
    actions.login(creator)
    page = text(send_code(actions, {"phone": "1380000"}))
    assert "请填写11位中国大陆手机号" in page and 'value="1380000"' in page and 'value="广州塔-1"' in page
    assert sms.outbox == []


def test_item2_creating_with_the_code_redirects_to_created_and_takes_the_creators_snapshot(client, db, actions,
                                                                                          creator, sms):
    """创建团体 → 303 → 创建成功 (您的团体组织已创建成功…, 【邀请成员】, 【返回团体码首页】); the group is the
    typed one, the creator its first person with the proved phone and a snapshot (never blank in 成员管理) (G1, G5)."""
    db.session.add(HealthCode(person_id=creator.id, colour="yellow", reason="防控区域重点人员",
                              decided_at=datetime(2026, 11, 19), decided_city="广州市", guidance="请检测"))
    db.session.commit()
    actions.login(creator)
    response = create_with_code(actions, sms)
    assert response.status_code == 303
    group = db.session.scalar(select(Group))
    assert location(response) == f"/group/{group.id}/created"
    assert (group.name, group.kind, group.area_code, group.address, group.people) == (
        "广州塔-1", "企业", "440106006", "天河路208号", 1)
    row = group_members.membership(db.session, group.id, creator.id)
    assert row.role == "creator" and row.phone == PHONE and row.snapshot_at is not None and row.code_colour == "yellow"
    page = text(client.get(location(response)))
    assert "创建成功" in page and "您的团体组织已创建成功，可在团体首页查看相关管理内容" in page
    assert f'href="/group/{group.id}/invite"' in page and "邀请成员" in page
    assert 'href="/group/"' in page and "返回团体码首页" in page
    index = text(client.get("/group/"))
    assert f'href="/group/{group.id}"' in index and "广州塔-1" in index


def test_item2_a_district_is_enough_for_the_address(client, db, actions, creator, sms):
    """团体地址 to 区（县） level (the guide's 广东省广州市海珠区阅江西路118号) or to 乡镇（街道）."""
    actions.login(creator)
    response = create_with_code(actions, sms, {"district": "440105", "town": ""})
    assert response.status_code == 303
    assert db.session.scalar(select(Group.area_code)) == "440105"


def test_item2_a_wrong_code_is_said_beside_the_code_and_the_form_kept(client, db, actions, creator, sms):
    actions.login(creator)
    page = text(send_code(actions))
    wrong = "000000" if sms.last_code(PHONE) != "000000" else "111111"
    response = actions.post("/group/create", {**FORM, "code": wrong, "challenge": challenge_of(page)})
    assert response.status_code == 200
    page = text(response)
    assert "验证码错误，还可尝试4次" in page and 'id="code-error"' in page
    assert 'value="广州塔-1"' in page and 'value="天河路208号"' in page and challenge_of(page)
    assert count(db, Group) == 0


def test_item2_no_code_asked_is_said_beside_the_code(client, db, actions, creator):
    actions.login(creator)
    page = text(actions.post("/group/create", {**FORM, "code": "123456"}))
    assert "请先获取验证码" in page and 'value="广州塔-1"' in page
    page = text(actions.post("/group/create", FORM))
    assert "请输入手机验证码" in page


def test_item2_each_wrong_field_is_said_beside_it_with_everything_typed_kept(client, db, actions, creator):
    actions.login(creator)
    response = actions.post("/group/create", {"phone": "12", "name": "", "kind": "公司", "city": "4401",
                                              "district": "", "town": "", "address": "", "code": "12"})
    assert response.status_code == 200
    page = collapse(text(response))
    for message in ("请填写11位中国大陆手机号", "请填写团体名称", "请选择团体类型",
                    "请选择团体所在区域，至少到县（区）一级", "请填写团体地址"):
        assert message in page, message
    assert 'value="12"' in page and 'value="4401" selected' in page or '<option selected value="4401">' in page
    page = text(actions.post("/group/create", {**FORM, "name": "团" * 51}))
    assert "团体名称不能超过50个字" in page


def test_item2_the_area_pickers_choose_button_keeps_everything_typed(client, db, actions, creator):
    """Without JavaScript 【选择】 posts the form: the next level's choices come back, nothing is lost or checked."""
    actions.login(creator)
    page = text(actions.post("/group/create", {**FORM, "district": "440106", "town": "", "pick_area": "1"}))
    assert "天河区" in page and "石牌街道" in page and 'value="广州塔-1"' in page and "请填写" not in page


def test_item2_the_sixth_group_fails_with_the_reason_and_recreate_keeps_the_form(client, db, actions, creator, sms):
    """At most 5 groups per creator (G1): the 6th → 创建失败 (因…原因创建失败, 【重新创建】, 【返回团体码首页】);
    重新创建 comes back to the form as typed."""
    for i in range(groups.MAX_GROUPS):
        make_group(db, creator, f"广州塔-{i + 1}")
    db.session.commit()
    actions.login(creator)
    response = create_with_code(actions, sms, {"name": "广州塔-6"})
    assert response.status_code == 200
    page = text(response)
    assert "创建失败" in page and "因“一个创建人只可创建5个团体，您已创建5个团体”原因创建失败" in page
    assert "重新创建" in page and 'href="/group/"' in page and "返回团体码首页" in page
    assert count(db, Group) == 5
    again = text(actions.post("/group/create", {**FORM, "name": "广州塔-6", "again": "1"}))
    assert 'value="广州塔-6"' in again and 'value="天河路208号"' in again and "获取验证码" in again
    assert "请填写" not in again


def test_item2_a_refusal_page_carries_what_was_typed_into_recreate(client, db, actions, creator, sms):
    for i in range(groups.MAX_GROUPS):
        make_group(db, creator, f"广州塔-{i + 1}")
    db.session.commit()
    actions.login(creator)
    page = text(create_with_code(actions, sms, {"name": "广州塔-6"}))
    recreate = page[page.index('name="again"') - 1500:page.index("</form>", page.index('name="again"'))]
    for name, value in (("name", "广州塔-6"), ("kind", "企业"), ("district", "440106"), ("town", "440106006"),
                        ("address", "天河路208号"), ("phone", PHONE), ("again", "1")):
        assert f'name="{name}" value="{value}"' in recreate, name


# -- 我管理的团体: 数据统计, 刷新数据, 团体管理 ---------------------------------------------------------------------


def _health(db, person, colour: str, test_hours: float | None, doses: int) -> None:
    db.session.add(HealthCode(person_id=person.id, colour=colour, reason="防控区域重点人员", decided_at=NOW,
                              decided_city="广州市", guidance="请检测"))
    if test_hours is not None:
        sampled = datetime(2026, 11, 20, 1) - timedelta(hours=test_hours)
        db.session.add(NucleicAcidTest(person_id=person.id, sampled_at=sampled, result="阴性",
                                       institution="广州达瑞医学检验实验室"))
    for dose in range(1, doses + 1):
        db.session.add(Vaccination(person_id=person.id, dose=dose, vaccinated_on=datetime(2021, 3 * dose, 1).date(),
                                   manufacturer="北京科兴", site="天河区接种点"))


@pytest.fixture
def team(db, creator):
    """傅立叶's group with an admin (王管理) and members 张三 (黄码, 48小时, 2剂次), 李四 (红码, no test, 未接种)."""
    group = make_group(db, creator, "数字广东广报14楼")
    admin = make_group_member(db, group, "王管理", role="admin")
    zhang = make_group_member(db, group, "张三", remark="张三爸爸")
    li = make_group_member(db, group, "李四")
    _health(db, zhang.person, "yellow", 30, 2)
    _health(db, li.person, "red", None, 0)
    _health(db, creator, "green", 3, 3)
    _health(db, admin.person, "green", 70, 1)
    db.session.commit()
    return {"group": group, "admin": admin.person, "zhang": zhang.person, "li": li.person}


def test_item6_the_statistics_count_the_last_refresh_and_each_count_opens_the_filtered_list(client, db, actions,
                                                                                           creator, team):
    """数据统计 (图7): 健康码 绿/黄/红, 核酸 24/48/72小时/其他, 疫苗 3/2/1剂次/未接种 as of the last 刷新数据,
    each count a link to 成员管理 with that filter; 最新数据更新时间; 成员管理 N/500 (G5)."""
    group = team["group"]
    actions.login(creator)
    assert actions.post(f"/group/{group.id}/refresh").status_code == 303
    response = client.get(f"/group/{group.id}")
    assert_whole_page(response)
    page = collapse(text(response))
    assert "数字广东广报14楼" in page and "数据统计" in page and "最新数据更新时间：2026-11-20 09:00:00" in page
    assert "最近一次刷新时的情况" in page
    for label in ("健康码数据", "核酸检测", "疫苗接种", "团体管理", "邀请成员", "修改团体信息", "允许加入"):
        assert label in page, label
    assert "成员管理" in page and "4/500" in page
    expected = {("code", "green"): 2, ("code", "yellow"): 1, ("code", "red"): 1,
                ("test", "24"): 1, ("test", "48"): 1, ("test", "72"): 1, ("test", "other"): 1,
                ("vaccine", "3"): 1, ("vaccine", "2"): 1, ("vaccine", "1"): 1, ("vaccine", "0"): 1}
    for (key, value), number in expected.items():
        link = f'href="/group/{group.id}/members?{key}={value}"'
        assert re.search(re.escape(link) + r'[^>]*>' + str(number) + "</a>", page), (key, value, number)
    listed = text(client.get(f"/group/{group.id}/members?code=yellow"))
    assert "张三" in listed and "李四" not in listed  # the link opens 成员管理 with that filter (another screen)
    assert_fragment(client.get(f"/group/{group.id}", headers=HTMX))


def test_item6_between_refreshes_the_statistics_are_the_snapshot_and_say_so(client, db, actions, creator, team,
                                                                           clock):
    """The page shows the data as of the last refresh: a change at the provider shows only after 刷新数据 (G5)."""
    group = team["group"]
    actions.login(creator)
    actions.post(f"/group/{group.id}/refresh")
    db.session.scalar(select(HealthCode).where(HealthCode.person_id == team["li"].id)).colour = "green"
    db.session.commit()
    page = text(client.get(f"/group/{group.id}"))
    assert re.search(r'members\?code=red"[^>]*>1</a>', page)
    clock(NOW + timedelta(minutes=31))
    actions.post(f"/group/{group.id}/refresh")
    page = text(client.get(f"/group/{group.id}"))
    assert re.search(r'members\?code=red"[^>]*>0</a>', page) and "最新数据更新时间：2026-11-20 09:31:00" in page


def test_item6_refresh_at_most_once_per_30_minutes_and_the_button_says_when(client, db, actions, creator, team,
                                                                           clock):
    """【刷新数据】 at most once per 30 minutes per group, enforced on the server (a second press → the message with
    the time); until then the button says when it is allowed again (G5; guide (三) 3)."""
    group = team["group"]
    actions.login(team["admin"])  # an admin refreshes too
    page = text(client.get(f"/group/{group.id}"))
    assert "尚未刷新" in page and re.search(r"<button[^>]*>刷新数据</button>", page)
    response = actions.post(f"/group/{group.id}/refresh")
    assert response.status_code == 303 and location(response) == f"/group/{group.id}"
    assert "数据已刷新" in text(client.get(location(response)))
    page = text(client.get(f"/group/{group.id}"))
    assert re.search(r"<button[^>]*disabled[^>]*>刷新数据（09:30后可再次刷新）</button>", page)
    clock(NOW + timedelta(minutes=10))
    response = actions.post(f"/group/{group.id}/refresh")
    assert response.status_code == 303
    assert "30分钟内不可重复刷新，请于09:30后再试" in text(client.get(location(response)))
    db.session.expire_all()
    assert db.session.get(Group, group.id).refreshed_at == datetime(2026, 11, 20, 1, 0)
    clock(NOW + timedelta(minutes=30))
    page = text(client.get(f"/group/{group.id}"))
    assert re.search(r"<button[^>]*>刷新数据</button>", page) and "后可再次刷新" not in page
    assert "数据已刷新" in text(client.get(location(actions.post(f"/group/{group.id}/refresh"))))


def test_item6_the_management_menu_follows_the_role(client, db, actions, creator, team):
    """修改团体信息 only for the creator; an admin has the rest; a member and a stranger get 404 (G1, G2)."""
    group = team["group"]
    actions.login(team["admin"])
    page = text(client.get(f"/group/{group.id}"))
    assert "邀请成员" in page and "成员管理" in page and "允许加入" in page and "修改团体信息" not in page
    for person in (team["zhang"], make_person(db, "路人")):
        db.session.commit()
        actions.login(person)
        for url in (f"/group/{group.id}", f"/group/{group.id}/invite", f"/group/{group.id}/edit",
                    f"/group/{group.id}/created"):
            assert client.get(url).status_code == 404, url
        for url in (f"/group/{group.id}/refresh", f"/group/{group.id}/allow-join", f"/group/{group.id}/invite"):
            assert actions.post(url, {"allow": "0"}).status_code == 404, url
    assert db.session.get(Group, group.id).allow_join and db.session.get(Group, group.id).refreshed_at is None


def _bulk_members(db, group: Group, size: int) -> None:
    """`size` people in the group in total (the creator is one), each with a snapshot, inserted in bulk."""
    people = [Person(name=f"成员{i}", id_type="id_card", id_number=f"44010619900101{i:04d}",
                     id_hash=f"h-{group.id}-{i}") for i in range(size - 1)]
    db.session.add_all(people)
    db.session.flush()
    db.session.execute(insert(GroupMember), [
        {"group_id": group.id, "person_id": p.id, "role": "admin" if i < 3 else "member", "joined_at": NOW,
         "snapshot_at": NOW, "code_colour": ("green", "yellow", "red")[i % 3], "test_window": "24",
         "vaccine_doses": i % 4, "vaccine_records": []} for i, p in enumerate(people)])
    group.people = size
    db.session.commit()


def test_item7_my_group_takes_a_constant_number_of_statements(client, db, creator):
    """我管理的团体 with 数据统计: the same statements for 5 and 500 people (one aggregate query) (issue 13 item 7)."""
    seen = {}
    for size in (5, 500):
        owner = creator if size == 5 else make_person(db, "大团长")
        group = managed_group(db, owner, f"{size}人团体")
        _bulk_members(db, group, size)
        seen[size] = statements(db, client, owner.id, f"/group/{group.id}")
        assert f"{size}/500" in text(client.get(f"/group/{group.id}"))
    assert len(seen[5]) == len(seen[500]) <= 8, seen


# -- 修改团体信息, 允许新成员加入 ----------------------------------------------------------------------------------


def test_item2_the_creator_edits_the_group_info(client, db, actions, creator, team):
    """修改团体信息 (G1): the form opens as the group is; saving → 303 → 我管理的团体 with the new name."""
    group = team["group"]
    actions.login(creator)
    page = text(client.get(f"/group/{group.id}/edit"))
    assert 'value="数字广东广报14楼"' in page and 'value="阅江西路118号"' in page
    assert '<option selected value="企业">' in page or 'value="企业" selected' in page
    assert '<option selected value="440105">' in page or 'value="440105" selected' in page
    response = actions.post(f"/group/{group.id}/edit", {**FORM, "name": "数字广东广报15楼", "kind": "事业单位"})
    assert response.status_code == 303 and location(response) == f"/group/{group.id}"
    landing = text(client.get(location(response)))
    assert "团体信息已修改" in landing and "数字广东广报15楼" in landing
    db.session.expire_all()
    group = db.session.get(Group, group.id)
    assert (group.name, group.kind, group.area_code, group.address) == (
        "数字广东广报15楼", "事业单位", "440106006", "天河路208号")


def test_item2_a_wrong_edit_is_said_beside_the_field_and_kept(client, db, actions, creator, team):
    group = team["group"]
    actions.login(creator)
    response = actions.post(f"/group/{group.id}/edit", {**FORM, "name": "", "address": "新地址1号"})
    assert response.status_code == 200
    page = text(response)
    assert "请填写团体名称" in page and 'value="新地址1号"' in page
    assert db.session.get(Group, group.id).name == "数字广东广报14楼"


def test_item2_only_the_creator_edits_an_admin_gets_404(client, db, actions, team):
    """The guide lists 修改团体信息 under 创建人: an admin's GET and POST are 404, nothing changes (G1)."""
    group = team["group"]
    actions.login(team["admin"])
    assert client.get(f"/group/{group.id}/edit").status_code == 404
    assert actions.post(f"/group/{group.id}/edit", {**FORM, "name": "管理员改的"}).status_code == 404
    assert db.session.get(Group, group.id).name == "数字广东广报14楼"


def test_item4_the_switch_is_a_plain_form_that_turns_joining_off_and_on(client, db, actions, creator, team):
    """允许加入 (图7) / 允许新成员加入 (图5): a POST form button (no JS), 303 back to the screen it was on; off refuses
    joins with a message (G3)."""
    group = team["group"]
    actions.login(team["admin"])
    page = text(client.get(f"/group/{group.id}"))
    action = f'<form method="post" action="/group/{group.id}/allow-join"'
    switch = page[page.index(action):page.index("</form>", page.index(action))]
    assert 'name="allow" value="0"' in switch and 'role="switch"' in switch and 'aria-checked="true"' in switch
    response = actions.post(f"/group/{group.id}/allow-join", {"allow": "0"})
    assert response.status_code == 303 and location(response) == f"/group/{group.id}"
    assert "已关闭新成员加入" in text(client.get(location(response)))
    db.session.expire_all()
    assert not db.session.get(Group, group.id).allow_join
    page = text(client.get(f"/group/{group.id}/invite"))
    assert 'aria-checked="false"' in page and "已关闭" in page and 'name="allow" value="1"' in page
    invite = group_members.invite(db.session, group, creator.id, datetime(2026, 11, 20, 1))
    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.join(db.session, invite.token, make_person(db, "新人").id, remark="", phone=PHONE,
                           utc_now=datetime(2026, 11, 20, 1))
    assert refused.value.message == group_members.JOINS_OFF
    db.session.rollback()
    response = actions.post(f"/group/{group.id}/allow-join", {"allow": "1", "back": "invite"})
    assert location(response) == f"/group/{group.id}/invite"
    db.session.expire_all()
    assert db.session.get(Group, group.id).allow_join
    response = actions.post(f"/group/{group.id}/allow-join", {"allow": "maybe"})  # a hand-made post changes nothing
    assert response.status_code == 303 and db.session.get(Group, group.id).allow_join


# -- 邀请成员 -------------------------------------------------------------------------------------------------------


def test_item4_the_invite_screen_has_the_guides_words(client, db, actions, team):
    """邀请成员 (图5): 邀请新成员加入团体, 允许新成员加入 (its state), 流程指引's three steps, the two share buttons."""
    group = team["group"]
    actions.login(team["admin"])
    invites = count(db, GroupInvite)
    response = client.get(f"/group/{group.id}/invite")
    assert_whole_page(response)
    page = collapse(text(response))
    for words in ("邀请新成员加入团体", "允许新成员加入", "已开启", "流程指引", "分享团体码",
                  "管理员分享团体二维码或邀请链接到微信。每次分享的二维码、邀请链接24小时内有效。", "扫码/点击链接",
                  "成员点击邀请链接或使用粤省事APP、微信扫描二维码即可打开申请加入页面。", "实名认证加入",
                  "成员实名认证、填写身份备注信息后，即可申请加入团体。", "保存图片并分享", "分享邀请链接"):
        assert words in page, words
    assert count(db, GroupInvite) == invites  # looking is not sharing
    assert_fragment(client.get(f"/group/{group.id}/invite", headers=HTMX))


def test_item4_each_share_is_a_new_absolute_link_and_qr_valid_24_hours(client, db, actions, team, clock):
    """保存图片并分享 / 分享邀请链接 → 303 → the invitation: its QR (PNG and SVG) and the absolute join link with 复制,
    有效期至 24 hours on; at 23:59 it is still shown, at 24:01 it says the invitation expired and offers a new one
    (G3; guide 四 (二) 2)."""
    group = team["group"]
    actions.login(team["admin"])
    response = actions.post(f"/group/{group.id}/invite", {"how": "link"})
    assert response.status_code == 303
    invite = db.session.scalar(select(GroupInvite).order_by(GroupInvite.id.desc()))
    assert location(response) == f"/group/{group.id}/invite/{invite.id}"
    assert invite.expires_at - invite.created_at == timedelta(hours=24) and invite.created_by_id == team["admin"].id
    page = text(client.get(location(response)))
    link = f"http://yks.test/group/join/{invite.token}"
    assert f'value="{link}"' in page and f'data-share-url="{link}"' in page and "复制" in page
    assert "邀请链接24小时内有效，有效期至2026-11-21 09:00<" in page
    assert f'src="/group/{group.id}/invite/{invite.id}/qr.png"' in page
    assert "*管理 邀请您加入【数字广东广报14楼】" in page
    for fmt, mimetype in (("png", "image/png"), ("svg", "image/svg+xml")):
        image = client.get(f"/group/{group.id}/invite/{invite.id}/qr.{fmt}")
        assert image.status_code == 200 and image.mimetype == mimetype
    before = count(db, GroupInvite)
    second = actions.post(f"/group/{group.id}/invite", {"how": "image"})
    assert location(second) != location(response) and count(db, GroupInvite) == before + 1
    clock(NOW + timedelta(hours=23, minutes=59))
    assert "有效期至" in text(client.get(location(response)))
    clock(NOW + timedelta(hours=24, minutes=1))
    page = text(client.get(location(response)))
    assert "邀请已失效" in page and invite.token not in page and "重新生成邀请" in page
    assert client.get(f"/group/{group.id}/invite/{invite.id}/qr.png").status_code == 404


def test_item4_an_invitation_of_another_group_is_404(client, db, actions, team):
    group = team["group"]
    other = make_group(db, team["admin"], "另一个团体")
    foreign = group_members.invite(db.session, other, team["admin"].id, datetime(2026, 11, 20, 1))
    db.session.commit()
    actions.login(team["admin"])  # the creator of `other` and an admin of `group`
    assert client.get(f"/group/{group.id}/invite/{foreign.id}").status_code == 404
    assert client.get(f"/group/{group.id}/invite/{foreign.id}/qr.png").status_code == 404
    assert client.get(f"/group/{other.id}/invite/{foreign.id}").status_code == 200


def test_item4_the_invite_screen_warns_while_joining_is_off(client, db, actions, team):
    group = team["group"]
    groups.set_allow_join(db.session, group, False, datetime(2026, 11, 20, 1))
    db.session.commit()
    actions.login(team["admin"])
    assert "成员打开邀请链接将无法加入团体" in text(client.get(f"/group/{group.id}/invite"))
    response = actions.post(f"/group/{group.id}/invite")
    assert "成员打开邀请链接将无法加入团体" in text(client.get(location(response)))


def test_item2_the_created_page_is_the_creators_only(client, db, actions, team):
    group = team["group"]
    actions.login(team["admin"])
    assert client.get(f"/group/{group.id}/created").status_code == 404

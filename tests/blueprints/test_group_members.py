"""成员管理 and 成员信息 (SPEC G2, G4, P6, P10; issue 13 items 3 and 5; the 团体码 guide 四 (二) 3, (三) 2, 图6).

The list: N/500, 邀请成员, 数据更新时间, keyword (姓名 or 备注, % and _ taken literally) and the three filters combined,
a real URL (reload and back keep it), swapped in place by htmx (Vary: HX-Request), a page of PAGE_SIZE at a time,
in a constant number of statements for 5 or 500 members. 成员信息: every field of the snapshot, masked 证件号码 and
手机号码, one audit row per view shown in the member's 查阅记录. The actions at its bottom follow the role rules
(G2), each through a confirm page and a POST that redirects, a refusal as a message, never a 500.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import insert, select

from tests.blueprints.support import assert_fragment, assert_whole_page, collapse, count, location, text
from tests.factories import make_group, make_group_member, make_person
from tests.services.test_health_data import statements
from yks_web.blueprints.group import members as members_view
from yks_web.models.group import ADMIN, CREATOR, MEMBER, Group, GroupConsent, GroupMember
from yks_web.models.people import AuditLog
from yks_web.privacy import mask_id, mask_name, mask_phone
from yks_web.services import group_members

HTMX = {"HX-Request": "true"}
SNAP = datetime(2026, 11, 20, 0, 30)  # 08:30 in Shanghai
GROUP_NAME = "数字广东广报14楼"


def snap(member: GroupMember, colour: str = "green", window: str = "24", result: str = "阴性", doses: int = 3,
         **more) -> GroupMember:
    """The member's snapshot as a 刷新数据 leaves it (services/group_data.snapshot_people's columns)."""
    member.snapshot_at = SNAP
    member.code_colour, member.test_window, member.test_result, member.vaccine_doses = colour, window, result, doses
    member.vaccine_records = [{"dose": n, "on": date(2021, 3 * n, 28).isoformat(), "manufacturer": "北京科兴",
                               "site": "天河区接种点"} for n in range(1, doses + 1)]
    for key, value in more.items():
        setattr(member, key, value)
    return member


@pytest.fixture
def team(db):
    """李晓明's group: an admin 王管理, members 张三 (黄码 2剂次 48小时), 李四 (红码 未接种 核酸阳性), 赵五 (绿码
    3剂次 24小时), each with a snapshot; and another group with its own member."""
    group = make_group(db, "李晓明", GROUP_NAME)
    creator = db.session.get(GroupMember, db.session.scalar(
        select(GroupMember.id).where(GroupMember.group_id == group.id, GroupMember.role == CREATOR)))
    admin = make_group_member(db, group, "王管理", role="admin", remark="办公室")
    zhang = make_group_member(db, group, "张三", remark="张三爸爸", phone="13800000019")
    li = make_group_member(db, group, "李四", remark="李四妈妈")
    zhao = make_group_member(db, group, "赵五", remark="五年级")
    snap(creator)
    snap(admin)
    snap(zhang, "yellow", "48", doses=2, code_reason="防控区域重点人员", code_city="广州市",
         code_decided_at=datetime(2022, 5, 5, 15, 23, 45), code_guidance="请按要求进行核酸检测",
         test_sampled_at=datetime(2022, 5, 28, 5, 21), test_tested_at=datetime(2022, 5, 29, 11, 24),
         test_institution="广州达瑞医学检验实验室", test_source="广东省卫生健康委员会")
    snap(li, "red", "other", "阳性", doses=0)
    snap(zhao)
    other = make_group(db, "陈其他", "另一个团体")
    stranger = make_group_member(db, other, "钱外人", remark="外人")
    snap(stranger, "red", "other", "阳性", 0)
    db.session.commit()
    return {"group": group, "creator": creator, "admin": admin, "zhang": zhang, "li": li, "zhao": zhao,
            "other": other, "stranger": stranger}


def members_url(group, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/group/{group.id}/members" + (f"?{query}" if query else "")


def member_url(group, member, action: str = "") -> str:
    return f"/group/{group.id}/members/{member.id}" + (f"/{action}" if action else "")


def shown(page: str, team: dict) -> set[str]:
    """Which of the team's people a list page shows (by their masked names)."""
    return {key for key in ("creator", "admin", "zhang", "li", "zhao", "stranger")
            if mask_name(team[key].person.name) in page}


# -- 成员管理 ------------------------------------------------------------------------------------------------------


def test_item5_the_list_is_a_page_and_its_fragment_for_htmx(client, actions, team):
    """G4: 成员管理 233/500 with 邀请成员 and 数据更新时间; a whole page normally, only the screen for htmx, the
    whole page for htmx's history restore; Vary: HX-Request on each (STYLE §3)."""
    group = team["group"]
    actions.login(team["creator"].person)
    page = client.get(members_url(group))
    assert_whole_page(page)
    body = collapse(text(page))
    assert "成员管理 <span class=\"strong\" id=\"members-people\">5/500</span>" in body
    assert f'href="/group/{group.id}/invite"' in body and "邀请成员" in body
    assert "数据更新时间：尚未刷新数据" in body and "最近一次“刷新数据”时的情况" in body
    assert f'hx-get="/group/{group.id}/members"' in body and 'hx-select="#members-list"' in body
    assert 'hx-push-url="true"' in body and 'method="get"' in body
    assert shown(body, team) == {"creator", "admin", "zhang", "li", "zhao"}
    fragment = client.get(members_url(group, code="yellow"), headers=HTMX)
    assert_fragment(fragment)
    assert shown(text(fragment), team) == {"zhang"}
    assert_whole_page(client.get(members_url(group, code="yellow"),
                                 headers={**HTMX, "HX-History-Restore-Request": "true"}))


def test_item5_refreshed_at_is_shown_in_local_time(client, db, actions, team):
    group = team["group"]
    group.refreshed_at = datetime(2022, 5, 5, 9, 43, 55)
    db.session.commit()
    actions.login(team["admin"].person)
    assert "数据更新时间：2022-05-05 17:43:55" in text(client.get(members_url(group)))


def test_item5_rows_show_masked_name_remark_colour_doses_and_test(client, actions, team):
    """Each row: *三（张三爸爸）, the colour in words, the doses, the 核酸 tag; it opens 成员信息."""
    group = team["group"]
    actions.login(team["creator"].person)
    body = collapse(text(client.get(members_url(group))))
    zhang, li = team["zhang"], team["li"]
    assert "*三</span>（张三爸爸）" in body and "张三</span>" not in body.replace("*三</span>", "")
    assert "黄码</span> · 2剂次 · 48小时核酸阴性" in body
    assert "红码</span> · 未接种 · 核酸阳性" in body
    assert "绿码</span> · 3剂次 · 24小时核酸阴性" in body
    assert f'href="/group/{group.id}/members/{zhang.id}"' in body and f"/members/{li.id}" in body
    assert '<span class="badge ok">创建人</span>' in body and '<span class="badge ok">管理员</span>' in body


def test_item5_filters_combine_and_live_in_the_url(client, actions, team):
    """G4: 健康码 × 核酸 × 疫苗 combined, from the URL (数据统计's links, reload, back); the form shows the filter; an
    unknown value is no filter; the row's link carries the filter back from 成员信息."""
    group = team["group"]
    actions.login(team["creator"].person)
    assert shown(text(client.get(members_url(group, code="green"))), team) == {"creator", "admin", "zhao"}
    assert shown(text(client.get(members_url(group, code="green", vaccine="3", test="24"))), team) == {
        "creator", "admin", "zhao"}
    assert shown(text(client.get(members_url(group, test="other", vaccine="0"))), team) == {"li"}
    assert shown(text(client.get(members_url(group, code="yellow", test="24"))), team) == set()
    assert shown(text(client.get(members_url(group, vaccine="2"))), team) == {"zhang"}
    page = text(client.get(members_url(group, code="red", test="other")))
    assert shown(page, team) == {"li"} and "筛选结果" in page and "清除筛选" in page
    assert '<option value="red" selected>红码</option>' in page
    assert '<option value="other" selected>其他</option>' in page
    assert f'/members/{team["li"].id}?code=red&amp;test=other"' in page
    detail = text(client.get(member_url(group, team["li"]) + "?code=red&test=other"))
    assert f'href="/group/{group.id}/members?code=red&amp;test=other"' in detail  # 返回 keeps the filter
    assert shown(text(client.get(members_url(group, code="purple", test="12"))), team) == {
        "creator", "admin", "zhang", "li", "zhao"}
    assert "没有符合条件的成员" in text(client.get(members_url(group, code="yellow", vaccine="0")))


def test_item5_keyword_matches_name_or_remark_and_takes_percent_and_underscore_literally(client, db, actions, team):
    group = team["group"]
    team["zhao"].remark = "100%出勤"
    team["li"].remark = "a_b"
    db.session.commit()
    actions.login(team["creator"].person)
    assert shown(text(client.get(members_url(group, q="张三"))), team) == {"zhang"}
    assert shown(text(client.get(members_url(group, q="爸爸"))), team) == {"zhang"}  # 备注
    assert shown(text(client.get(members_url(group, q="%25"))), team) == {"zhao"}  # "%" in the URL
    assert shown(text(client.get(members_url(group, q="_"))), team) == {"li"}
    assert shown(text(client.get(members_url(group, q="张", code="red"))), team) == set()
    page = text(client.get(members_url(group, q="%25")))
    assert 'name="q" value="%"' in page  # what was typed stays in the box


def test_item5_pages_keep_the_filter(client, db, actions, team, monkeypatch):
    """A long list is paged (下一页 / 上一页 keep the filter); a bad page number is page 1, never an error."""
    monkeypatch.setattr(members_view, "PAGE_SIZE", 2)
    group = team["group"]
    actions.login(team["creator"].person)
    first = text(client.get(members_url(group)))
    assert shown(first, team) == {"creator", "admin"} and "（第1页）" in first
    assert f'href="/group/{group.id}/members?page=2"' in first and "上一页" not in first
    third = text(client.get(members_url(group, page=3)))
    assert shown(third, team) == {"zhao"} and "下一页" not in third and "上一页" in third
    filtered = text(client.get(members_url(group, code="green")))
    assert shown(filtered, team) == {"creator", "admin"}
    assert f'href="/group/{group.id}/members?page=2&amp;code=green"' in filtered
    assert shown(text(client.get(members_url(group, code="green", page=2))), team) == {"zhao"}
    for bad in ("0", "-1", "x", "9" * 40):
        response = client.get(members_url(group, page=bad))
        assert response.status_code == 200 and "页" in text(response)


def test_item5_the_list_is_audited_one_row_per_member_shown(client, db, actions, team):
    """Names with their 健康码 colour are a read of each member shown (as the boards do, services/audit.py): one
    row each (the viewer's own excepted), role and group name written, in the member's 查阅记录 as 查看团体成员列表."""
    group = team["group"]
    actions.login(team["admin"].person)
    client.get(members_url(group, code="yellow"))
    rows = db.session.execute(select(AuditLog.subject_id, AuditLog.role, AuditLog.action, AuditLog.context)).all()
    assert rows == [(team["zhang"].person_id, "group_admin", "view_group_members", GROUP_NAME)]
    client.get(members_url(group))
    assert count(db, AuditLog) == 1 + 4  # everyone but the admin themselves


# -- 成员信息 ------------------------------------------------------------------------------------------------------


def test_item5_member_detail_shows_every_field_of_the_snapshot_masked(client, actions, team):
    """G4, 图6: 数据更新时间; 基本信息 (姓名 masked, 备注, 证件类型, 证件号码 and 手机号码 masked — the phone given at
    join); 健康码 (粤康码 in words, 原因, 判定时间, 判定城市, 解除指引); 最新核酸检测 (检测结果, 采样时间, 检测时间,
    检测机构, 数据来源); 新冠疫苗接种记录 (针次, 接种时间, 疫苗厂家, 接种单位). No full 证件号码 or phone anywhere."""
    group, zhang = team["group"], team["zhang"]
    actions.login(team["creator"].person)
    response = client.get(member_url(group, zhang))
    assert_whole_page(response)
    assert_fragment(client.get(member_url(group, zhang), headers=HTMX))
    body = collapse(text(response))
    number = zhang.person.id_number
    for label, value in (
        ("姓名", "*三"), ("备注", "张三爸爸"), ("证件类型", "内地居民身份证"), ("证件号码", mask_id(number)),
        ("手机号码", mask_phone("13800000019")), ("粤康码", '<span class="code-yellow-text strong">黄码</span>'),
        ("原因", "防控区域重点人员"), ("判定时间", "2022-05-05 23:23:45"), ("判定城市", "广州市"),
        ("解除指引", "请按要求进行核酸检测"), ("检测结果", "48小时阴性"), ("采样时间", "2022-05-28 13:21"),
        ("检测时间", "2022-05-29 19:24"), ("检测机构", "广州达瑞医学检验实验室"), ("数据来源", "广东省卫生健康委员会"),
        ("针次", "第一针"), ("针次", "第二针"), ("接种时间", "2021-06-28"), ("疫苗厂家", "北京科兴"),
        ("接种单位", "天河区接种点"),
    ):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in body, label
    assert "数据更新时间：2026-11-20 08:30:00" in body
    for section in ("基本信息", "健康码", "最新核酸检测", "新冠疫苗接种记录"):
        assert section in body
    assert number not in body and "13800000019" not in body and "张三<" not in body
    lists = text(client.get(members_url(group)))
    assert number not in lists and "13800000019" not in lists


def test_item5_a_member_without_test_or_vaccine_says_so(client, db, actions, team):
    group, li = team["group"], team["li"]
    li.test_result, li.test_window = "", "other"
    db.session.commit()
    actions.login(team["creator"].person)
    body = text(client.get(member_url(group, li)))
    assert "暂无核酸检测记录" in body and ">未接种<" in body


def test_item5_every_view_is_audited_and_shown_in_the_members_reads(client, db, actions, team):
    """One row per view (P6): the viewer's role as they are (团体创建人 / 团体管理员), the group's name; the member
    sees both in 查阅记录 (P10) with the reader masked and what was read."""
    group, zhang = team["group"], team["zhang"]
    actions.login(team["creator"].person)
    client.get(member_url(group, zhang))
    client.get(member_url(group, zhang))
    actions.login(team["admin"].person)
    client.get(member_url(group, zhang), headers=HTMX)
    rows = db.session.execute(select(AuditLog.actor_id, AuditLog.role, AuditLog.action, AuditLog.context)
                              .where(AuditLog.subject_id == zhang.person_id).order_by(AuditLog.id)).all()
    creator, admin = team["creator"].person_id, team["admin"].person_id
    assert rows == [(creator, "group_creator", "view_group_member", GROUP_NAME)] * 2 + [
        (admin, "group_admin", "view_group_member", GROUP_NAME)]
    actions.login(zhang.person)
    reads = collapse(text(client.get("/me/reads")))
    assert f"团体创建人 · {GROUP_NAME}" in reads and f"团体管理员 · {GROUP_NAME}" in reads
    assert "*晓明 · 查看团体成员信息" in reads and "*管理 · 查看团体成员信息" in reads
    assert "李晓明" not in reads


def test_item5_one_looking_at_their_own_details_writes_no_row(client, db, actions, team):
    actions.login(team["admin"].person)
    assert client.get(member_url(team["group"], team["admin"])).status_code == 200
    assert count(db, AuditLog) == 0


# -- 404s ----------------------------------------------------------------------------------------------------------


def test_item5_what_is_not_the_viewers_is_404(client, db, actions, team):
    """A member of another group at this group's URL, an unknown id, another group's list; a plain member or a
    stranger sees neither list nor detail; the admin none of the creator's confirm pages."""
    group, other = team["group"], team["other"]
    actions.login(team["creator"].person)
    for url in (member_url(group, team["stranger"]), f"/group/{group.id}/members/999999", members_url(other),
                member_url(other, team["stranger"]), f"/group/{group.id}/members/999999/remove",
                member_url(group, team["stranger"], "remove"), "/group/999999/members"):
        assert client.get(url).status_code == 404, url
    assert actions.post(member_url(group, team["stranger"], "remove")).status_code == 404
    for who in (team["zhang"].person, make_person(db, "路人")):
        actions.login(who)
        for url in (members_url(group), member_url(group, team["li"]), member_url(group, team["li"], "remove")):
            assert client.get(url).status_code == 404, url
    actions.login(team["admin"].person)
    for action in ("admin", "unadmin"):
        assert client.get(member_url(group, team["zhang"], action)).status_code == 404
        assert actions.post(member_url(group, team["zhang"], action)).status_code == 404
    assert team["zhang"].role == MEMBER


# -- 设为管理员 / 解除管理员 / 删除成员 ----------------------------------------------------------------------------


def actions_shown(page: str) -> set[str]:
    return {label for label in ("设为管理员", "解除管理员", "删除成员") if f">{label}</a>" in page}


def test_item3_the_bottom_of_the_page_follows_the_role_rules(client, actions, team):
    """G2: the creator: a member 设为管理员 + 删除成员, an admin 解除管理员 (and 'revoke first'), the creator nothing;
    an admin: 删除成员 for members only."""
    group = team["group"]
    actions.login(team["creator"].person)
    assert actions_shown(text(client.get(member_url(group, team["zhang"])))) == {"设为管理员", "删除成员"}
    admin_page = text(client.get(member_url(group, team["admin"])))
    assert actions_shown(admin_page) == {"解除管理员"} and "请先解除管理员权限" in admin_page
    assert actions_shown(text(client.get(member_url(group, team["creator"])))) == set()
    actions.login(team["admin"].person)
    assert actions_shown(text(client.get(member_url(group, team["zhang"])))) == {"删除成员"}
    assert actions_shown(text(client.get(member_url(group, team["creator"])))) == set()
    assert actions_shown(text(client.get(member_url(group, team["admin"])))) == set()


def test_item3_set_and_revoke_admin_through_confirm_pages(client, db, actions, team):
    """设为管理员 → 确定将*三设为管理员？ → 303 to 成员信息 with 已将*三设为管理员; 解除管理员 the same way back."""
    group, zhang = team["group"], team["zhang"]
    actions.login(team["creator"].person)
    confirm = client.get(member_url(group, zhang, "admin"))
    assert_whole_page(confirm)
    body = text(confirm)
    assert "确定将*三设为管理员？" in body and f'action="/group/{group.id}/members/{zhang.id}/admin"' in body
    assert f'href="/group/{group.id}/members/{zhang.id}">取消</a>' in body
    response = actions.post(member_url(group, zhang, "admin"))
    assert response.status_code == 303 and location(response) == member_url(group, zhang)
    db.session.refresh(zhang)
    assert zhang.role == ADMIN
    assert "已将*三设为管理员" in text(client.get(location(response)))
    assert "确定解除*三的管理员权限？" in text(client.get(member_url(group, zhang, "unadmin")))
    response = actions.post(member_url(group, zhang, "unadmin"))
    assert response.status_code == 303 and location(response) == member_url(group, zhang)
    db.session.refresh(zhang)
    assert zhang.role == MEMBER and "已解除*三的管理员权限" in text(client.get(location(response)))


def test_item3_the_sixth_admin_is_refused_with_a_message(client, db, actions, team):
    """G2: at most 5 admins; the sixth is refused as a message on 成员信息, not a 500, and nothing changes."""
    group = team["group"]
    for name in ("管理二", "管理三", "管理四", "管理五"):
        make_group_member(db, group, name, role="admin")
    db.session.commit()
    actions.login(team["creator"].person)
    assert "确定将*三设为管理员？" in text(client.get(member_url(group, team["zhang"], "admin")))
    response = actions.post(member_url(group, team["zhang"], "admin"))
    assert response.status_code == 303 and location(response) == member_url(group, team["zhang"])
    assert group_members.TOO_MANY_ADMINS in text(client.get(location(response)))
    db.session.refresh(team["zhang"])
    assert team["zhang"].role == MEMBER and group_members.admin_count(db.session, group.id) == 5


def test_item3_what_does_not_apply_is_said_on_the_confirm_page_and_refused_on_post(client, db, actions, team):
    """An admin is not deleted before 解除管理员; the creator never; 设为管理员 of an admin, 解除管理员 of a member:
    the confirm page says why (200, no 确定), the POST flashes it."""
    group = team["group"]
    actions.login(team["creator"].person)
    for member, action, message in (
        (team["admin"], "remove", group_members.REVOKE_FIRST), (team["creator"], "remove",
                                                                group_members.NOT_THE_CREATOR),
        (team["admin"], "admin", group_members.ALREADY_ADMIN), (team["zhang"], "unadmin", group_members.NOT_AN_ADMIN),
        (team["creator"], "admin", "团体创建人无需设为管理员"),
    ):
        page = client.get(member_url(group, member, action))
        assert page.status_code == 200 and message in text(page) and ">确定</button>" not in text(page)
        response = actions.post(member_url(group, member, action))
        assert response.status_code == 303 and location(response) == member_url(group, member)
        assert message in text(client.get(location(response)))
    roles = dict(db.session.execute(select(GroupMember.id, GroupMember.role)
                                    .where(GroupMember.group_id == group.id)).all())
    assert (roles[team["admin"].id], roles[team["creator"].id], roles[team["zhang"].id]) == (ADMIN, CREATOR, MEMBER)


def test_item3_an_admin_deletes_members_but_not_admins_or_the_creator(client, db, actions, team):
    """G2: 删除成员 by an admin → 303 to 成员管理, N/500 one less, the consent ended as removed; an admin or the
    creator: refused with the guide's words."""
    group, zhang = team["group"], team["zhang"]
    actions.login(team["admin"].person)
    for member in (team["creator"], team["admin"]):
        page = text(client.get(member_url(group, member, "remove")))
        expected = group_members.NOT_THE_CREATOR if member is team["creator"] else group_members.ADMINS_STAY
        assert expected in page
        assert actions.post(member_url(group, member, "remove")).status_code == 303
    assert "确定将*三从团体中删除？" in text(client.get(member_url(group, zhang, "remove")))
    response = actions.post(member_url(group, zhang, "remove"))
    assert response.status_code == 303 and location(response) == members_url(group)
    page = collapse(text(client.get(location(response))))
    assert "已删除成员*三" in page and "4/500" in page
    zhang_person = zhang.person_id
    assert count(db, GroupMember, GroupMember.group_id == group.id) == 4
    assert db.session.scalar(select(GroupConsent.ended_reason).where(
        GroupConsent.group_id == group.id, GroupConsent.person_id == zhang_person)) == group_members.REMOVED
    assert client.get(member_url(group, zhang)).status_code == 404  # gone


def test_item3_the_creator_deletes_an_admin_after_revoking(client, db, actions, team):
    group, admin = team["group"], team["admin"]
    actions.login(team["creator"].person)
    actions.post(member_url(group, admin, "unadmin"))
    response = actions.post(member_url(group, admin, "remove"))
    assert response.status_code == 303 and location(response) == members_url(group)
    assert count(db, GroupMember, GroupMember.id == admin.id) == 0
    assert db.session.get(Group, group.id).people == 4


# -- constant statements -------------------------------------------------------------------------------------------


def _group_of(db, size: int) -> Group:
    """A group of the creator and `size` members, inserted in bulk (each with a snapshot, a third yellow)."""
    group = make_group(db, "李晓明", f"大团体{size}")
    people = [make_person(db, f"成员{i}", register=False) for i in range(size)]
    db.session.execute(insert(GroupMember), [
        {"group_id": group.id, "person_id": p.id, "role": MEMBER, "remark": f"备注{i}", "snapshot_at": SNAP,
         "code_colour": "yellow" if i % 3 == 0 else "green", "test_window": "24", "test_result": "阴性",
         "vaccine_doses": 2, "vaccine_records": []}
        for i, p in enumerate(people)])
    group.people = size + 1
    db.session.commit()
    return group


@pytest.mark.parametrize("filtered", [False, True])
def test_item7_the_list_takes_constant_statements_for_5_or_500_members(client, db, actions, filtered):
    """Issue 13 item 7: 成员管理 (filtered or not) and a page of it take the same number of SQL statements for a
    group of 5 and of 500 (the list in one query, the audit rows in one INSERT)."""
    counts, sizes = [], []
    for size in (5, 500):
        group = _group_of(db, size)
        actions.login(group.creator)
        args = {"code": "yellow", "q": "成员"} if filtered else {}
        client.get(members_url(group, **args))  # warm: the login's own first-request work
        with statements(db) as seen:
            response = client.get(members_url(group, **args))
        assert response.status_code == 200
        counts.append(len(seen))
        sizes.append(text(response).count("menu-item"))
        member_id = db.session.scalar(select(GroupMember.id).where(GroupMember.group_id == group.id,
                                                                   GroupMember.role == MEMBER).limit(1))
        with statements(db) as detail:
            assert client.get(f"/group/{group.id}/members/{member_id}").status_code == 200
        counts.append(len(detail))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert max(counts) <= 6, counts  # the session, the group, the viewer's role, the rows, the audit INSERT
    expected_rows = (2, 100) if filtered else (6, 100)
    assert tuple(sizes) == expected_rows

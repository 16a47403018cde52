"""团体码 rules (SPEC G1–G3; issue 13 items 2–4 and 8): 5 groups per creator, 500 people, 5 admins, 24-hour
invitations (23:59 admits, 24:01 does not), the 允许新成员加入 switch, the admin-deletion rules, consent
recorded on joining and ended on withdrawal."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from tests.factories import make_person
from yks_web.models.group import ADMIN, CREATOR, MEMBER, SHARED, Group, GroupConsent, GroupMember
from yks_web.services import group_members, groups

T0 = datetime(2026, 11, 20, 1, 0)
INFO = groups.GroupInfo("数字广东广报14楼", "企业", "440105", "阅江西路118号")


def _group(db, creator=None, info: groups.GroupInfo = INFO) -> Group:
    creator = creator or make_person(db, "李晓明")
    return groups.create(db.session, creator.id, info, phone="13800000012", utc_now=T0)


def _join(db, group: Group, person, *, at: datetime = T0, remark: str = "") -> GroupMember:
    invite = group_members.invite(db.session, group, group.creator_id, T0)
    member, _ = group_members.join(db.session, invite.token, person.id, remark=remark, phone="13900000000",
                                   utc_now=at)
    return member


def test_item2_creating_a_group_makes_the_creator_its_first_person_with_a_consent(db):
    group = _group(db)
    assert (group.name, group.kind, group.area_code, group.address) == (
        "数字广东广报14楼", "企业", "440105", "阅江西路118号")
    assert group.people == 1 and group.allow_join
    creator = group_members.membership(db.session, group.id, group.creator_id)
    assert creator.role == CREATOR and creator.phone == "13800000012"
    consent = db.session.scalar(select(GroupConsent).where(GroupConsent.group_id == group.id))
    assert consent.person_id == group.creator_id and consent.scope == list(SHARED) and consent.granted_at == T0
    assert groups.managed(db.session, group.creator_id) == [(group, CREATOR)]


def test_item2_at_most_five_groups_per_creator(db):
    creator = make_person(db, "李晓明")
    for i in range(groups.MAX_GROUPS):
        _group(db, creator, groups.GroupInfo(f"广州塔-{i + 1}", "企业", "440105", "阅江西路222号"))
    with pytest.raises(groups.GroupRefused) as refused:
        _group(db, creator, groups.GroupInfo("广州塔-6", "企业", "440105", "阅江西路222号"))
    assert "5个团体" in refused.value.message
    assert groups.created_count(db.session, creator.id) == 5


@pytest.mark.parametrize("info, field", [
    (groups.GroupInfo("", "企业", "440105", "地址"), "name"),
    (groups.GroupInfo("团" * 51, "企业", "440105", "地址"), "name"),
    (groups.GroupInfo("团体\u202e", "企业", "440105", "地址"), "name"),
    (groups.GroupInfo("团体", "公司", "440105", "地址"), "kind"),
    (groups.GroupInfo("团体", "企业", "4401", "地址"), "area_code"),
    (groups.GroupInfo("团体", "企业", "999999", "地址"), "area_code"),
    (groups.GroupInfo("团体", "企业", "440105", " "), "address"),
    (groups.GroupInfo("团体", "企业", "440105", "址" * 101), "address"),
])
def test_item2_each_wrong_field_has_its_message_and_nothing_is_created(db, info, field):
    assert field in groups.info_errors(info)
    creator = make_person(db, "李晓明")
    with pytest.raises(groups.GroupRefused):
        _group(db, creator, info)
    assert groups.created_count(db.session, creator.id) == 0


def test_item2_only_the_creator_edits_the_group(db):
    group = _group(db)
    admin = make_person(db, "王管理")
    member = _join(db, group, admin)
    group_members.set_admin(db.session, group, group.creator_id, member)
    with pytest.raises(groups.GroupRefused):
        groups.edit(db.session, group, admin.id, groups.GroupInfo("新名称", "学校", "440105", "新地址"), T0)
    groups.edit(db.session, group, group.creator_id, groups.GroupInfo(" 新名称 ", "学校", "440106", "新地址"), T0)
    assert (group.name, group.kind, group.area_code, group.address) == ("新名称", "学校", "440106", "新地址")


def test_item4_an_invitation_admits_at_23_59_and_not_at_24_01(db):
    group = _group(db)
    invite = group_members.invite(db.session, group, group.creator_id, T0)
    assert invite.expires_at == T0 + timedelta(hours=24)
    early = make_person(db, "张早")
    _, joined = group_members.join(db.session, invite.token, early.id, remark="", phone="13900000001",
                                   utc_now=T0 + timedelta(hours=23, minutes=59))
    assert joined
    late = make_person(db, "张晚")
    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.join(db.session, invite.token, late.id, remark="", phone="13900000002",
                           utc_now=T0 + timedelta(hours=24, minutes=1))
    assert refused.value.message == group_members.INVITE_EXPIRED
    assert group_members.membership(db.session, group.id, late.id) is None


@pytest.mark.parametrize("token", ["", "x", "a" * 65, "b" * 30])
def test_item4_an_unknown_invitation_is_refused(db, token):
    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.open_invite(db.session, token, T0)
    assert refused.value.message == group_members.INVITE_UNKNOWN


def test_item4_joining_records_the_consent_and_counts_the_person_once(db):
    group = _group(db)
    person = make_person(db, "张三")
    invite = group_members.invite(db.session, group, group.creator_id, T0)
    member, joined = group_members.join(db.session, invite.token, person.id, remark=" 张三爸爸 ",
                                        phone="13800000019", utc_now=T0)
    again, joined_again = group_members.join(db.session, invite.token, person.id, remark="", phone="13800000019",
                                             utc_now=T0)
    assert joined and not joined_again and again.id == member.id
    assert member.role == MEMBER and member.remark == "张三爸爸" and member.invited_by_id == group.creator_id
    assert group.people == 2
    consent = db.session.scalar(select(GroupConsent).where(GroupConsent.person_id == person.id))
    assert (consent.group_id, consent.group_name, consent.scope, consent.granted_at, consent.ended_at) == (
        group.id, group.name, list(SHARED), T0, None)
    assert any("健康码颜色" in item for item in consent.scope) and any("核酸检测结果" in item for item in consent.scope)
    assert groups.joined(db.session, person.id) == [group]


def test_item4_the_switch_off_refuses_joins_with_a_message(db):
    group = _group(db)
    groups.set_allow_join(db.session, group, False, T0)
    with pytest.raises(group_members.MemberRefused) as refused:
        _join(db, group, make_person(db, "张三"))
    assert refused.value.message == group_members.JOINS_OFF
    groups.set_allow_join(db.session, group, True, T0)
    assert _join(db, group, make_person(db, "李四")).role == MEMBER


def test_item4_the_501st_person_is_refused_with_the_faqs_advice(db):
    group = _group(db)
    invite = group_members.invite(db.session, group, group.creator_id, T0)
    for i in range(groups.MAX_PEOPLE - 1):
        person = make_person(db, "成员", register=False)
        group_members.join(db.session, invite.token, person.id, remark=str(i), phone="13900000000", utc_now=T0)
    people = db.session.scalar(select(func.count()).select_from(GroupMember).where(GroupMember.group_id == group.id))
    assert people == group.people == 500
    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.join(db.session, invite.token, make_person(db, "第五百零一").id, remark="",
                           phone="13900000000", utc_now=T0)
    assert "广州塔-2" in refused.value.message and "500" in refused.value.message


def test_item3_the_creator_sets_at_most_five_admins_and_revokes_them(db):
    group = _group(db)
    members = [_join(db, group, make_person(db, f"成员{i}")) for i in range(6)]
    for member in members[:5]:
        group_members.set_admin(db.session, group, group.creator_id, member)
    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.set_admin(db.session, group, group.creator_id, members[5])
    assert refused.value.message == group_members.TOO_MANY_ADMINS
    group_members.revoke_admin(db.session, group, group.creator_id, members[0])
    group_members.set_admin(db.session, group, group.creator_id, members[5])
    assert group_members.admin_count(db.session, group.id) == 5
    assert members[0].role == MEMBER and members[5].role == ADMIN


def test_item3_admins_cannot_set_admins(db):
    group = _group(db)
    admin, other = _join(db, group, make_person(db, "王管理")), _join(db, group, make_person(db, "张三"))
    group_members.set_admin(db.session, group, group.creator_id, admin)
    with pytest.raises(group_members.MemberRefused):
        group_members.set_admin(db.session, group, admin.person_id, other)
    with pytest.raises(group_members.MemberRefused):
        group_members.revoke_admin(db.session, group, admin.person_id, admin)
    assert other.role == MEMBER and admin.role == ADMIN


def test_item3_an_admin_is_revoked_before_deletion_and_admins_delete_members_only(db):
    group = _group(db)
    admin = _join(db, group, make_person(db, "王管理"))
    other_admin = _join(db, group, make_person(db, "赵管理"))
    member = _join(db, group, make_person(db, "张三"))
    for a in (admin, other_admin):
        group_members.set_admin(db.session, group, group.creator_id, a)
    creator = group_members.membership(db.session, group.id, group.creator_id)

    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.remove(db.session, group, group.creator_id, admin, T0)
    assert refused.value.message == group_members.REVOKE_FIRST
    for target in (other_admin, creator):
        with pytest.raises(group_members.MemberRefused) as refused:
            group_members.remove(db.session, group, admin.person_id, target, T0)
        assert refused.value.message in (group_members.ADMINS_STAY, group_members.NOT_THE_CREATOR)

    group_members.remove(db.session, group, admin.person_id, member, T0)
    group_members.revoke_admin(db.session, group, group.creator_id, admin)
    group_members.remove(db.session, group, group.creator_id, admin, T0)
    assert group.people == 2  # the creator and the other admin
    ended = db.session.scalars(select(GroupConsent).where(GroupConsent.ended_at.is_not(None))).all()
    assert {(c.person_id, c.ended_reason) for c in ended} == {
        (member.person_id, group_members.REMOVED), (admin.person_id, group_members.REMOVED)}


def test_item4_a_member_withdraws_consent_and_leaves_the_creator_cannot(db):
    group = _group(db)
    person = make_person(db, "张三")
    _join(db, group, person)
    group_members.withdraw(db.session, group, person.id, T0 + timedelta(hours=1))
    assert group_members.membership(db.session, group.id, person.id) is None and group.people == 1
    (consent,) = group_members.consents_of(db.session, person.id)
    assert consent.ended_at == T0 + timedelta(hours=1) and consent.ended_reason == group_members.WITHDRAWN
    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.withdraw(db.session, group, group.creator_id, T0)
    assert refused.value.message == group_members.CREATOR_STAYS


def test_item3_a_member_removed_twice_at_once_lowers_the_count_once(db):
    """Two admins tap 删除成员 on one member at once (or the member withdraws as an admin deletes them): the second
    finds the row gone under the group's lock, is refused, and the count stays right (the 500 cap reads it)."""
    group = _group(db)
    member = _join(db, group, make_person(db, "张三"))
    _join(db, group, make_person(db, "李四"))
    db.session.execute(delete(GroupMember).where(GroupMember.id == member.id))  # the twin request's delete
    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.remove(db.session, group, group.creator_id, member, T0)
    assert refused.value.message == group_members.MEMBER_GONE
    db.session.refresh(group)
    assert group.people == 3  # not lowered for a row another request deleted (that request lowers it)


def test_item3_an_admin_made_meanwhile_is_not_deleted_by_an_admin(db):
    """The rules are read under the lock: an admin's 删除成员 of someone the creator just made admin is refused."""
    group = _group(db)
    admin, target = _join(db, group, make_person(db, "王管理")), _join(db, group, make_person(db, "张三"))
    group_members.set_admin(db.session, group, group.creator_id, admin)
    stale = db.session.get(GroupMember, target.id)
    db.session.execute(update(GroupMember).where(GroupMember.id == target.id).values(role=ADMIN))  # the creator's tap
    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.remove(db.session, group, admin.person_id, stale, T0)
    assert refused.value.message == group_members.ADMINS_STAY


def test_item4_an_invitation_of_an_admin_revoked_since_admits_nobody(db):
    group = _group(db)
    admin = _join(db, group, make_person(db, "王管理"))
    group_members.set_admin(db.session, group, group.creator_id, admin)
    invite = group_members.invite(db.session, group, admin.person_id, T0)
    assert group_members.open_invite(db.session, invite.token, T0).id == invite.id
    group_members.revoke_admin(db.session, group, group.creator_id, admin)
    with pytest.raises(group_members.MemberRefused) as refused:
        group_members.open_invite(db.session, invite.token, T0)
    assert refused.value.message == group_members.INVITER_GONE

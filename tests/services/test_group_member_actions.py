"""group_members.refusal (SPEC G2; issue 13 item 3): what 成员信息 offers at its bottom agrees with what set_admin,
revoke_admin and remove do, for the creator and an admin acting on the creator, an admin and a member."""

from __future__ import annotations

import pytest

from tests.factories import make_group, make_group_member
from yks_web import clock
from yks_web.models.group import ADMIN, CREATOR, MEMBER, GroupMember
from yks_web.services import group_members
from yks_web.services.group_members import REMOVE, REVOKE_ADMIN, SET_ADMIN, MemberRefused

EXPECTED = {  # (actor, target role, action) → refusal
    ("creator", CREATOR, SET_ADMIN): "团体创建人无需设为管理员",
    ("creator", ADMIN, SET_ADMIN): group_members.ALREADY_ADMIN,
    ("creator", MEMBER, SET_ADMIN): None,
    ("creator", CREATOR, REVOKE_ADMIN): group_members.NOT_AN_ADMIN,
    ("creator", ADMIN, REVOKE_ADMIN): None,
    ("creator", MEMBER, REVOKE_ADMIN): group_members.NOT_AN_ADMIN,
    ("creator", CREATOR, REMOVE): group_members.NOT_THE_CREATOR,
    ("creator", ADMIN, REMOVE): group_members.REVOKE_FIRST,
    ("creator", MEMBER, REMOVE): None,
    ("admin", CREATOR, SET_ADMIN): group_members.CREATOR_ONLY,
    ("admin", ADMIN, SET_ADMIN): group_members.CREATOR_ONLY,
    ("admin", MEMBER, SET_ADMIN): group_members.CREATOR_ONLY,
    ("admin", ADMIN, REVOKE_ADMIN): group_members.CREATOR_ONLY,
    ("admin", MEMBER, REVOKE_ADMIN): group_members.CREATOR_ONLY,
    ("admin", CREATOR, REMOVE): group_members.NOT_THE_CREATOR,
    ("admin", ADMIN, REMOVE): group_members.ADMINS_STAY,
    ("admin", MEMBER, REMOVE): None,
}


@pytest.mark.parametrize("actor, role, action", sorted(EXPECTED))
def test_item3_refusal_says_what_the_action_itself_does(db, actor, role, action):
    """G2: 5 admins at most (counted by set_admin), an admin revoked before deletion, admins delete members only,
    nobody deletes the creator; only the creator sets or revokes admins. A refused action changes nothing; an
    allowed one changes the role or removes the row."""
    group = make_group(db, "李晓明")
    admin = make_group_member(db, group, "王管理", role="admin")
    other_admin = make_group_member(db, group, "陈管理", role="admin")
    member = make_group_member(db, group, "张三")
    creator = db.session.query(GroupMember).filter_by(group_id=group.id, role=CREATOR).one()
    target = {CREATOR: creator, ADMIN: other_admin, MEMBER: member}[role]
    actor_id = group.creator_id if actor == "creator" else admin.person_id
    refused = group_members.refusal(group, actor_id, target, action)
    assert refused == EXPECTED[(actor, role, action)]
    do = {SET_ADMIN: lambda: group_members.set_admin(db.session, group, actor_id, target),
          REVOKE_ADMIN: lambda: group_members.revoke_admin(db.session, group, actor_id, target),
          REMOVE: lambda: group_members.remove(db.session, group, actor_id, target, clock.utcnow())}[action]
    if refused in (group_members.CREATOR_ONLY, group_members.NOT_THE_CREATOR, group_members.REVOKE_FIRST,
                   group_members.ADMINS_STAY, "团体创建人无需设为管理员"):
        with pytest.raises(MemberRefused) as raised:
            do()
        assert raised.value.message == refused
        assert db.session.get(GroupMember, target.id).role == role
    elif refused is not None:  # nothing to do: the service leaves the role as it is
        do()
        assert db.session.get(GroupMember, target.id).role == role
    else:
        do()
        db.session.flush()
        after = db.session.get(GroupMember, target.id)
        assert (after is None) if action == REMOVE else after.role == (ADMIN if action == SET_ADMIN else MEMBER)

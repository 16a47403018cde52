"""Every destructive action has a confirm step that works without JavaScript (issue 9 item 3; SPEC S5, S9, W5, H3).

The button is a link (GET) to a screen asking 确定…？ with 【确定】 (a POST form carrying the CSRF token) and
【取消】 back; 成员管理's 【确认删除】 posts the chosen members and gets the same kind of screen. Neither the
link, nor that first POST, nor a POST without the CSRF token changes anything: only 【确定】 does. No
screen relies on hx-confirm (a JavaScript dialog), so the flow is the same with JavaScript on or off.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.blueprints.support import assert_fragment, assert_whole_page, count, location, text
from tests.factories import bind, make_admin, make_person, register_identity
from tests.family_helpers import make_family_link
from yks_web.models import Membership, ProxyBinding
from yks_web.models.health import FamilyMember
from yks_web.models.realname import RealNameRecord
from yks_web.services import teachers

TEMPLATES = Path(__file__).resolve().parents[2] / "yks_web" / "templates"


def test_item3_no_screen_relies_on_a_javascript_confirm_dialog():
    offenders = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html") if "hx-confirm" in p.read_text()]
    assert not offenders, offenders


def confirm_form(page: str, action: str) -> bool:
    """【确定】 is a real form posting to `action` with the CSRF token, beside a 【取消】 link."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S)
    return bool(form) and 'name="csrf_token"' in form.group(1) and ">确定</button>" in form.group(1) \
        and re.search(r'<a class="btn block" href="[^"]+">取消</a>', page) is not None


def active_memberships(db, person_id: int) -> int:
    db.session.expire_all()
    return count(db, Membership, Membership.person_id == person_id, Membership.active.is_(True))


def test_s9_退出组织_is_a_link_to_确定退出组织_and_only_确定_leaves(client, db, actions, scene):
    member = scene.members[0]
    actions.login(member)
    url = f"/declare/org/{scene.org_id}/leave"
    assert f'href="{url}"' in text(client.get("/declare/self"))  # a link, not a one-tap form
    page = text(client.get(url))
    assert "确定退出组织“高一(1)班”？" in page and confirm_form(page, url)
    assert 'href="/declare/self"' in page  # 【取消】 back to 本人填报
    assert active_memberships(db, member.id) == 1
    assert client.post(url).status_code == 400  # without the CSRF token
    assert active_memberships(db, member.id) == 1
    response = actions.post(url)
    assert response.status_code == 303 and location(response) == "/declare/self"
    assert active_memberships(db, member.id) == 0
    assert client.get(url).status_code == 404  # nothing left to leave


def test_s5_删除申报人_and_退出组织_for_a_declarant_are_confirmed_first(client, db, actions, scene):
    parent, child = make_person(db, "黄伟斌"), scene.members[0]
    binding = bind(db, scene.org, parent, child)
    db.session.commit()
    actions.login(parent)
    listing = text(client.get("/declare/declarants"))
    remove, leave = f"/declare/binding/{binding.id}/remove", f"/declare/binding/{binding.id}/leave"
    assert f'href="{remove}"' in listing and f'href="{leave}"' in listing

    page = text(client.get(remove))
    assert f"确定删除申报人{child.name}？" in page and "仍为组织成员" in page and confirm_form(page, remove)
    page = text(client.get(leave))
    assert f"确定为{child.name}退出组织“高一(1)班”？" in page and confirm_form(page, leave)
    assert client.post(remove).status_code == 400 and client.post(leave).status_code == 400
    db.session.expire_all()
    assert binding.active and active_memberships(db, child.id) == 1

    assert actions.post(leave).status_code == 303
    db.session.expire_all()
    assert not binding.active and active_memberships(db, child.id) == 0


def test_s5_删除申报人_only_unbinds_once_confirmed(client, db, actions, scene):
    parent, child = make_person(db, "黄伟斌"), scene.members[0]
    binding = bind(db, scene.org, parent, child)
    db.session.commit()
    actions.login(parent)
    client.get(f"/declare/binding/{binding.id}/remove")
    assert count(db, ProxyBinding, ProxyBinding.active.is_(True)) == 1
    assert actions.post(f"/declare/binding/{binding.id}/remove").status_code == 303
    assert count(db, ProxyBinding, ProxyBinding.active.is_(True)) == 0
    assert active_memberships(db, child.id) == 1


def test_p7_the_confirm_screens_are_404_for_anyone_else(client, db, actions, scene):
    parent, child = make_person(db, "黄伟斌"), scene.members[0]
    binding = bind(db, scene.org, parent, child)
    db.session.commit()
    actions.login(scene.members[1])
    for url in (f"/declare/binding/{binding.id}/remove", f"/declare/binding/{binding.id}/leave"):
        response = client.get(url)
        assert response.status_code == 404 and child.name not in text(response)
    actions.login(make_person(db, "路人"))
    assert client.get(f"/declare/org/{scene.org_id}/leave").status_code == 404


@pytest.mark.parametrize("consented", [True, False], ids=["删除", "撤回请求"])
def test_h3_family_删除_and_撤回请求_are_confirmed_first(client, db, actions, consented):
    owner, member = make_person(db, "陈丽"), make_person(db, "陈爷爷")
    link = make_family_link(db, owner, member, "父母", consented=consented)
    db.session.commit()
    actions.login(owner)
    url = f"/family/{link.id}/remove"
    assert f'href="{url}"' in text(client.get("/family/"))
    page = text(client.get(url))
    question = "确定删除家庭成员*爷爷？" if consented else "确定撤回对*爷爷的添加请求？"
    assert question in page and confirm_form(page, url) and "陈爷爷" not in page  # masked, as on the list
    assert client.post(url).status_code == 400
    db.session.expire_all()
    assert db.session.get(FamilyMember, link.id).active
    assert actions.post(url).status_code == 303
    db.session.expire_all()
    assert not db.session.get(FamilyMember, link.id).active


def test_w5_确认删除_shows_the_chosen_members_and_only_确定_deletes(client, db, actions, scene):
    gone, also, kept = scene.members
    actions.login(scene.collector)
    chosen = {"person": [str(gone.id), str(also.id)]}
    page = text(actions.post("/workbench/members", chosen))  # 【确认删除】
    assert "确定删除以下2名成员？" in page and gone.name in page and also.name in page and kept.name not in page
    assert confirm_form(page, "/workbench/members")
    assert re.findall(r'name="person" value="(\d+)"', page) == [str(gone.id), str(also.id)]
    assert 'name="confirmed" value="1"' in page
    assert active_memberships(db, gone.id) == active_memberships(db, also.id) == 1
    assert client.post("/workbench/members", data={**chosen, "confirmed": "1"}).status_code == 400  # no CSRF
    assert active_memberships(db, gone.id) == 1

    response = actions.post("/workbench/members", {**chosen, "confirmed": "1"})  # 【确定】
    assert response.status_code == 303 and location(response) == "/workbench/members"
    assert active_memberships(db, gone.id) == active_memberships(db, also.id) == 0
    assert active_memberships(db, kept.id) == 1


def test_p7_确定_with_someone_elses_member_deletes_nobody(client, db, actions, scene):
    outsider = make_person(db, "外人")
    db.session.commit()
    actions.login(scene.collector)
    data = {"person": [str(scene.members[0].id), str(outsider.id)], "confirmed": "1"}
    assert actions.post("/workbench/members", data).status_code == 404
    assert active_memberships(db, scene.members[0].id) == 1


def test_item3_the_operators_删除_of_a_real_name_record_is_confirmed_first(client, db, actions):
    record = register_identity(db, "登记人")
    operator = make_person(db, "孙运营", is_operator=True)
    db.session.commit()
    actions.login(operator)
    url = f"/operator/realname/{record.id}/remove"
    assert f'href="{url}"' in text(client.get("/operator/realname"))
    page = text(client.get(url))
    assert f"确定删除登记人（{record.id_masked}）的实名信息？" in page and confirm_form(page, url)
    assert client.post(url).status_code == 400
    assert count(db, RealNameRecord, RealNameRecord.id == record.id) == 1
    assert actions.post(url).status_code == 303
    assert db.session.scalar(select(RealNameRecord.id).where(RealNameRecord.id == record.id)) is None


def test_p3_the_confirm_screens_are_pages_and_fragments(client, db, actions, scene):
    """STYLE §9: each new screen (the confirm steps, 成员管理's confirm, 导入's result) as a page and as htmx's
    fragment."""
    parent, child = make_person(db, "黄伟斌"), scene.members[0]
    binding = bind(db, scene.org, parent, child)
    link = make_family_link(db, parent, make_person(db, "黄小宝"))
    db.session.commit()

    def both(url: str, title: str) -> None:
        page = client.get(url)
        assert page.status_code == 200 and f"<h1>{title}</h1>" in text(page)
        assert_whole_page(page)
        assert_fragment(client.get(url, headers={"HX-Request": "true"}))

    actions.login(parent)
    both(f"/declare/binding/{binding.id}/remove", "删除申报人")
    both(f"/declare/binding/{binding.id}/leave", "退出组织")
    both(f"/family/{link.id}/remove", "删除家庭成员")
    actions.login(child)
    both(f"/declare/org/{scene.org_id}/leave", "退出组织")
    actions.login(scene.collector)
    chosen = {"person": [str(child.id)]}
    assert_whole_page(actions.post("/workbench/members", chosen))
    assert_fragment(actions.post("/workbench/members", chosen, headers={"HX-Request": "true"}))
    admin = make_admin(db, scene.school)
    db.session.commit()
    actions.login(admin)
    data = (",".join(teachers.LABELS.values()) + "\nAnna Berg,高校,瑞典,欧洲,广东省内,否,无,,,,\n").encode()
    actions.post(f"/school/{scene.school.id}/teachers/import", {"file": (io.BytesIO(data), "t.csv")},
                 content_type="multipart/form-data")
    both(f"/school/{scene.school.id}/teachers/import", "导入外籍教师")

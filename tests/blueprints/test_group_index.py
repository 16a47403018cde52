"""团体码's entry (SPEC G1, G6; issue 13 item 1): 首页 → 热门服务 → 团体码, with the guide's 功能介绍 and 操作指引,
我管理的团体 (with the role and N/500), 我加入的团体, 创建团体 while under 5 groups, and 我的授权记录."""

from __future__ import annotations

from tests.blueprints.support import text
from tests.factories import make_group, make_group_member, make_person


def test_item1_home_lists_group_code_under_hot_services(client, db, actions):
    actions.login(make_person(db, "李晓明"))
    page = text(client.get("/"))
    assert "热门服务" in page and 'href="/group/"' in page and "团体码" in page


def test_item1_the_group_code_home_shows_the_guides_texts_and_my_groups(client, db, actions):
    creator = make_person(db, "李晓明")
    mine = make_group(db, creator, "数字广东广报14楼")
    other = make_group(db, make_person(db, "王创建"), "广州塔-1")
    make_group_member(db, other, creator)
    db.session.commit()
    actions.login(creator)
    page = text(client.get("/group/"))
    for words in ("功能介绍", "操作指引", "我管理的团体", "我加入的团体", "创建团体", "我的授权记录"):
        assert words in page, words
    assert f'href="/group/{mine.id}"' in page and "创建人 · 1/500人" in page
    assert f'href="/group/{other.id}/joined"' in page and "广州塔-1" in page


def test_item2_with_five_groups_the_home_says_so_instead_of_offering_a_sixth(client, db, actions):
    creator = make_person(db, "李晓明")
    for n in range(5):
        make_group(db, creator, f"广州塔-{n + 1}")
    db.session.commit()
    actions.login(creator)
    page = text(client.get("/group/"))
    assert 'href="/group/create"' not in page and "一个创建人只可创建5个团体" in page

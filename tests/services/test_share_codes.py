"""申报码 of every kind (SPEC O8): the first digit names the kind; every code entry says which kind was typed."""

from __future__ import annotations

import pytest

from yks_web.services import share_codes


@pytest.mark.parametrize("kind", ["institution", "place", "grid"])
def test_o8_generated_codes_are_ten_digits_starting_with_their_kind(kind):
    codes = {share_codes.generate(kind) for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 10 and c.isdigit() and share_codes.kind_of(c) == kind for c in codes)
    assert {c[0] for c in codes} == {share_codes.PREFIX[kind]}


def test_o8_full_width_digits_spaces_and_dashes_are_the_same_code():
    assert share_codes.normalise("３０００ ０００-０１２") == "3000000012"
    assert share_codes.well_formed(share_codes.normalise("３０００００００１２"))
    assert share_codes.wrong_kind_message(share_codes.normalise("３０００００００１２"), "place") is None


def test_o8_each_wrong_kind_is_named():
    assert "这是组织机构申报码" in share_codes.wrong_kind_message("1234567890", "place")
    assert "这是场所申报码" in share_codes.wrong_kind_message("3234567890", "institution")
    assert "这是网格申报码" in share_codes.wrong_kind_message("6234567890", "institution")
    assert share_codes.wrong_kind_message("1234567890", "grid").startswith("以1开头的不是用于网格采集")
    assert "以3开头" in share_codes.wrong_kind_message("9234567890", "place")


@pytest.mark.parametrize(("typed", "said"), [
    ("https://yks.example/invite/AbC123", "学校的邀请链接"),
    ("https://yks.example/p/RP6KKB456F", "葵花码"),
    ("https://yks.example/code/scan/" + "A" * 48, "这是粤康码"),
    ("12345", "请输入10位数字的组织机构申报码"),
    ("一二三", "请输入10位数字的组织机构申报码"),
])
def test_o8_what_else_people_paste_is_told_apart(typed, said):
    code = share_codes.normalise(typed)
    assert not share_codes.well_formed(code)
    assert said in share_codes.wrong_kind_message(code, "institution", typed)

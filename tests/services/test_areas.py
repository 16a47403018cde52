"""所在区域 (SPEC O0): Guangdong's divisions from the china-division package, down to 乡镇(街道)."""

from __future__ import annotations

from yks_web.services import areas


def test_o0_guangdong_has_21_cities_and_1757_towns_from_the_package():
    cities = areas.cities()
    assert len(cities) == 21
    assert {"广州市", "深圳市", "东莞市", "中山市", "云浮市"} <= {c.name for c in cities}
    districts = [d for c in cities for d in areas.children(c.code)]
    towns = [t for d in districts for t in areas.children(d.code)]
    assert len(towns) == 1757
    assert all(t.level == "town" and len(t.code) == 9 for t in towns)


def test_o0_a_town_is_named_from_province_to_street():
    assert areas.full_name("440106006") == "广东省广州市天河区石牌街道"
    assert [a.name for a in areas.chain("440106006")] == ["广州市", "天河区", "石牌街道"]
    assert areas.is_town("440106006") and not areas.is_town("440106") and not areas.is_town("4401")


def test_o0_dongguan_and_zhongshan_have_no_districts_and_are_not_named_twice():
    dongguan = areas.children("4419")
    assert [d.name for d in dongguan] == ["东莞市"]
    town = areas.children(dongguan[0].code)[0]
    assert areas.full_name(town.code) == "广东省东莞市" + town.name


def test_o0_within_follows_the_tree():
    assert areas.within("440106006", "4401") and areas.within("440106006", "440106")
    assert areas.within("440106006", "440106006")
    assert not areas.within("440106006", "4403") and not areas.within("440106006", "440105")
    assert not areas.within("", "4401") and not areas.within("440106006", "")


def test_o0_unknown_codes_are_nothing():
    for code in ("", None, "9999", "440199999", "天河区", "4401060061"):
        assert areas.get(code) is None
        assert areas.full_name(code) == ""
        assert areas.chain(code) == []
    assert areas.children("440199") == []

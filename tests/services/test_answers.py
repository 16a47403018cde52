"""Fever, 数据有变动 and the day's statistics (SPEC §4, W6, W9). Pure, no db."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import answers
from yks_web.models.declaration import HEALTH_STATUSES
from yks_web.services.answers import (
    STAT_LABELS,
    TEMPERATURE_BANDS,
    has_fever,
    is_changed,
    members_behind,
    totals,
)


def banded(band: str | None) -> dict:
    return answers(temperature=None, temperature_band=band)


# --- fever --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temperature", "fever"),
    [
        (Decimal("35.0"), False),
        (Decimal("36.5"), False),
        (Decimal("37.2"), False),
        (Decimal("37.3"), True),
        (Decimal("38.5"), True),
        (Decimal("42.0"), True),
        (37.3, True),
        (37.29, False),
        ("37.3", True),
    ],
)
def test_fever_by_temperature(temperature, fever):
    assert has_fever(answers(temperature=temperature)) is fever


@pytest.mark.parametrize(
    ("band", "fever"),
    [("37.3℃以下", False), ("37.3–38℃", True), ("38.1–39℃", True), ("39℃以上", True), (None, False)],
)
def test_fever_by_band(band, fever):
    assert has_fever(banded(band)) is fever


def test_every_band_above_the_first_is_fever():
    assert [has_fever(banded(b)) for b in TEMPERATURE_BANDS] == [False, True, True, True]


def test_measured_temperature_wins_over_band():
    assert not has_fever(answers(temperature=Decimal("36.5"), temperature_band="38.1–39℃"))


# --- W6: 数据有变动 ------------------------------------------------------------------------------


def test_w6_first_declaration_is_not_a_change():
    assert is_changed(None, answers()) is False


def test_w6_identical_is_not_a_change():
    assert is_changed(answers(), answers()) is False


def test_w6_daily_temperature_drift_is_not_a_change():
    assert is_changed(answers(temperature=Decimal("36.5")), answers(temperature=Decimal("36.6"))) is False
    assert is_changed(answers(temperature=Decimal("37.5")), answers(temperature=Decimal("38.5"))) is False


def test_w6_crossing_the_fever_line_is_a_change():
    assert is_changed(answers(temperature=Decimal("37.2")), answers(temperature=Decimal("37.3"))) is True
    assert is_changed(answers(temperature=Decimal("38.0")), answers(temperature=Decimal("36.8"))) is True


def test_w6_band_crossing_the_fever_line_is_a_change():
    assert is_changed(banded("37.3℃以下"), banded("37.3–38℃")) is True
    assert is_changed(banded("37.3–38℃"), banded("38.1–39℃")) is False


def test_w6_switching_from_temperature_to_band_is_not_a_change_by_itself():
    assert is_changed(answers(temperature=Decimal("36.5")), banded("37.3℃以下")) is False


@pytest.mark.parametrize(
    "change",
    [
        {"location_city": "深圳市"},
        {"location_province": "湖北省", "location_city": "武汉市"},
        {"has_symptoms": True},
        {"risk_travel": True},
        {"contact_case": True},
        {"left_to_city": True},
        {"left_to_abroad": True},
        {"returned_today": False},
        {"stay_on_campus": True},
        {"health_status": "居家观察"},
        {"nationality": "美国"},
    ],
)
def test_w6_a_changed_answer_is_a_change(change):
    assert is_changed(answers(), answers(**change)) is True


def test_w6_remarks_are_not_a_change():
    assert is_changed(answers(remarks=""), answers(remarks="今天去了图书馆")) is False


# --- W9: totals and the members behind them -----------------------------------------------------


@pytest.fixture
def day():
    """Members 1–8 joined; 7 and 8 did not declare; 99 declared but is no member."""
    members = [1, 2, 3, 4, 5, 6, 7, 8]
    latest = {
        1: answers(),
        2: answers(temperature=Decimal("38.0"), has_symptoms=True),
        3: banded("39℃以上") | {"health_status": "居家观察", "contact_case": True},
        4: answers(risk_travel=True, health_status="集中隔离"),
        5: answers(health_status="疑似病例", has_symptoms=True),
        6: answers(health_status="确诊病例"),
        99: answers(temperature=Decimal("39.0"), risk_travel=True),
    }
    return members, latest


def test_w9_members_behind_every_statistic(day):
    members, latest = day
    expected = {
        "declared": [1, 2, 3, 4, 5, 6],
        "not_declared": [7, 8],
        "fever": [2, 3],
        "symptoms": [2, 5],
        "risk_travel": [4],
        "contact": [3],
        "status_0": [1, 2],
        "status_1": [3],
        "status_2": [4],
        "status_3": [5],
        "status_4": [6],
    }
    assert set(expected) == set(STAT_LABELS)
    for key, people in expected.items():
        assert members_behind(key, members, latest) == people, key


def test_w9_totals_count_every_statistic(day):
    members, latest = day
    assert totals(members, latest) == {
        "declared": 6,
        "not_declared": 2,
        "fever": 2,
        "symptoms": 2,
        "risk_travel": 1,
        "contact": 1,
        "status_0": 2,
        "status_1": 1,
        "status_2": 1,
        "status_3": 1,
        "status_4": 1,
    }


def test_w9_status_labels_match_the_form():
    assert [STAT_LABELS[f"status_{i}"] for i in range(5)] == HEALTH_STATUSES
    assert HEALTH_STATUSES == ["健康", "居家观察", "集中隔离", "疑似病例", "确诊病例"]
    assert STAT_LABELS["declared"] == "已填报" and STAT_LABELS["not_declared"] == "未填报"


def test_w9_members_behind_keeps_member_order(day):
    _, latest = day
    assert members_behind("declared", [6, 2, 1, 7], latest) == [6, 2, 1]


def test_w9_totals_of_an_empty_day():
    result = totals([1, 2, 3], {})
    assert result["declared"] == 0 and result["not_declared"] == 3
    assert all(result[k] == 0 for k in result if k != "not_declared")
    assert totals([], {}) == dict.fromkeys(STAT_LABELS, 0)

"""What a declaration says: fever, change from last time, the totals (SPEC §4, W6, W9)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from yks_web.i18n import N_
from yks_web.models.declaration import HEALTH_STATUSES

FEVER_AT = Decimal("37.3")
TEMPERATURE_BANDS = [N_("37.3℃以下"), N_("37.3–38℃"), N_("38.1–39℃"), N_("39℃以上")]  # stored as this text
_FEVER_BANDS = set(TEMPERATURE_BANDS[1:])

# Compared for "数据有变动". The exact temperature moves a tenth every day, so it
# counts only when it crosses the fever line; a free-text remark is not a change
# of health situation.
_NOT_COMPARED = {"temperature", "temperature_band", "remarks"}


def has_fever(answers: Mapping) -> bool:
    temperature = answers.get("temperature")
    if temperature is not None:
        return Decimal(str(temperature)) >= FEVER_AT
    return answers.get("temperature_band") in _FEVER_BANDS


def is_changed(previous: Mapping | None, current: Mapping) -> bool:
    """数据有变动: the new declaration differs from the member's previous one."""
    if previous is None:
        return False
    if has_fever(previous) != has_fever(current):
        return True
    return any(previous.get(k) != current.get(k) for k in current if k not in _NOT_COMPARED)


# Report statistics: key → (label, predicate over the day's latest answers); a screen translates the label (| tr).
ANSWER_STATS: dict[str, tuple[str, callable]] = {
    "fever": (N_("发热"), has_fever),
    "symptoms": (N_("有发热、咳嗽等症状"), lambda a: bool(a.get("has_symptoms"))),
    "risk_travel": (N_("14日内有中高风险地区旅居史"), lambda a: bool(a.get("risk_travel"))),
    "contact": (N_("14日内接触过确诊或疑似病例"), lambda a: bool(a.get("contact_case"))),
    **{
        f"status_{i}": (label, lambda a, label=label: a.get("health_status") == label)
        for i, label in enumerate(HEALTH_STATUSES)
    },
}
STAT_LABELS = {"declared": N_("已填报"), "not_declared": N_("未填报"), **{k: v[0] for k, v in ANSWER_STATS.items()}}


def members_behind(key: str, member_ids: list[int], latest: Mapping[int, Mapping]) -> list[int]:
    """The members counted in statistic `key` (the clickable totals of W9)."""
    if key == "declared":
        return [m for m in member_ids if m in latest]
    if key == "not_declared":
        return [m for m in member_ids if m not in latest]
    _, predicate = ANSWER_STATS[key]
    return [m for m in member_ids if m in latest and predicate(latest[m])]


def totals(member_ids: list[int], latest: Mapping[int, Mapping]) -> dict[str, int]:
    """Every statistic of the day: member_ids are the joined members, latest their answers."""
    return {key: len(members_behind(key, member_ids, latest)) for key in STAT_LABELS}

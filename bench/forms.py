"""The declaration form as a browser posts it (like tests/factories.form_answers), and reading a page's tokens."""

from __future__ import annotations

import re

_INPUT = re.compile(r"<input\b[^>]*>")
_NAME = re.compile(r'\bname="([^"]*)"')
_VALUE = re.compile(r'\bvalue="([^"]*)"')


def hidden_inputs(html: str) -> dict[str, str]:
    """csrf_token and form_key (and any other hidden input) of a form page."""
    found = {}
    for tag in _INPUT.findall(html):
        if 'type="hidden"' not in tag:
            continue
        name, value = _NAME.search(tag), _VALUE.search(tag)
        if name and value:
            found[name.group(1)] = value.group(1)
    return found


def answers(temperature: str = "36.5") -> dict[str, str]:
    return {
        "nationality": "中国",
        "household_region": "广东省广州市",
        "stay_on_campus": "no",
        "returned": "yes",
        "location_province": "广东省",
        "location_city": "广州市",
        "temperature": temperature,
        "temperature_band": "",
        "has_symptoms": "no",
        "risk_travel": "no",
        "contact_case": "no",
        "left_to_city": "no",
        "left_to_abroad": "no",
        "returned_today": "yes",
        "health_status": "健康",
        "remarks": "",
        "day": "today",
    }

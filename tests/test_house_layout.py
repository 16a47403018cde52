"""The house rules that keep names from colliding as flows are added (issue 9 item 10): one parser of days, one
assert_fragment, identity entry through one macro, one share card, templates split into screens and parts as the
README's Layout says, and the 粤康码 flow named health_code while its URLs stay under /code/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "yks_web" / "templates"


def _sources(folder: str, pattern: str = "*.py") -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in (ROOT / folder).rglob(pattern)}


def _defined(folder: str, name: str) -> list[Path]:
    return [p for p, s in _sources(folder).items() if re.search(rf"^def {name}\(", s, re.M)]


def test_item10_parse_day_and_assert_fragment_exist_once():
    assert _defined("yks_web", "_?parse_day") == [ROOT / "yks_web" / "converters.py"]
    assert _defined("tests", "assert_fragment") == [ROOT / "tests" / "blueprints" / "support.py"]
    assert _defined("tests", "assert_whole_page") == [ROOT / "tests" / "blueprints" / "support.py"]


def test_item10_identity_fields_are_asked_through_one_macro():
    """姓名, 证件类型, 证件号码 are rendered by _macros.identity_fields only; every screen that asks them uses it."""
    users = []
    for path, source in _sources("yks_web/templates", "*.html").items():
        if path.name == "_macros.html":
            continue
        assert "form.id_type" not in source and "form.id_number" not in source, path
        if "identity_fields(" in source:
            users.append(path.relative_to(TEMPLATES).as_posix())
    assert sorted(users) == [
        "auth/_login.html", "declare/_proxy_identity.html", "family/_add.html", "grid/_collect_manual.html",
        "grid/_district.html",
        "grid/_handover.html",
        "operator/_districts.html", "operator/_health_find.html", "operator/_realname.html",
        "workbench/_add_member.html", "workbench/_proxy_new.html",
    ]


def test_item10_both_invite_cards_are_the_one_share_card():
    for card in ("workbench/_invite_card.html", "school/_invite_card.html"):
        source = (TEMPLATES / card).read_text(encoding="utf-8")
        assert "share_card(" in source and "<img" not in source and "data-copy" not in source, card


def test_item10_templates_are_screens_or_parts():
    """A <flow>/_<screen>.html has the root <main id="screen"> (screen_frame); a flow folder's other templates are
    parts used by that flow only; what several flows use lives at the top level."""
    sources = {p.relative_to(TEMPLATES).as_posix(): p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.html")}
    for name, source in sources.items():
        if "/" not in name:
            continue
        flow, base = name.split("/")
        assert base.startswith("_"), name
        if "screen_frame(" in source:
            continue
        users = {other.split("/")[0] for other, text in sources.items() if other != name and f'"{name}"' in text}
        assert users == {flow}, f"{name} is a part used by {users or 'nobody'}: move it to the top level"


def test_item10_the_health_code_flow_keeps_its_urls(app):
    rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    assert not any(endpoint.startswith("code.") for endpoint in rules)
    assert rules["health_code.show"] == "/code/"
    assert rules["health_code.scan"] == "/code/scan/<token>"
    assert (TEMPLATES / "health_code").is_dir() and not (TEMPLATES / "code").exists()

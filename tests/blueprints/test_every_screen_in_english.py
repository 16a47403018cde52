"""Every GET screen in English shows Chinese only where it is data (issue 15 item 2).

tests/blueprints/test_every_screen.py's world and users: each screen is opened by the user it is for, with the
language switch's cookie set to English. What Chinese is left on the page (the text between tags, and attribute
values a reader meets: alt, aria-label, placeholder, title) must be made of what the database holds as typed data
(a name, a school, a class, an address — masked or whole), areas' names (广东省广州市天河区…), or a language's own
name in the switch. A value the database holds that is also a message of the catalogue (a status, a code colour,
an ID type) is a constant, not data: shown untranslated, it fails here.
"""

from __future__ import annotations

import html
import re

from sqlalchemy import String, Text, select

from tests.blueprints.support import text
from tests.blueprints.test_every_screen import NOT_HTML, REDIRECTS, STEPS, get_rules, url_for_rule, user_for, world
from tests.test_i18n_catalogues import catalogue
from yks_web import clock
from yks_web.extensions import db as _db
from yks_web.i18n import LANGUAGES
from yks_web.i18n_setup import COOKIE
from yks_web.models import Person
from yks_web.services import areas, code_tokens

IDEOGRAPHS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\u3007]+")  # 〇: 学生〇, a test name
SHOWN_ATTRIBUTES = re.compile(r'\s(?:alt|aria-label|placeholder|title)="([^"]*)"')
# Chinese an English page shows on purpose, with the reason.
ON_PURPOSE = {
    "序号、姓名、联系电话、单位名称、职位": "表5-2's header row, which the operator's import reads as written",
}


def shown_text(body: str) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    attributes = " ".join(SHOWN_ATTRIBUTES.findall(body))
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + attributes)


def is_data(run: str, known: str) -> bool:
    """The run is made of pieces of what is known, side by side (an area's name followed by a typed address)."""
    reached = {0}
    for start in range(len(run)):
        if start in reached:
            reached.update(end for end in range(start + 1, len(run) + 1) if run[start:end] in known)
    return len(run) in reached


def data_held(session) -> list[str]:
    """Every text value of every table, except the catalogue's own messages (constants stored as they are)."""
    messages = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue("en") if m.id}
    held = []
    for table in _db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)
                   or isinstance(getattr(c.type, "impl", None), String | Text)]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            held.extend(v for v in row if isinstance(v, str) and IDEOGRAPHS.search(v) and v not in messages)
    return held


def test_item2_every_screen_in_english_shows_chinese_only_as_data(client, db, actions, scene, app):
    w = world(db, scene)
    code_token = code_tokens.issue(w.people["member"], clock.now(), app.config["SECRET_KEY"])
    by_endpoint = {rule.endpoint: rule for rule in get_rules(app)}
    ordered = [rule for name, rule in by_endpoint.items() if name not in STEPS] + [by_endpoint[n] for n in STEPS]
    pages, left = [], {}
    for rule in ordered:
        if rule.endpoint in REDIRECTS or rule.endpoint in NOT_HTML:
            continue
        user = user_for(rule)
        if user is None:
            actions.logout()
        else:
            actions.login(db.session.get(Person, w.people[user]))
        client.set_cookie(COOKIE, "en", domain="yks.test")
        if rule.endpoint in STEPS:
            STEPS[rule.endpoint](actions, w)
        page = client.get(url_for_rule(rule, w, code_token))
        assert page.status_code == 200, (rule.endpoint, page.status_code)
        pages.append((rule.endpoint, shown_text(text(page))))
    known = "\n".join([*data_held(db.session), *(areas.full_name(code) for code in areas._index()),
                       *(name for name, _tag in LANGUAGES.values()), *ON_PURPOSE])
    for endpoint, shown in pages:
        for run in IDEOGRAPHS.findall(shown):
            if not is_data(run, known):
                left.setdefault(endpoint, []).append(run)
    assert len(pages) >= 100, len(pages)  # every screen, not a handful
    assert not left, "Chinese that is not data on English screens:\n" + "\n".join(
        f"  {endpoint}: {' | '.join(runs[:8])}" for endpoint, runs in sorted(left.items()))


def test_the_check_finds_an_untranslated_screen_word():
    held = "\n".join(["学生〇", "高一(1)班"])
    runs = IDEOGRAPHS.findall(shown_text('<p>Declarant 生〇</p><p title="提交">高一(1)班 今日 学生〇高一</p>'))
    assert [run for run in runs if not is_data(run, held)] == ["今日", "提交"]

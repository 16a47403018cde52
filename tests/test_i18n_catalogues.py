"""Issue 15 items 2 and 3: every message the code marks has a translation in 繁體中文 and English, with the same
placeholders, and the compiled catalogues the app loads are those of the .po files.

The extraction is `make messages`' own (babel.cfg, keyword lazy_gettext), run in-process over the whole of yks_web:
a message marked anywhere, in a file listed in tests/test_i18n_marking.py or not yet, must be translated.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "yks_web" / "translations"
LOCALES = ("zh_Hant_HK", "en")
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}  # the Makefile's -k lazy_gettext
# %(name)s in gettext's strings; {name} in str.format's (the SMS texts of services/sms.py).
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{(\w+)\}")


def placeholders(text: str) -> list[str]:
    return sorted(next(name for name in match if name) for match in PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def used() -> dict:
    """msgid (a tuple for a plural) → where it is used, as `make messages` extracts them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict = {}
    for filename, line, message, _, _ in extract_from_dir(ROOT / "yks_web", method_map, options_map,
                                                        keywords=KEYWORDS, strip_comment_tags=True):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, f"yks_web/{filename}:{line}")
    return found


def catalogue(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def test_item3_the_extraction_finds_the_marked_screens(used):
    """Not blind: the login page's, the declaration form's and 出示粤康码's words are among what is found."""
    assert {"实名认证", "获取验证码", "提交当日数据", "出示粤康码", "二维码每分钟自动刷新，2分钟内有效"} <= set(used)
    assert ("%(num)d条代申报通知", "%(num)d条代申报通知") in used  # a plural, from a template's ngettext
    assert "本日是否返校" in used  # a form label, lazy_gettext at import time


@pytest.mark.parametrize("locale", LOCALES)
def test_item3_every_message_the_code_uses_is_translated(used, locale):
    messages = catalogue(locale)
    problems = []
    for key, where in sorted(used.items(), key=lambda item: item[1]):
        entry = messages.get(key)
        strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        shown = key if isinstance(key, str) else key[0]
        if entry is None:
            problems.append(f"{where}: missing: {shown}")
        elif entry.fuzzy or not strings or not all(strings):
            problems.append(f"{where}: {'fuzzy' if entry.fuzzy else 'empty'}: {shown}")
        else:
            wanted = placeholders(shown)
            for text in strings:
                if placeholders(text) != wanted:
                    problems.append(f"{where}: placeholders {placeholders(text)} ≠ {wanted}: {shown} → {text}")
    assert not problems, f"{locale}: run `make messages` and translate:\n" + "\n".join(problems)


_TAG = re.compile(r"<[^>]*>")
_MARKUP = ('"', "<", ">", "&")


def markup(text: str) -> tuple[list[str], dict[str, int]]:
    """The HTML a message carries: its tags in order, and its quotes, angle brackets and ampersands outside them."""
    bare = _TAG.sub("", text)
    return _TAG.findall(text), {sign: bare.count(sign) for sign in _MARKUP}


@pytest.mark.parametrize("locale", LOCALES)
def test_item2_a_translation_keeps_the_messages_html_and_adds_none(locale):
    """A template's _() is Markup: a msgstr's tags and quotes reach the page (an attribute too) unescaped, so a
    translation keeps the msgid's tags as they are and adds no ", <, > or & of its own (write “ ” or ’)."""
    problems = []
    for entry in catalogue(locale):
        if not entry.id:
            continue
        ids = (entry.id,) if isinstance(entry.id, str) else entry.id
        strings = (entry.string,) if isinstance(entry.string, str) else entry.string
        for text in strings:
            if text and markup(text) != markup(ids[0]):
                problems.append(f"{ids[0]} → {text}")
    assert not problems, f"{locale}: HTML differs from the msgid:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_item2_the_compiled_catalogue_is_the_po_file(locale):
    """The .mo the app loads says what the .po says (a stale one: run `make translations`)."""
    compiled = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"
    assert compiled.is_file(), f"{compiled} is missing: run `make translations`"
    with compiled.open("rb") as handle:
        loaded = read_mo(io.BytesIO(handle.read()))

    def translated(messages) -> dict:
        pairs = {}
        for message in messages:
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            if message.id and not message.fuzzy and all(strings):
                key = message.id if isinstance(message.id, str) else tuple(message.id)
                pairs[key] = tuple(strings)
        return pairs

    assert translated(loaded) == translated(catalogue(locale)), (
        f"{compiled} is older than its .po: run `make translations`")


def test_item2_placeholders_are_compared_by_name():
    assert placeholders("确定为%(name)s退出组织“%(organisation)s”？") == ["name", "organisation"]
    assert placeholders("Take %(organisation)s") != placeholders("确定为%(name)s退出组织“%(organisation)s”？")
    assert placeholders("您的验证码是{code}，5分钟内有效。") == ["code"]
    assert placeholders("%(num)d条代申报通知") == ["num"]

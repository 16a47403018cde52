"""Which language a request is answered in (issue 15), and Flask-Babel's wiring.

The account's choice (person.language), else the cookie set by the language switch before login, else the first
of the browser's Accept-Language that is one of ours, else 简体中文. Dates and times are Asia/Shanghai's
(yks_web/clock.py, SPEC P5), whatever the language.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from babel import Locale
from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import Babel, get_locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from yks_web import clock, js_messages
from yks_web.extensions import login_manager
from yks_web.i18n import DEFAULT_LOCALE, LANGUAGES, gettext, translations

COOKIE = "yks_lang"
COOKIE_AGE = timedelta(days=365)

babel = Babel()


def language_of(tag: str) -> str | None:
    """One Accept-Language tag as one of ours: English; Chinese in traditional script (zh-Hant, zh-TW, zh-HK,
    zh-MO, Cantonese) → zh_Hant_HK; any other Chinese (zh, zh-CN, zh-SG, zh-Hans-HK) → zh_Hans_CN; else None."""
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] == "yue":
        return "zh_Hant_HK"
    if parts[0] != "zh":
        return None
    subtags = set(parts[1:])
    if "hans" in subtags:
        return "zh_Hans_CN"
    if "hant" in subtags or subtags & {"tw", "hk", "mo"}:
        return "zh_Hant_HK"
    return "zh_Hans_CN"


def from_browser() -> str:
    """The best of the browser's languages (by quality, as sent) that we have; 简体中文 when none."""
    for tag, quality in request.accept_languages:
        choice = language_of(tag) if quality > 0 else None
        if choice:
            return choice
    return DEFAULT_LOCALE


# Each language's Locale, parsed once: Flask-Babel parses what the selector returns on every request, and
# Locale.parse of an identifier (split, its locale data looked for on disk) costs about 17 µs, 1% of a trivial
# logged-in GET (issue 14 item 4); given a Locale it returns it as it is. A Locale is not changed once made.
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def select_locale() -> Locale:
    return _LOCALES[_selected_language()]


def _selected_language() -> str:
    """The request's language, as a key of LANGUAGES: worked out once per request, by Flask-Babel through
    select_locale. Everything else reads the settled choice (current_language)."""
    if not has_request_context():  # a command, a test's service call: the source language
        return DEFAULT_LOCALE
    try:
        language = current_user.language if current_user.is_authenticated else None
    except SQLAlchemyError:  # the error screen of a failing database still needs a language
        language = None
    if language in LANGUAGES:
        return language
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return from_browser()


def current_language() -> str:
    locale = get_locale()
    return str(locale) if locale is not None and str(locale) in LANGUAGES else DEFAULT_LOCALE


def html_lang() -> str:
    """<html lang>: zh-Hans-CN, zh-Hant-HK or en."""
    return LANGUAGES[current_language()][1]


def remember(response: Response, language: str) -> None:
    """The switch's choice in a cookie, for the pages before login (and after logout)."""
    response.set_cookie(
        COOKIE, language, max_age=int(COOKIE_AGE.total_seconds()), httponly=True, samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )


def keep_choice(person) -> None:
    """At login: the cookie's language (chosen on the login page) becomes the account's, unless it has one."""
    chosen = request.cookies.get(COOKIE)
    if person.language is None and chosen in LANGUAGES:
        person.language = chosen


def translated(value):
    """`value | tr`: a constant marked with N_ (a code colour, an ID type, a health status), in the reader's
    language; anything not in the catalogue (typed data) comes back unchanged. Never `_()` on data in a
    template: that would mark it safe HTML."""
    return gettext(value) if isinstance(value, str) and value else value


@pass_context
def template_gettext(context, message: str, **variables):
    """jinja2.ext's newstyle gettext: the message as Markup when autoescaping, then `% variables` (escaped)."""
    found = translations().ugettext(message)
    if context.eval_ctx.autoescape:
        found = Markup(found)
    return found % variables if variables or "%" in found else found


@pass_context
def template_ngettext(context, singular: str, plural: str, num: int, **variables):
    variables.setdefault("num", num)
    found = translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        found = Markup(found)
    return found % variables


def stale_catalogues(root: Path) -> list[str]:
    """The catalogues whose compiled .mo is missing or older than the .po (built by `make translations`)."""
    return [
        str(po.relative_to(root)) for po in sorted(root.glob("translations/*/LC_MESSAGES/messages.po"))
        if not po.with_suffix(".mo").is_file() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", clock.TZ.key)  # Asia/Shanghai
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")  # yks_web/translations
    babel.init_app(app, locale_selector=select_locale)
    # A template's _(), gettext() and ngettext(): Jinja's newstyle ones (escaped placeholders), with the catalogue
    # found once per context and without the extension's two calls of indirection (issue 14).
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    stale = stale_catalogues(Path(app.root_path))
    if stale:  # the page still works, in 简体中文: say why the other two are not there
        app.logger.warning("run `make translations`: no compiled catalogue, or an old one, for %s", ", ".join(stale))
    login_manager.localize_callback = gettext  # "请先完成实名认证", flashed in the reader's language
    app.jinja_env.globals.update(html_lang=html_lang, current_language=current_language, LANGUAGES=LANGUAGES)
    app.jinja_env.globals.update(js_messages=js_messages.messages)  # the scripts' words (page.html)
    app.jinja_env.filters.update(tr=translated)

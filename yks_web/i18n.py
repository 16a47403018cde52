"""Marking text for translation (issue 15): the names every module and template uses, and the three languages.

The source language is 简体中文: a msgid is the Simplified Chinese text exactly as the guides write it, so with
the default locale nothing changes; yks_web/translations/ holds 繁體中文 (zh_Hant_HK) and English (en).
docs/I18N.md says how to mark a screen, extract, translate and compile.

In Python, never `_` (it is the throwaway name in unpacking here):
- gettext("…%(name)s…", name=…) where the text is made during a request (views, validators, a refusal raised
  while answering one); ngettext where a number is counted;
- lazy_gettext at import time (form labels, validator messages): translated when shown, never stored in the
  session or a database (a flash or an export takes gettext's str);
- N_("…") for a constant that is data as well as text (an ID type's label, a code colour): the constant stays the
  Simplified text, the extraction finds it, and the screen translates it where it shows it (the `tr` filter).
In templates: _("…"), ngettext, and `value | tr` for such a constant.
"""

from __future__ import annotations

import flask_babel
from babel.support import NullTranslations
from flask import g
from flask_babel.speaklater import LazyString

__all__ = ["LANGUAGES", "N_", "gettext", "lazy_gettext", "ngettext", "translations"]

# Each language's name in its own language (never translated), in the switch's order; the locale ids are
# Babel's (the catalogue folders), the tags those of <html lang>.
LANGUAGES: dict[str, tuple[str, str]] = {
    "zh_Hans_CN": ("简体中文", "zh-Hans-CN"),  # i18n: data (a language's own name)
    "zh_Hant_HK": ("繁體中文", "zh-Hant-HK"),  # i18n: data (a language's own name)
    "en": ("English", "en"),
}
DEFAULT_LOCALE = "zh_Hans_CN"


_SOURCE = NullTranslations()  # outside an app context: the msgids, 简体中文


def translations() -> NullTranslations:
    """The catalogue of this app context's language, found once (issue 14: a page calls gettext a hundred times).

    Flask-Babel's gettext looks the catalogue up through five calls each time (≈7 µs; 11 µs for a template's
    `_()`): here it is kept beside the locale Flask-Babel settled on for the context, and found again only when
    that locale object changes (flask_babel.force_locale swaps it, e.g. for a text sent in the reader's language).
    """
    try:
        context = g._flask_babel
    except RuntimeError:  # no app context
        return _SOURCE
    except AttributeError:  # the context's first message: Flask-Babel makes its namespace below
        context = None
    if context is not None:
        kept = getattr(context, "yks_translations", None)
        if kept is not None and kept[0] is getattr(context, "babel_locale", None):
            return kept[1]
    found = flask_babel.get_translations()
    context = g._flask_babel
    context.yks_translations = (context.babel_locale, found)
    return found


def gettext(string: str, **variables) -> str:
    """flask_babel.gettext's behaviour (the message, then `% variables` when any are given), found once."""
    found = translations().ugettext(string)
    return found % variables if variables else found


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """Translated when shown (form labels, validator messages made at import)."""
    return LazyString(gettext, string, **variables)


def N_(message: str) -> str:
    """Marks a constant for extraction; it is translated where it is shown (gettext, or `| tr` in a template)."""
    return message

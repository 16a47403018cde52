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

from flask_babel import gettext, lazy_gettext, ngettext

__all__ = ["LANGUAGES", "N_", "gettext", "lazy_gettext", "ngettext"]

# Each language's name in its own language (never translated), in the switch's order; the locale ids are
# Babel's (the catalogue folders), the tags those of <html lang>.
LANGUAGES: dict[str, tuple[str, str]] = {
    "zh_Hans_CN": ("简体中文", "zh-Hans-CN"),  # i18n: data (a language's own name)
    "zh_Hant_HK": ("繁體中文", "zh-Hant-HK"),  # i18n: data (a language's own name)
    "en": ("English", "en"),
}
DEFAULT_LOCALE = "zh_Hans_CN"


def N_(message: str) -> str:
    """Marks a constant for extraction; it is translated where it is shown (gettext, or `| tr` in a template)."""
    return message

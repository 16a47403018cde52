"""What every form shares: Chinese messages, trimmed text, counts typed as people write them."""

from __future__ import annotations

import re
import unicodedata

from flask_wtf import FlaskForm
from wtforms import IntegerField

from yks_web.i18n import gettext
from yks_web.i18n_setup import current_language

# WTForms' own messages ("不是有效的选择。") in the reader's language (issue 15): its zh, zh_TW and English.
WTFORMS_LOCALES = {"zh_Hans_CN": ("zh",), "zh_Hant_HK": ("zh_TW",), "en": ("en",)}


class Form(FlaskForm):
    class Meta:
        locales = ("zh",)

        def get_translations(self, form):
            self.locales = WTFORMS_LOCALES.get(current_language(), ("zh",))  # this form's own meta object
            return super().get_translations(form)


def strip(value):
    return value.strip() if isinstance(value, str) else value


class CountField(IntegerField):
    """A whole number of people: "50", "５０" or the guide's own "50人" all mean 50."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = unicodedata.normalize("NFKC", valuelist[0] or "").strip()
        raw = re.sub(r"\s*人$", "", raw)  # i18n: data (what is typed, not shown)
        if raw == "":
            self.data = None
            return
        if not re.fullmatch(r"-?[0-9]{1,9}", raw):
            self.data = None
            raise ValueError(gettext("请填写整数，如：50"))
        self.data = int(raw)

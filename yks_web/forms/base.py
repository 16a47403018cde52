"""What every form shares: Chinese messages, trimmed text, counts typed as people write them."""

from __future__ import annotations

import re
import unicodedata

from flask_wtf import FlaskForm
from wtforms import IntegerField


class Form(FlaskForm):
    class Meta:
        locales = ["zh"]  # WTForms' own messages ("不是有效的选择。") instead of English


def strip(value):
    return value.strip() if isinstance(value, str) else value


class CountField(IntegerField):
    """A whole number of people: "50", "５０" or the guide's own "50人" all mean 50."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = unicodedata.normalize("NFKC", valuelist[0] or "").strip()
        raw = re.sub(r"\s*人$", "", raw)
        if raw == "":
            self.data = None
            return
        if not re.fullmatch(r"-?[0-9]{1,9}", raw):
            self.data = None
            raise ValueError("请填写整数，如：50")
        self.data = int(raw)

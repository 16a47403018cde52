"""Operator form: create a school (SPEC W1)."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from yks_web.forms.base import Form, strip
from yks_web.models.school import SCHOOL_TYPES


class SchoolForm(Form):
    name = StringField("学校名称", filters=[strip], validators=[
        DataRequired("请填写学校名称"), Length(max=100, message="学校名称不能超过100个字")])
    school_type = SelectField("学校类型", choices=[("", "请选择")] + [(t, t) for t in SCHOOL_TYPES],
                              validators=[DataRequired("请选择学校类型")])
    region = StringField("地区", filters=[strip], validators=[
        DataRequired("请填写地区"), Length(max=100, message="地区不能超过100个字")])

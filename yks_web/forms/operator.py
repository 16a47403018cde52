"""Operator forms: create a school (SPEC W1); a real-name record (SPEC I6)."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from yks_web.forms.base import Form, strip
from yks_web.forms.identity import IdentityForm
from yks_web.i18n import lazy_gettext
from yks_web.models.people import ID_TYPES
from yks_web.models.school import SCHOOL_TYPES
from yks_web.services.identity import normalize_id
from yks_web.services.sms import normalize_phone


class SchoolForm(Form):
    name = StringField(lazy_gettext("学校名称"), filters=[strip], validators=[
        DataRequired(lazy_gettext("请填写学校名称")), Length(max=100, message=lazy_gettext("学校名称不能超过100个字"))])
    school_type = SelectField(
        lazy_gettext("学校类型"), choices=[("", lazy_gettext("请选择"))] + [(t, lazy_gettext(t)) for t in SCHOOL_TYPES],
        validators=[DataRequired(lazy_gettext("请选择学校类型"))],
    )
    region = StringField(lazy_gettext("地区"), filters=[strip], validators=[
        DataRequired(lazy_gettext("请填写地区")), Length(max=100, message=lazy_gettext("地区不能超过100个字"))])


def _id_number(value):
    return normalize_id(value) if value else value


_ID_CHOICES = [(kind, lazy_gettext(label)) for kind, label in ID_TYPES.items()]


class RealNameForm(IdentityForm):
    """实名信息管理: one record of the built-in real-name source (SPEC I6, issue 8 item 1).

    The service (services/realname_table.set_record) checks the optional parts and says which field is wrong.
    """

    phone = StringField(lazy_gettext("实名登记手机号（可选）"), filters=[lambda v: normalize_phone(v) if v else v])
    household = StringField(lazy_gettext("户籍户号（省内户籍，可选）"), filters=[strip])
    birth_date = DateField(lazy_gettext("出生日期（非身份证可选）"), validators=[Optional()])
    father_id_type = SelectField(lazy_gettext("父亲证件类型"), choices=_ID_CHOICES, default="id_card")
    father_id_number = StringField(lazy_gettext("父亲证件号码（出生医学证明，可选）"), filters=[_id_number])
    mother_id_type = SelectField(lazy_gettext("母亲证件类型"), choices=_ID_CHOICES, default="id_card")
    mother_id_number = StringField(lazy_gettext("母亲证件号码（出生医学证明，可选）"), filters=[_id_number])

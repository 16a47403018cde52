"""Collector forms: 创建我的组织, 修改组织信息, 提交本日数据 (SPEC W2, W5, W9)."""

from __future__ import annotations

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from yks_web.forms.base import CountField, Form, strip
from yks_web.i18n import lazy_gettext
from yks_web.models.school import SCHOOL_TYPES, TARGETS

MAX_ORG_SIZE = 5000



class OrganisationInfoForm(Form):
    """组织名称 + 组织人数, the part a collector may change later (W5)."""

    name = StringField(
        lazy_gettext("组织名称"), filters=[strip],
        validators=[DataRequired(lazy_gettext("请填写组织名称")),
                    Length(max=50, message=lazy_gettext("组织名称不能超过50个字"))],
    )
    size = CountField(
        lazy_gettext("组织人数"),
        validators=[
            InputRequired(lazy_gettext("请填写组织人数")),
            NumberRange(min=1, max=MAX_ORG_SIZE, message=lazy_gettext("组织人数应为1–%(max)d人", max=MAX_ORG_SIZE)),
        ],
    )


class CreateOrganisationForm(OrganisationInfoForm):
    """第二步：创建我的组织 (W2)."""

    target = RadioField(
        lazy_gettext("向你申报健康数据的人是"),
        choices=[(key, lazy_gettext(label)) for key, label in TARGETS.items()],
        validators=[InputRequired(lazy_gettext("请选择采集对象"))],
    )
    school_type = SelectField(
        lazy_gettext("学校类型"),
        choices=[("", lazy_gettext("请选择"))] + [(t, lazy_gettext(t)) for t in SCHOOL_TYPES],
        validators=[DataRequired(lazy_gettext("请选择学校类型"))],
    )
    major = StringField(
        lazy_gettext("专业名称"), filters=[strip],
        validators=[Length(max=50, message=lazy_gettext("专业名称不能超过50个字"))],
    )


def _count(label) -> CountField:
    """`label` is a lazy_gettext; the messages name it in the reader's language."""
    return CountField(
        label,
        validators=[
            InputRequired(lazy_gettext("请填写%(label)s", label=label)),
            NumberRange(min=0, max=MAX_ORG_SIZE,
                        message=lazy_gettext("%(label)s应为0–%(max)d", label=label, max=MAX_ORG_SIZE)),
        ],
    )


class SupplementForm(Form):
    """提交本日数据: what members cannot give (W9, SPEC §4)."""

    in_school_count = _count(lazy_gettext("当日在校人数"))
    leave_count = _count(lazy_gettext("请假人数"))
    sick_absence_count = _count(lazy_gettext("因病缺勤人数"))
    remarks = TextAreaField(
        lazy_gettext("备注"), filters=[strip],
        validators=[Length(max=500, message=lazy_gettext("备注不能超过500个字"))],
    )

"""粤康码 forms: 添加家庭成员 (H3) and the operator's health data (H2)."""

from __future__ import annotations

from datetime import date

from wtforms import DateField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from yks_web import clock
from yks_web.forms.base import Form, strip
from yks_web.forms.identity import IdentityForm
from yks_web.i18n import gettext, lazy_gettext
from yks_web.models.health import COLOURS, RELATIONS, TEST_RESULTS


class FamilyMemberForm(IdentityForm):
    relation = SelectField(
        lazy_gettext("与本人关系"), choices=[("", lazy_gettext("请选择"))] + [(r, lazy_gettext(r)) for r in RELATIONS],
        validators=[DataRequired(lazy_gettext("请选择与本人关系"))],
    )


class FindPersonForm(IdentityForm):
    """The operator looks a person up by 证件 (the name must match, I1a)."""


class StatusForm(Form):
    colour = SelectField(lazy_gettext("健康码颜色"), choices=[(k, lazy_gettext(v)) for k, v in COLOURS.items()])
    reason = StringField(
        lazy_gettext("原因"), filters=[strip], validators=[Length(max=100, message=lazy_gettext("原因不能超过100个字"))]
    )
    decided_city = StringField(
        lazy_gettext("判定城市"), filters=[strip],
        validators=[Length(max=50, message=lazy_gettext("判定城市不能超过50个字"))],
    )
    guidance = TextAreaField(
        lazy_gettext("解除指引"), filters=[strip],
        validators=[Length(max=1000, message=lazy_gettext("解除指引不能超过1000个字"))],
    )


EARLIEST = date(2019, 12, 1)  # nothing of COVID-19 is older


def _within_epidemic(day: date | None, label: str) -> None:
    """`label`: the field's name, already in the reader's language."""
    if day is not None and not EARLIEST <= day <= clock.today():
        raise ValidationError(gettext("%(label)s应在2019年12月1日至今天之间", label=label))


class NucleicAcidForm(Form):
    sampled_at = DateTimeLocalField(
        lazy_gettext("采样时间"), format="%Y-%m-%dT%H:%M", validators=[InputRequired(lazy_gettext("请填写采样时间"))]
    )
    result = SelectField(lazy_gettext("检测结果"), choices=[(r, lazy_gettext(r)) for r in TEST_RESULTS])
    def validate_sampled_at(self, field) -> None:
        _within_epidemic(field.data.date() if field.data else None, gettext("采样时间"))

    institution = StringField(
        lazy_gettext("检测机构"), filters=[strip],
        validators=[Length(max=100, message=lazy_gettext("检测机构不能超过100个字"))],
    )


class VaccinationForm(Form):
    dose = IntegerField(
        lazy_gettext("剂次"),
        validators=[InputRequired(lazy_gettext("请填写剂次")), NumberRange(1, 5, lazy_gettext("剂次应为1–5"))],
    )
    vaccinated_on = DateField(lazy_gettext("接种日期"), validators=[InputRequired(lazy_gettext("请填写接种日期"))])
    manufacturer = StringField(
        lazy_gettext("疫苗厂家"), filters=[strip],
        validators=[Length(max=50, message=lazy_gettext("疫苗厂家不能超过50个字"))],
    )
    site = StringField(
        lazy_gettext("接种单位"), filters=[strip],
        validators=[Length(max=100, message=lazy_gettext("接种单位不能超过100个字"))],
    )

    def validate_vaccinated_on(self, field) -> None:
        _within_epidemic(field.data, gettext("接种日期"))


class EntryForm(Form):
    arrived_on = DateField(lazy_gettext("入粤日期"), validators=[InputRequired(lazy_gettext("请填写入粤日期"))])
    from_region = StringField(
        lazy_gettext("出发地"), filters=[strip],
        validators=[DataRequired(lazy_gettext("请填写出发地")),
                    Length(max=50, message=lazy_gettext("出发地不能超过50个字"))],
    )
    destination = StringField(
        lazy_gettext("目的地"), filters=[strip],
        validators=[Optional(), Length(max=100, message=lazy_gettext("目的地不能超过100个字"))],
    )
    transport = StringField(
        lazy_gettext("交通方式"), filters=[strip],
        validators=[Optional(), Length(max=50, message=lazy_gettext("交通方式不能超过50个字"))],
    )

    def validate_arrived_on(self, field) -> None:
        _within_epidemic(field.data, gettext("入粤日期"))

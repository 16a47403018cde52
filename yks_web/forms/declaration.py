"""The declaration form of SPEC §4 (基本信息 + 个人情况)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from yks_web.forms.base import Form, strip
from yks_web.i18n import gettext, lazy_gettext
from yks_web.models.declaration import HEALTH_STATUSES
from yks_web.services.answers import TEMPERATURE_BANDS

YES_NO = [("yes", lazy_gettext("是")), ("no", lazy_gettext("否"))]
BOOL_FIELDS = (
    "stay_on_campus",
    "returned",
    "has_symptoms",
    "risk_travel",
    "contact_case",
    "left_to_city",
    "left_to_abroad",
    "returned_today",
)
TEXT_FIELDS = ("nationality", "household_region", "location_province", "location_city", "remarks")
MIN_T, MAX_T = Decimal("35.0"), Decimal("42.0")



def _yes_no(label) -> RadioField:
    return RadioField(label, choices=YES_NO, validators=[InputRequired(lazy_gettext("请选择是或否"))])


def _text(label, limit: int, required: bool = True) -> StringField:
    """`label` is a lazy_gettext; the messages name it in the reader's language. Length fills in %(max)d."""
    checks = [Length(max=limit, message=lazy_gettext("不能超过%(max)d个字"))]
    if required:
        checks.insert(0, DataRequired(lazy_gettext("请填写%(label)s", label=label)))
    return StringField(label, filters=[strip], validators=checks)


class TemperatureFields(Form):
    """当前体温 or 体温区间: one of the two, 35.0–42.0℃ with one decimal."""

    temperature = StringField(lazy_gettext("当前体温（℃）"), filters=[strip])
    temperature_band = SelectField(
        lazy_gettext("或选择体温区间"),
        choices=[("", lazy_gettext("请选择"))] + [(b, lazy_gettext(b)) for b in TEMPERATURE_BANDS], default="",
    )

    def validate_temperature(self, field) -> None:
        raw = field.data or ""
        if not raw:
            if not self.temperature_band.data:
                raise ValidationError(gettext("请填写当前体温，或选择体温区间"))
            return
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(gettext("体温请填写数字，如 36.5")) from None
        if not value.is_finite() or value.normalize().as_tuple().exponent < -1:
            raise ValidationError(gettext("体温请保留一位小数，如 36.5"))
        if not MIN_T <= value <= MAX_T:
            raise ValidationError(gettext("体温应在35.0–42.0℃之间，请核对"))

    def validate_temperature_band(self, field) -> None:
        if field.data and field.data not in TEMPERATURE_BANDS:
            raise ValidationError(gettext("请选择体温区间"))

    def temperature_answers(self) -> dict:
        temperature = self.temperature.data
        return {
            "temperature": Decimal(temperature) if temperature else None,
            "temperature_band": None if temperature else self.temperature_band.data,
        }


class DeclarationForm(TemperatureFields):
    class Meta:
        # The global CSRFProtect checks the token before the view; the form's own field would only make and sign
        # a token for nothing on every POST (issue 14 item 2). The template renders csrf_token() itself.
        csrf = False

    form_key = HiddenField()
    nationality = _text(lazy_gettext("国籍"), 50)
    household_region = _text(lazy_gettext("户籍所在省市"), 50)
    stay_on_campus = _yes_no(lazy_gettext("假期是否留校"))
    returned = _yes_no(lazy_gettext("是否已返校"))
    location_province = _text(lazy_gettext("当前所在省份"), 20)
    location_city = _text(lazy_gettext("当前所在城市"), 20)
    has_symptoms = _yes_no(lazy_gettext("本日是否有发热、咳嗽等症状"))
    risk_travel = _yes_no(lazy_gettext("14日内是否有中高风险地区旅居史"))
    contact_case = _yes_no(lazy_gettext("14日内是否接触过确诊或疑似病例"))
    left_to_city = _yes_no(lazy_gettext("本日是否离校前往省内其他地市"))
    left_to_abroad = _yes_no(lazy_gettext("本日是否离校前往其他国家或地区"))
    returned_today = _yes_no(lazy_gettext("本日是否返校"))
    health_status = RadioField(
        lazy_gettext("个人健康状态"),
        choices=[(s, lazy_gettext(s)) for s in HEALTH_STATUSES],
        validators=[InputRequired(lazy_gettext("请选择个人健康状态"))],
    )
    remarks = TextAreaField(
        lazy_gettext("备注（选填）"), filters=[strip],
        validators=[Length(max=200, message=lazy_gettext("备注不能超过200个字"))],
    )

    def to_answers(self) -> dict:
        answers = {name: getattr(self, name).data or "" for name in TEXT_FIELDS}
        answers.update({name: getattr(self, name).data == "yes" for name in BOOL_FIELDS})
        answers.update(self.temperature_answers())
        answers["health_status"] = self.health_status.data
        return answers

    def fill_from(self, answers: dict) -> None:
        """Start from the member's previous answers (a new round, guide S 二.1)."""
        for name in TEXT_FIELDS:
            if name != "remarks":
                getattr(self, name).data = answers.get(name) or ""
        for name in BOOL_FIELDS:
            value = answers.get(name)
            getattr(self, name).data = None if value is None else ("yes" if value else "no")
        self.health_status.data = answers.get("health_status")


class PersonalDeclarationForm(TemperatureFields):
    """健康申报 of 粤康码 (H4)."""

    form_key = HiddenField()
    location_province = _text(lazy_gettext("当前所在省份"), 20)
    location_city = _text(lazy_gettext("当前所在城市"), 20)
    has_symptoms = _yes_no(lazy_gettext("是否有发热、咳嗽等症状"))
    risk_travel = _yes_no(lazy_gettext("14日内是否有中高风险地区旅居史"))
    contact_case = _yes_no(lazy_gettext("14日内是否接触过确诊或疑似病例"))
    remarks = TextAreaField(
        lazy_gettext("备注（选填）"), filters=[strip],
        validators=[Length(max=200, message=lazy_gettext("备注不能超过200个字"))],
    )

    def to_answers(self) -> dict:
        return {
            "location_province": self.location_province.data,
            "location_city": self.location_city.data,
            "has_symptoms": self.has_symptoms.data == "yes",
            "risk_travel": self.risk_travel.data == "yes",
            "contact_case": self.contact_case.data == "yes",
            "remarks": self.remarks.data or "",
            **self.temperature_answers(),
        }

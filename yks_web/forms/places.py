"""公共场所管理员 forms: 创建公共场所 and 修改信息 (SPEC O0, O2; FAQ (二) 2, 6)."""

from __future__ import annotations

from wtforms import RadioField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from yks_web.forms.areas import AreaFields
from yks_web.forms.base import Form, strip
from yks_web.i18n import lazy_gettext
from yks_web.models.place import PLACE_KINDS
from yks_web.services import place_checks, sms
from yks_web.services.places import PlaceInfo

KIND_REQUIRED = lazy_gettext("请选择场所类型")


def _phone(value):
    return sms.normalize_phone(value) if isinstance(value, str) else value


class PlaceForm(AreaFields, Form):
    """所在区域 (to 乡镇街道), 详细地址, 场所类型, 场所名称, 手机号: the same fields to create and to edit."""

    address = StringField(
        lazy_gettext("详细地址"), filters=[strip],
        validators=[DataRequired(lazy_gettext("请填写详细地址")),
                    Length(max=100, message=lazy_gettext("详细地址不能超过100个字"))],
    )
    kind = SelectField(
        lazy_gettext("场所类型"), choices=[("", KIND_REQUIRED)] + [(k, lazy_gettext(k)) for k in PLACE_KINDS],
        validate_choice=False,
        validators=[DataRequired(KIND_REQUIRED), AnyOf(PLACE_KINDS, message=KIND_REQUIRED)],
    )
    name = StringField(
        lazy_gettext("场所名称"), filters=[strip],
        validators=[DataRequired(lazy_gettext("请填写场所名称")),
                    Length(max=50, message=lazy_gettext("场所名称不能超过50个字"))],
    )
    phone = StringField(lazy_gettext("手机号"), filters=[_phone],
                        render_kw={"inputmode": "numeric", "autocomplete": "tel"})

    def validate_phone(self, field) -> None:
        message = sms.validate_phone(field.data or "")
        if message:
            raise ValidationError(message)

    def info(self) -> PlaceInfo:
        return PlaceInfo(area_code=self.area_code, address=self.address.data, kind=self.kind.data,
                         name=self.name.data, phone=self.phone.data)

    def fill(self, place) -> None:
        """修改信息 opens with the place as it is."""
        self.set_area(place.area_code)
        self.address.data, self.kind.data, self.name.data, self.phone.data = (
            place.address, place.kind, place.name, place.phone)


class BindForm(Form):
    """绑定公共场所 (检测员): the 场所申报码 the admin shared."""

    code = StringField(lazy_gettext("场所申报码"), filters=[strip],
                       validators=[DataRequired(lazy_gettext("请输入场所申报码"))],
                       render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20})


class ResultForm(Form):
    """体温检测与登记: the measured result."""

    result = RadioField(lazy_gettext("体温检测结果"), choices=[(r, lazy_gettext(r)) for r in place_checks.RESULTS],
                        validators=[InputRequired(lazy_gettext("请选择体温检测结果：正常或发热"))])

"""团体码 forms (SPEC G1, G3; issue 13 items 2, 4): 创建团体 (手机号 + 手机验证码 and 团体信息), 修改团体信息.

团体地址 is the area picker (forms.areas) to 区（县） or 乡镇（街道）, plus 详细地址. The rules on the values are
services/groups.info_errors: the form shows each of them beside its field.
"""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import ValidationError

from yks_web.forms.areas import AreaFields
from yks_web.forms.base import Form, strip
from yks_web.i18n import N_, gettext, lazy_gettext
from yks_web.models.group import GROUP_TYPES
from yks_web.services import areas, groups, sms

SEND_CODE = "send_code"  # the no-JS 【获取验证码】: a submit button of the same form
CODE_REQUIRED = N_("请输入手机验证码")


def _phone(value):
    return sms.normalize_phone(value) if isinstance(value, str) else value


class GroupInfoForm(AreaFields, Form):
    """团体信息: 团体名称, 团体类型, 团体地址 (区域 + 详细地址): the same fields to create and to edit."""

    name = StringField(lazy_gettext("团体名称"), filters=[strip], render_kw={"maxlength": groups.NAME_MAX})
    kind = SelectField(lazy_gettext("团体类型"), validate_choice=False, default="",
                       choices=[("", lazy_gettext("请选择"))] + [(k, lazy_gettext(k)) for k in GROUP_TYPES])
    address = StringField(lazy_gettext("详细地址"), filters=[strip], render_kw={"maxlength": groups.ADDRESS_MAX})

    @property
    def area_code(self) -> str:
        """团体地址's area: the town when chosen, else the district (a group may sit at 区（县） level)."""
        return self.town.data or self.district.data or ""

    def info(self) -> groups.GroupInfo:
        return groups.GroupInfo(self.name.data or "", self.kind.data or "", self.area_code, self.address.data or "")

    def validate(self, extra_validators=None) -> bool:
        """WTForms' checks, then services/groups.info_errors, each message beside its own field."""
        valid = super().validate(extra_validators)
        fields = {"name": self.name, "kind": self.kind, "area_code": self.town, "address": self.address}
        for key, message in groups.info_errors(self.info()).items():
            if not fields[key].errors:
                fields[key].errors = [*fields[key].errors, message]
            valid = False
        return valid

    def validate_town(self, field) -> None:
        """A district without a town is fine here (info_errors checks the area); a town must be the district's."""
        if field.data:
            area = areas.get(field.data)
            if area is None or area.parent != self.district.data:
                raise ValidationError(gettext(groups.AREA_LEVEL))

    def fill(self, group) -> None:
        """修改团体信息 opens with the group as it is."""
        self.set_area(group.area_code)
        self.name.data, self.kind.data, self.address.data = group.name, group.kind, group.address


class CreateGroupForm(GroupInfoForm):
    """创建团体: 手机号, 手机验证码 (【获取验证码】 fills `challenge`), then 团体信息."""

    phone = StringField(lazy_gettext("手机号"), filters=[_phone],
                        render_kw={"inputmode": "numeric", "autocomplete": "tel", "maxlength": 11})
    code = StringField(lazy_gettext("手机验证码"), filters=[strip],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6})
    challenge = HiddenField()

    def validate_phone(self, field) -> None:
        message = sms.validate_phone(field.data or "")
        if message:
            raise ValidationError(message)

    def validate_code(self, field) -> None:
        if not field.data:
            raise ValidationError(gettext(CODE_REQUIRED))

    def phone_only(self) -> bool:
        """【获取验证码】 checks the phone alone (the rest may still be blank)."""
        self.phone.errors = []
        message = sms.validate_phone(self.phone.data or "")
        if message:
            self.phone.errors = [message]
        return not message


class EditGroupForm(GroupInfoForm):
    """修改团体信息: 团体名称, 团体类型, 团体地址."""

"""Identity forms: 实名认证 and a declarant's 证件 (SPEC I1–I3, S4)."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import ValidationError

from yks_web.forms.base import Form
from yks_web.i18n import gettext, lazy_gettext
from yks_web.models.people import ID_TYPES
from yks_web.services.identity import normalize_id, normalize_name, validate_id, validate_name
from yks_web.services.sms import normalize_phone, validate_phone


def _check(message: str | None) -> None:
    if message:
        raise ValidationError(message)


class IdentityForm(Form):
    """姓名 + 证件类型 + 证件号码, the identity of a person: the one base of every form that asks who someone is
    (登录, 代他人填报, 添加成员, 添加家庭成员, the operator's forms; issue 9 item 10), rendered by the
    `identity_fields` macro of templates/_macros.html."""

    # NFKC and tidy spaces only: a control, bidi or zero-width character stays and is refused (issue 8 item 10).
    name = StringField(lazy_gettext("姓名"), filters=[lambda v: normalize_name(v) if v else v])
    id_type = SelectField(
        lazy_gettext("证件类型"),
        choices=[("", lazy_gettext("请选择"))] + [(kind, lazy_gettext(label)) for kind, label in ID_TYPES.items()],
        default="",
    )
    id_number = StringField(lazy_gettext("证件号码"), filters=[lambda v: normalize_id(v) if v else v])

    def validate_name(self, field) -> None:
        _check(validate_name(field.data))

    def validate_id_type(self, field) -> None:
        if field.data not in ID_TYPES:
            raise ValidationError(gettext("请选择证件类型"))

    def validate_id_number(self, field) -> None:
        if self.id_type.data in ID_TYPES:
            _check(validate_id(self.id_type.data, field.data or ""))
        elif not field.data:
            raise ValidationError(gettext("请填写证件号码"))


class LoginForm(IdentityForm):
    """短信验证码认证: identity plus the phone that receives the code."""

    phone = StringField(lazy_gettext("手机号"), filters=[lambda v: normalize_phone(v) if v else v])

    def validate_phone(self, field) -> None:
        _check(validate_phone(field.data or ""))


class CodeForm(Form):
    code = StringField(lazy_gettext("验证码"), filters=[lambda v: v.strip() if v else v])

    def validate_code(self, field) -> None:
        if not field.data or not field.data.isdigit() or len(field.data) != 6:
            raise ValidationError(gettext("请输入6位数字验证码"))

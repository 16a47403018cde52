"""授权并加入团体 (SPEC G3; issue 13 item 4; guide 四 (四) 1, 图8): 手机号 + 手机验证码, 我的备注（选填）, agreement.

【获取验证码】 is a second submit button (name="send_code") of the same form, so it works without JavaScript: the view
checks the phone only, sends the code, and keeps the challenge's id in the hidden `challenge` field.
"""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField, SubmitField
from wtforms.validators import ValidationError

from yks_web.forms.base import Form, strip
from yks_web.i18n import N_, gettext, lazy_gettext
from yks_web.services.group_members import REMARK_MAX
from yks_web.services.sms import normalize_phone, validate_phone

AGREE = N_("请阅读并同意《用户服务协议》及《个人信息保护政策》")


class JoinForm(Form):
    phone = StringField(lazy_gettext("手机号"), filters=[lambda v: normalize_phone(v) if v else v],
                        render_kw={"inputmode": "tel", "autocomplete": "tel", "maxlength": 20})
    code = StringField(lazy_gettext("手机验证码"), filters=[strip],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6})
    challenge = HiddenField()
    remark = StringField(lazy_gettext("我的备注（选填）"), filters=[strip], render_kw={"maxlength": REMARK_MAX})
    agree = BooleanField(lazy_gettext("我已认真阅读并同意《用户服务协议》及《个人信息保护政策》"))
    send_code = SubmitField(lazy_gettext("获取验证码"))

    def validate_phone(self, field) -> None:
        problem = validate_phone(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_code(self, field) -> None:
        if not field.data or not field.data.isdigit() or len(field.data) != 6:
            raise ValidationError(gettext("请输入6位数字验证码"))

    def validate_remark(self, field) -> None:
        if len(field.data or "") > REMARK_MAX:
            raise ValidationError(gettext("备注不能超过%(max)d个字", max=REMARK_MAX))
        if any(not ch.isprintable() for ch in field.data or ""):
            raise ValidationError(gettext("备注不能包含不可见字符"))

    def validate_agree(self, field) -> None:
        if not field.data:
            raise ValidationError(gettext(AGREE))

    def phone_only(self) -> bool:
        """【获取验证码】: only the phone is checked (the rest is kept as typed)."""
        self.phone.errors = []
        try:
            self.validate_phone(self.phone)
        except ValidationError as problem:
            self.phone.errors = [str(problem)]
        return not self.phone.errors

"""注销账号 (issue 16 item 2): the confirm step, 手机验证码 and an explicit tick.

【获取验证码】 is a second submit button (name="send_code") of the same form, so the page works without JavaScript: the
code goes to the person's own verified phone and its challenge id is kept in the person's session (never in the form),
so a code sent for anything else cannot confirm a deletion.
"""

from __future__ import annotations

from wtforms import BooleanField, StringField
from wtforms.validators import ValidationError

from yks_web.forms.base import Form, strip
from yks_web.i18n import gettext, lazy_gettext
from yks_web.services.account_deletion_plan import CONFIRM_REQUIRED

SEND_CODE = "send_code"
REQUEST = "request_deletion"  # 【提交注销申请】 (a role only the operators can end)


class DeleteAccountForm(Form):
    code = StringField(lazy_gettext("手机验证码"), filters=[strip],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6})
    agree = BooleanField(lazy_gettext("我已了解：注销后以上数据将被删除且无法恢复，保留的记录不再与我关联"))

    def validate_code(self, field) -> None:
        if not field.data or not field.data.isdigit() or len(field.data) != 6:
            raise ValidationError(gettext("请输入6位数字验证码"))

    def validate_agree(self, field) -> None:
        if not field.data:
            raise ValidationError(gettext(CONFIRM_REQUIRED))

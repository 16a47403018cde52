"""组织机构 forms (SPEC O1): 绑定组织机构, 修改信息, the member's 申报码 and their declaration."""

from __future__ import annotations

from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from yks_web.forms.base import Form, strip
from yks_web.forms.declaration import YES_NO, PersonalDeclarationForm
from yks_web.i18n import lazy_gettext
from yks_web.models.institution import ADMIN_LEVELS
from yks_web.services.institutions import Details
from yks_web.services.sms import normalize_phone, validate_phone


def _text(label, limit: int) -> StringField:
    """`label` is a lazy_gettext; the messages name it in the reader's language."""
    return StringField(
        label, filters=[strip],
        validators=[
            DataRequired(lazy_gettext("请填写%(label)s", label=label)),
            Length(max=limit, message=lazy_gettext("%(label)s不能超过%(limit)d个字", label=label, limit=limit)),
        ],
    )


class InstitutionInfoForm(Form):
    """修改信息: the FAQ's 修改范围 — 行政归属层级, 组织机构名称, 管理员手机号."""

    level = SelectField(
        lazy_gettext("行政归属层级"),
        choices=[("", lazy_gettext("请选择"))] + [(level, lazy_gettext(level)) for level in ADMIN_LEVELS], default="",
        validators=[DataRequired(lazy_gettext("请选择行政归属层级"))],
    )
    name = _text(lazy_gettext("组织机构名称"), 50)
    phone = StringField(lazy_gettext("管理员手机号"), filters=[lambda v: normalize_phone(v) if v else v])

    def validate_phone(self, field) -> None:
        message = validate_phone(field.data or "")
        if message:
            raise ValidationError(message)

    def details(self) -> Details:
        return Details(name=self.name.data, level=self.level.data, phone=self.phone.data)


class BindInstitutionForm(InstitutionInfoForm):
    """绑定组织机构: 组织机构名称, 组织机构地址, 行政归属层级, 管理员手机号 (图2-3)."""

    address = _text(lazy_gettext("组织机构地址"), 100)

    def details(self) -> Details:
        return Details(name=self.name.data, level=self.level.data, phone=self.phone.data, address=self.address.data)


class InstitutionCodeForm(Form):
    """成员绑定组织机构: the 组织机构申报码 the admin shared (图2-6)."""

    code = StringField(
        lazy_gettext("组织机构申报码"), filters=[strip],
        validators=[DataRequired(lazy_gettext("请输入组织机构申报码")),
                    Length(max=40, message=lazy_gettext("请输入10位数字的组织机构申报码"))],
    )


class MemberDeclarationForm(PersonalDeclarationForm):
    """成员申报 (图2-7): the personal health declaration (H4) and the institution's other fields."""

    on_duty = RadioField(lazy_gettext("当前是否在岗"), choices=YES_NO,
                         validators=[InputRequired(lazy_gettext("请选择是或否"))])
    work_place = StringField(
        lazy_gettext("工作地点（选填）"), filters=[strip],
        validators=[Length(max=50, message=lazy_gettext("工作地点不能超过50个字"))],
    )

"""网格 forms (SPEC O0, O6): 创建网格, 解散网格, 区划管理员's 任命 and 不通过."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from yks_web.forms.areas import AreaFields
from yks_web.forms.base import Form, strip
from yks_web.forms.identity import IdentityForm
from yks_web.i18n import gettext, lazy_gettext
from yks_web.models.people import ID_TYPES
from yks_web.services import grid_handover
from yks_web.services.identity import normalize_id, normalize_name, validate_id, validate_name


class GridForm(AreaFields, Form):
    """创建网格: 所在区域 (to 乡镇街道), 网格名称; `confirmed` is set by the confirm step's 【确认创建】."""

    name = StringField(
        lazy_gettext("网格名称"), filters=[strip],
        validators=[DataRequired(lazy_gettext("请填写网格名称")),
                    Length(max=50, message=lazy_gettext("网格名称不能超过50个字"))],
    )
    confirmed = HiddenField()


class DissolveForm(Form):
    name = StringField(lazy_gettext("网格名称"), filters=[strip],
                       validators=[DataRequired(lazy_gettext("请输入网格名称以确认解散"))],
                       render_kw={"autocomplete": "off"})


class RejectForm(Form):
    reason = StringField(lazy_gettext("不通过原因"), filters=[strip],
                         validators=[DataRequired(lazy_gettext("请填写不通过的原因")),
                                     Length(max=100, message=lazy_gettext("不能超过%(max)d个字"))])


class AppointForm(IdentityForm):
    """区划管理员 任命 the level below: 姓名, 证件类型, 证件号码 of a verified person, 所辖区域."""

    area = SelectField(lazy_gettext("所辖区域"), validate_choice=False,
                       validators=[DataRequired(lazy_gettext("请选择所辖区域"))])


class CityAppointForm(IdentityForm):
    """The operator's 任命 of a city-level 区划管理员: 姓名, 证件类型, 证件号码, 所在城市."""

    area = SelectField(lazy_gettext("所在城市"), validate_choice=False,
                       validators=[DataRequired(lazy_gettext("请选择所在城市"))])


class GridBindForm(Form):
    """新增绑定 (网格员): the 网格申报码 the grid admin shared."""

    code = StringField(lazy_gettext("网格申报码"), filters=[strip],
                       validators=[DataRequired(lazy_gettext("请输入网格申报码"))],
                       render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20})


class HandoverForm(IdentityForm):
    """管理员变更: 继任管理员姓名 and 身份证号码 (the guide asks for a 身份证: the one 证件类型 offered), checked by the
    identity validators every identity form uses."""

    name = StringField(lazy_gettext("继任管理员姓名"), filters=[lambda v: normalize_name(v) if v else v],
                       render_kw={"autocomplete": "off"})
    id_type = SelectField(lazy_gettext("证件类型"), default="id_card",
                          choices=[(kind, lazy_gettext(label)) for kind, label in ID_TYPES.items()
                                   if kind == "id_card"])
    id_number = StringField(lazy_gettext("身份证号码"), filters=[lambda v: normalize_id(v) if v else v],
                            render_kw={"autocomplete": "off"})

    def validate_name(self, field) -> None:
        message = validate_name(field.data) if field.data else gettext(grid_handover.NAME_EMPTY)
        if message:
            raise ValidationError(message)

    def validate_id_number(self, field) -> None:
        message = validate_id("id_card", field.data) if field.data else gettext(grid_handover.ID_EMPTY)
        if message:
            raise ValidationError(message)

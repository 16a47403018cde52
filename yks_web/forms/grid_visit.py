"""信息采集 forms (SPEC O6; issue 12 items 5, 7; guide 二 (三) (2) 3); FAQ (四) 4).

The field names are the contract with the offline queue (templates/grid/_queue.html, static/js): name, id_type,
id_number, phone, address, temperature, symptoms / travel / contact ("yes"/"no"), remarks, client_key (a fresh
uuid4 hex with every empty form) and recorded_at (the device's ISO 8601 time, optional). What is valid is
services/grid_visits.validate_entry's to say; the forms only carry its messages to the fields.
"""

from __future__ import annotations

import uuid

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField

from yks_web.forms.base import Form
from yks_web.i18n import N_, lazy_gettext
from yks_web.models.people import ID_TYPES
from yks_web.services import grid_visits

YES_NO = [(grid_visits.YES, lazy_gettext("是")), (grid_visits.NO, lazy_gettext("否"))]
BIRTH_CERT_HINT = N_("没有身份证的小孩、婴儿可选择出生医学证明")  # gettext where shown


def fresh_key() -> str:
    return uuid.uuid4().hex


class ScanVisitForm(Form):
    """扫粤康码: who it is comes from the scan; 住址 and the door-to-door questions are typed."""

    address = StringField(lazy_gettext("住址"),
                          render_kw={"maxlength": grid_visits.ADDRESS_MAX, "autocomplete": "street-address"})
    temperature = StringField(lazy_gettext("体温（℃，选填）"), render_kw={"inputmode": "decimal", "maxlength": 6})
    symptoms = RadioField(lazy_gettext("是否有发热、咳嗽等症状"), choices=YES_NO, validate_choice=False)
    travel = RadioField(lazy_gettext("14日内是否有中高风险地区旅居史"), choices=YES_NO, validate_choice=False)
    contact = RadioField(lazy_gettext("14日内是否接触过确诊或疑似病例"), choices=YES_NO, validate_choice=False)
    remarks = TextAreaField(lazy_gettext("备注（选填）"), render_kw={"maxlength": grid_visits.REMARKS_MAX, "rows": 2})
    client_key = HiddenField()
    recorded_at = HiddenField()

    identity = False
    answers: grid_visits.VisitAnswers | None = None

    @classmethod
    def empty(cls):
        """A new form: nothing typed, a new client_key (one visit per form)."""
        form = cls(formdata=None)
        form.client_key.data = fresh_key()
        return form

    def entry(self) -> dict[str, str | None]:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}

    def validate(self, extra_validators=None) -> bool:
        """The CSRF check (FlaskForm), then services/grid_visits.validate_entry; its messages go to the fields."""
        ok = super().validate(extra_validators)
        self.answers, errors = grid_visits.validate_entry(self.entry(), identity=self.identity)
        message = grid_visits.check_client_key(self.client_key.data)
        if message:
            errors.setdefault("client_key", []).append(message)
        for name, messages in errors.items():
            self[name].errors = list(self[name].errors) + messages
        return ok and not errors

    def field_errors(self) -> dict[str, list[str]]:
        """{field: [messages]} for the JSON answer: every field with a message (a CSRF failure never gets here: the
        request is refused before the view)."""
        return {name: list(field.errors) for name, field in self._fields.items() if field.errors}


class VisitForm(ScanVisitForm):
    """手动录入: 姓名, 证件类型 (出生医学证明 for a child, a baby), 证件号码, 手机号码, then ScanVisitForm's."""

    name = StringField(lazy_gettext("姓名"), render_kw={"maxlength": 30, "autocomplete": "off"})
    id_type = SelectField(lazy_gettext("证件类型"), default="id_card", validate_choice=False,
                          choices=[(kind, lazy_gettext(label)) for kind, label in ID_TYPES.items()])
    id_number = StringField(lazy_gettext("证件号码"), render_kw={"maxlength": 20, "autocomplete": "off",
                                                  "autocapitalize": "characters"})
    phone = StringField(lazy_gettext("手机号码（选填）"),
                        render_kw={"inputmode": "tel", "maxlength": 11, "autocomplete": "off"})

    identity = True

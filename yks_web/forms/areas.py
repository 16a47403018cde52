"""所在区域 as three cascading selects: 市, 区（县）, 乡镇（街道） (SPEC O0).

A form that asks for an area inherits AreaFields and renders `area_picker(form)` (templates/_area_picker.html).
Without JavaScript the picker's 【选择】 button posts the form as it is (PICK in the form data) and the view
re-renders it with the next level's choices and everything typed kept (`picking_area`); with JavaScript,
changing a select fetches the next level from areas.picker and swaps the picker in place.
"""

from __future__ import annotations

from wtforms import SelectField
from wtforms.validators import ValidationError

from yks_web.i18n import N_, gettext, lazy_gettext
from yks_web.services import areas

PICK = "pick_area"
TOWN_REQUIRED = N_("请选择所在区域，填写到乡镇街道一级")


def _options(parent: str | None, prompt: str) -> list[tuple[str, str]]:
    return [("", prompt)] + [(a.code, a.name) for a in areas.children(parent)] if parent is not None else [("", prompt)]


class AreaFields:
    """Mixin for a Form: `city`, `district`, `town`; `area_code` is the chosen town's code."""

    city = SelectField(lazy_gettext("所在城市"), validate_choice=False, default="")
    district = SelectField(lazy_gettext("区（县）"), validate_choice=False, default="")
    town = SelectField(lazy_gettext("乡镇（街道）"), validate_choice=False, default="")

    def set_area_choices(self) -> None:
        """Each select's options from the level above as chosen (a choice that does not fit is dropped)."""
        city = self.city.data if areas.get(self.city.data) and areas.get(self.city.data).level == "city" else ""
        district = self.district.data if city and areas.get(self.district.data) and \
            areas.get(self.district.data).parent == city else ""
        town = self.town.data if district and areas.get(self.town.data) and \
            areas.get(self.town.data).parent == district else ""
        self.city.data, self.district.data, self.town.data = city, district, town
        self.city.choices = _options("", gettext("请选择城市"))
        self.district.choices = _options(city or None, gettext("请选择区（县）"))
        self.town.choices = _options(district or None, gettext("请选择乡镇（街道）"))

    def set_area(self, code: str) -> None:
        """Pre-fill from a stored town code (修改信息)."""
        chain = areas.chain(code) + [None, None, None]
        self.city.data, self.district.data, self.town.data = (a.code if a else "" for a in chain[:3])
        self.set_area_choices()

    def validate_town(self, field) -> None:
        area = areas.get(field.data)
        if area is None or area.level != "town" or area.parent != self.district.data:
            raise ValidationError(gettext(TOWN_REQUIRED))

    @property
    def area_code(self) -> str:
        return self.town.data or ""

"""The cascading 所在区域 picker (SPEC O0): each level's options follow the level above, with or without JavaScript."""

from __future__ import annotations

import re

from tests.blueprints.support import text
from yks_web.forms.areas import TOWN_REQUIRED, AreaFields
from yks_web.forms.base import Form


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"', select)


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option selected value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', select)
    return next((g for g in found.groups() if g), "") if found else ""


def test_o0_the_picker_offers_cities_then_districts_then_towns(client):
    first = text(client.get("/areas/picker"))
    assert len(options(first, "city")) == 22  # 请选择城市 + 21
    assert options(first, "district") == [""] and options(first, "town") == [""]
    second = text(client.get("/areas/picker?city=4401"))
    assert "440106" in options(second, "district") and options(second, "town") == [""]
    third = text(client.get("/areas/picker?city=4401&district=440106&town=440106006"))
    assert "440106006" in options(third, "town")
    assert selected(third, "town") == "440106006"


def test_o0_a_choice_that_does_not_fit_the_level_above_is_dropped(client):
    page = text(client.get("/areas/picker?city=4403&district=440106&town=440106006"))  # 深圳 with a 天河 district
    assert selected(page, "city") == "4403"
    assert selected(page, "district") == "" and selected(page, "town") == ""
    assert "440106" not in options(page, "district")


def test_o0_bad_input_is_never_a_500(client):
    for query in ("city=" + "9" * 500, "district=<script>", "town=440106006", "city=4401&district=x", "city=%E5%B9%BF"):
        assert client.get(f"/areas/picker?{query}").status_code == 200
    assert client.get("/areas/picker?city=%00").status_code == 400  # the app's refusal of control characters


def test_o0_the_picker_is_an_htmx_swap_of_itself_and_has_a_no_js_button(client):
    page = text(client.get("/areas/picker"))
    assert 'id="area-picker"' in page and 'hx-get="/areas/picker"' in page and 'hx-trigger="change"' in page
    assert '<noscript><button type="submit" class="btn small" name="pick_area"' in page


class _Form(AreaFields, Form):
    class Meta:
        csrf = False


def test_o0_the_town_is_required_and_must_be_in_the_district(app):
    from werkzeug.datastructures import MultiDict

    with app.test_request_context():
        for data in ({}, {"city": "4401", "district": "440106"},
                     {"city": "4401", "district": "440105", "town": "440106006"}):
            form = _Form(MultiDict(data))
            form.set_area_choices()
            assert not form.validate()
            assert form.town.errors == [TOWN_REQUIRED]
        form = _Form(MultiDict({"city": "4401", "district": "440106", "town": "440106006"}))
        form.set_area_choices()
        assert form.validate() and form.area_code == "440106006"
        again = _Form()
        again.set_area("440106006")
        assert (again.city.data, again.district.data, again.town.data) == ("4401", "440106", "440106006")

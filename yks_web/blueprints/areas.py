"""所在区域: the cascading picker's next level (SPEC O0), for every form that asks where (places, grids)."""

from __future__ import annotations

from flask import Blueprint, render_template_string, request

from yks_web.forms.areas import AreaFields
from yks_web.forms.base import Form

bp = Blueprint("areas", __name__, url_prefix="/areas")


class _Picker(AreaFields, Form):
    class Meta:
        csrf = False  # a GET of static data


@bp.get("/picker")
def picker():
    """The picker block for the chosen 市/区（县）/乡镇（街道） (an htmx swap; a plain GET shows the same block)."""
    form = _Picker(request.args)
    form.set_area_choices()
    body = render_template_string('{% from "_area_picker.html" import area_picker %}{{ area_picker(form) }}',
                                  form=form)
    # The block is in the reader's language (issue 15): a shared cache keys it on what chooses that too
    return body, 200, {"Vary": "HX-Request, Cookie, Accept-Language", "Cache-Control": "public, max-age=3600"}

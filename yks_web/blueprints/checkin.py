"""体温正常快速打卡 (SPEC O4; issue 10 item 5): the citizen's side of a place's 葵花码, at its short URL /p/<token>.

A citizen scans the poster at the door: logged in, one tap of 【体温正常，确认打卡】 writes their check
(the access gate sends anyone else to 实名认证 first and back here). Checking in is the citizen's own act:
no inspector is involved and nothing about the place's other visitors is shown.
"""

from __future__ import annotations

import re
import uuid

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.extensions import db
from yks_web.i18n import N_, gettext
from yks_web.models.health import TemperatureCheck
from yks_web.models.place import PlacePoster
from yks_web.rendering import render_screen
from yks_web.services import checkins, place_checks, place_posters
from yks_web.services.rate_limits import RateLimited

bp = Blueprint("checkin", __name__)

_FORM_KEY = re.compile(r"[0-9a-f]{32}")
UNKNOWN_HINT = N_("请扫描场所张贴的“体温正常快速打卡”葵花码，或请现场检测员扫描您的粤康码登记。")
RETIRED_HINT = N_("请扫描现场张贴的最新葵花码，或请现场检测员扫描您的粤康码登记。")


def _refused(refused: checkins.PosterUnusable):
    """无效的葵花码 (404), or a poster that was valid once and is out of date (410, with the reason)."""
    if refused.poster is None:
        return render_screen("checkin/_refused.html", title=gettext("无效的葵花码"), status=404,
                             message=refused.message, poster=None, hint=gettext(UNKNOWN_HINT))
    return render_screen("checkin/_refused.html", title=gettext("葵花码已失效"), status=410, message=refused.message,
                         poster=refused.poster, hint=gettext(RETIRED_HINT))


def _open_screen(poster: PlacePoster, form_key: str, message: str | None = None, status: int = 200):
    return render_screen("checkin/_open.html", title=gettext("体温正常快速打卡"), status=status, poster=poster,
                         place=poster.place, now=clock.utcnow(), form_key=form_key, message=message)


@bp.get("/p/<token>", endpoint="open")
def open_page(token: str):
    """体温正常快速打卡: 场所名称, the time, who checks in (masked), and the one button 【体温正常，确认打卡】."""
    try:
        poster = checkins.live_poster(db.session, token)
    except checkins.PosterUnusable as refused:
        return _refused(refused)
    return _open_screen(poster, uuid.uuid4().hex)


@bp.post("/p/<token>")
def open_post(token: str):
    try:
        poster = checkins.live_poster(db.session, token)
    except checkins.PosterUnusable as refused:
        return _refused(refused)  # an old poster's tap records nothing
    key = request.form.get("form_key", "")
    if not _FORM_KEY.fullmatch(key):
        key = uuid.uuid4().hex
    try:
        recorded = checkins.check_in(db.session, poster=poster, person=current_user._get_current_object(),
                                     form_key=key, utc_now=clock.utcnow(), local_now=clock.now())
    except RateLimited as refused:
        db.session.rollback()
        return _open_screen(poster, key, refused.message, status=429)
    except place_checks.CheckinRefused as refused:  # an inspector's 发热 today stands (FAQ 12)
        db.session.rollback()
        return _open_screen(poster, key, refused.message)
    db.session.commit()
    return redirect(url_for("checkin.done", token=poster.token, check_id=recorded.check.id), code=303)


@bp.get("/p/<token>/done/<int:check_id>")
def done(token: str, check_id: int):
    """打卡成功: the place and the time, and 【出示粤康码】 — for the check's own person only (404 otherwise)."""
    check = db.session.get(TemperatureCheck, check_id)
    found = place_posters.find(db.session, token)
    if check is None or check.person_id != current_user.id or found is None or found.poster.place_id != check.place_id:
        abort(404)
    return render_screen("checkin/_done.html", title=gettext("打卡成功"), check=check)

"""体温正常快速打卡 葵花码 (SPEC O4; issue 10 item 5; FAQ (二) 10): the page, its PNG and the printable A4 PDF.

The QR holds the live poster's short URL (/p/<token>, blueprints/checkin.py). The PNG is made once per
process for a token (qr.png_cached) and answered with the token as ETag, so a guard's phone that shows the
page all day costs neither a new image nor a new download; the page asks for `poster.png?v=<token>`, so a
re-issued poster is a new URL and never a stale cached image.
"""

from __future__ import annotations

import io

from flask import Response, request, send_file, url_for
from flask_login import current_user

from yks_web import clock, qr
from yks_web.blueprints.places import bp, place_for
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models.place import Place, PlacePoster
from yks_web.rendering import render_screen
from yks_web.services import access, place_posters, poster_pdf

PNG_CACHE = "private, max-age=300"
PNG_BOX = 12  # pixels a module: about 400 px for version 3, sharp enough to print from 长按保存


def live_poster(place: Place) -> PlacePoster:
    """The place's live 葵花码; a place without one (it should always have one) gets one now."""
    poster = place_posters.live(db.session, place.id)
    if poster is None:
        poster = place_posters.live_or_issue(db.session, place, clock.utcnow())
        db.session.commit()
    return poster


def checkin_url(poster: PlacePoster) -> str:
    return url_for("checkin.open", token=poster.token, _external=True)


def _back(place: Place) -> str:
    """体温检测 for an inspector of the place (the guide's way in: FAQ (二) 10), else the admin's 我的场所."""
    if access.holds(db.session, current_user, "inspector", place.id):
        return url_for("places.check", place_id=place.id)
    return url_for("places.admin_home")


@bp.get("/<int:place_id>/poster")
def poster_page(place_id: int):
    """体温正常快速打卡: the 葵花码 to 长按保存 or download as a printable poster, and the QR that opens 粤康码."""
    place = place_for(place_id, "place_admin", "inspector")
    poster = live_poster(place)
    return render_screen(
        "places/_poster.html", title=gettext("体温正常快速打卡"), place=place, poster=poster, back=_back(place),
        code_qr=qr.png_data_uri(url_for("health_code.show", _external=True)),
        made_label=poster_pdf.date_label(poster_pdf.made_on(poster.issued_at)),  # 生成日期：2026年11月20日
    )


@bp.get("/<int:place_id>/poster.png")
def poster_png(place_id: int):
    """The 葵花码 image: the live poster's check-in URL, not remade nor resent while the token is the same."""
    place = place_for(place_id, "place_admin", "inspector")
    poster = live_poster(place)
    if request.if_none_match.contains(poster.token):
        response = Response(status=304)
    else:
        response = Response(qr.png_cached(checkin_url(poster), box_size=PNG_BOX), mimetype="image/png")
        response.headers["Content-Disposition"] = f'inline; filename="kuihuama-{place.id}.png"'
    response.set_etag(poster.token)
    response.headers["Cache-Control"] = PNG_CACHE
    return response


@bp.get("/<int:place_id>/poster.pdf", endpoint="poster_pdf")  # the function is named apart from the service
def poster_pdf_file(place_id: int):
    """下载打印版（PDF）: the A4 poster to print and put up at the entrance (guide: 打印葵花码贴在场所出入口)."""
    place = place_for(place_id, "place_admin", "inspector")
    poster = live_poster(place)
    body = poster_pdf.render(
        place_name=place.name, checkin_url=checkin_url(poster),
        code_url=url_for("health_code.show", _external=True), issued_on=poster_pdf.made_on(poster.issued_at),
    )
    response = send_file(io.BytesIO(body), mimetype="application/pdf", as_attachment=True,
                         download_name=gettext("葵花码-%(number)d.pdf", number=place.id), etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response

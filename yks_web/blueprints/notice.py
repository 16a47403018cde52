"""A 解除医学观察电子告知书 anyone can verify (SPEC O7, H4; issue 11 item 6): /n/<number> — the short address its QR
holds — says whether the notice is genuine (issuer's 单位名称, the dates, the masked name) and 有效 or 已撤销; and
the person's 【下载PDF】 of it, for them or a consented family owner only.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, url_for
from flask_login import current_user

from yks_web import clock, qr
from yks_web.blueprints.auth import client_ip
from yks_web.blueprints.health_code import FAMILY_READ_WINDOW
from yks_web.extensions import db
from yks_web.i18n import N_, gettext
from yks_web.rendering import render_screen
from yks_web.services import access, audit, medical_notices, notice_pdf
from yks_web.services.rate_limits import RateLimited, hit

bp = Blueprint("notice", __name__)

TITLE = N_("解除医学观察电子告知书核验")


def verify_url(number: str) -> str:
    return url_for("notice.verify", number=number, _external=True)


@bp.app_template_global()
def notice_qr(number: str) -> str:
    """The QR of a notice's verification page as a data: URI (我的粤康码 → 解除医学观察电子告知书)."""
    return qr.png_data_uri(verify_url(number))


@bp.app_template_global()
def notice_link(number: str) -> str:
    return verify_url(number)


@bp.get("/n/<number>")
def verify(number: str):
    """核验: genuine → 单位名称, 出具日期, 解除日期, masked 姓名, 有效/已撤销; anything else → 未找到该告知书 (404)."""
    try:
        hit(db.session, medical_notices.VERIFY_LIMIT, [f"ip:{client_ip()}"], clock.utcnow())
    except RateLimited as refused:
        db.session.rollback()
        return render_screen("notice/_not_found.html", title=gettext(TITLE), message=refused.message, status=429)
    db.session.commit()
    found = medical_notices.find(db.session, number)
    if found is None:
        return render_screen("notice/_not_found.html", title=gettext(TITLE),
                             message=gettext(medical_notices.NOT_FOUND), status=404)
    return render_screen("notice/_verify.html", title=gettext(TITLE), found=found,
                         issued_on=medical_notices.local_day(found.notice.issued_at))


@bp.get("/n/<number>/pdf")
def pdf(number: str):
    """【下载PDF】: the notice as an A4 page with its verification QR; the person's own, or a consented family
    member's (access.may_show_code), else 404."""
    found = medical_notices.find(db.session, number)
    if found is None or not access.may_show_code(db.session, current_user.id, found.notice.person_id):
        abort(404)
    notice = found.notice
    if notice.person_id != current_user.id:
        audit.record_once(db.session, actor_id=current_user.id, role="family_owner", action="download_notice",
                          subject_id=notice.person_id, utc_now=clock.utcnow(), within=FAMILY_READ_WINDOW,
                          context=N_("家庭成员"))  # shown in the reader's language (audit.context_label)
        db.session.commit()
    body = notice_pdf.render(
        number=notice.number, name=found.name, id_masked=found.id_masked, body=notice.content,
        remarks=notice.remarks, institution=notice.institution, issuer_name=notice.issuer_name,
        issued_on=medical_notices.local_day(notice.issued_at),
        verify_url=verify_url(notice.number), revoked=notice.revoked,
    )
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{notice.number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response

"""管理员变更 (SPEC O6; issue 12 item 4; guide 二 (三) (1) 6), FAQ (四) 8): 网格成员管理 → 管理员变更 →
继任管理员姓名 and 身份证号码 → the 身份认证 QR (and its link, 【复制】) valid 24 hours, 【撤销变更】; the successor
opens the link, and their 实名认证 must match to 【确认成为网格管理员】. Rules: services/grid_handover."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.grid import bp, grid_for
from yks_web.extensions import db
from yks_web.forms.grid import HandoverForm
from yks_web.i18n import N_, gettext
from yks_web.models.grid import Grid, GridHandover
from yks_web.privacy import mask_name
from yks_web.rendering import render_screen
from yks_web.services import areas, grid_handover, grids
from yks_web.services.errors import DomainError

TITLE = N_("管理员变更")  # gettext where shown


def _link(offer: GridHandover) -> str:
    return url_for("grid.handover_offer", token=offer.token, _external=True)


def _form_screen(grid: Grid, form: HandoverForm, replacing: GridHandover | None, error: str | None = None):
    return render_screen("grid/_handover.html", title=gettext(TITLE), grid=grid, form=form, replacing=replacing,
                         error=error)


@bp.get("/<int:grid_id>/handover")
def handover(grid_id: int):
    """管理员变更: the form (继任管理员姓名, 身份证号码), or, while a link is open, its 身份认证 QR
    (?new=1: the form again, whose submit replaces that link)."""
    grid = grid_for(grid_id, "grid_admin")
    offer = grid_handover.pending(db.session, grid.id, clock.utcnow())
    if offer is not None and request.args.get("new") != "1":
        return render_screen("grid/_handover_link.html", title=gettext(TITLE), grid=grid, offer=offer,
                             link=_link(offer))
    return _form_screen(grid, HandoverForm(formdata=None), offer)


@bp.post("/<int:grid_id>/handover")
def handover_post(grid_id: int):
    grid = grid_for(grid_id, "grid_admin")
    form = HandoverForm()
    if not form.validate():
        return _form_screen(grid, form, grid_handover.pending(db.session, grid.id, clock.utcnow()))
    try:
        grid_handover.start(db.session, grid, current_user.id, form.name.data, form.id_number.data, clock.utcnow())
    except grid_handover.NotAdmin:  # handed over or dissolved meanwhile
        db.session.rollback()
        abort(404)
    except grid_handover.HandoverRefused as refused:
        db.session.rollback()
        if refused.field is None:
            return _form_screen(grid, form, None, refused.message)
        getattr(form, refused.field).errors = [refused.message]
        return _form_screen(grid, form, grid_handover.pending(db.session, grid.id, clock.utcnow()))
    db.session.commit()
    flash(gettext("提交成功，已生成身份认证二维码，请截屏分享给继任网格管理员"), "success")
    return redirect(url_for("grid.handover", grid_id=grid.id), code=303)


@bp.post("/<int:grid_id>/handover/cancel")
def handover_cancel_post(grid_id: int):
    """撤销变更: the open link stops working at once."""
    grid = grid_for(grid_id, "grid_admin")
    try:
        ended = grid_handover.cancel(db.session, grid, current_user.id, clock.utcnow())
    except grid_handover.NotAdmin:
        db.session.rollback()
        abort(404)
    db.session.commit()
    if ended:
        flash(gettext("已撤销管理员变更，原身份认证二维码已失效"), "info")
    return redirect(url_for("grid.handover", grid_id=grid.id), code=303)


# -- the successor's side ------------------------------------------------------------------------------------------


def _invalid():
    """The link is unknown, used, expired, cancelled, or its grid is gone: a page that says so (not an error)."""
    return render_screen("grid/_handover_invalid.html", title=gettext(TITLE))


def _offer_screen(offer: GridHandover, error: str | None = None):
    grid = offer.grid
    return render_screen(
        "grid/_handover_offer.html", title=gettext(TITLE), offer=offer, grid=grid, area=areas.full_name(grid.area_code),
        admin_name=mask_name(grid.admin.name), error=error,
        verified=current_user.name_verified_at is not None,
        own=grid.admin_id == current_user.id,
        already=grid.admin_id != current_user.id and grids.admin_grid(db.session, current_user.id) is not None,
        realname=url_for("auth.login", next=url_for("grid.handover_offer", token=offer.token)),
    )


@bp.get("/handover/<token>")
def handover_offer(token: str):
    """The successor's page: the grid, its area and its admin (masked), 【确认成为网格管理员】."""
    offer = grid_handover.open_offer(db.session, token, clock.utcnow())
    if offer is None:
        return _invalid()
    return _offer_screen(offer)


@bp.post("/handover/<token>")
def handover_accept_post(token: str):
    """【确认成为网格管理员】: counted per account; only a matching 实名认证 accepts."""
    try:
        grid = grid_handover.accept(db.session, token, current_user, clock.utcnow())
    except grid_handover.HandoverGone:
        db.session.commit()  # the attempt counts
        return _invalid()
    except DomainError as refused:  # not verified, MISMATCH (no detail), already an admin, or RateLimited
        db.session.commit()  # the attempt counts, whatever the answer
        offer = grid_handover.open_offer(db.session, token, clock.utcnow())
        return _offer_screen(offer, refused.message) if offer is not None else _invalid()
    db.session.commit()
    flash(gettext("身份认证成功，您已成为“%(name)s”的网格管理员", name=grid.name), "success")
    return redirect(url_for("grid.admin_home"), code=303)

"""平台运营 → 帮助与反馈 (issue 16 item 2): what people reported, and the account deletion requests that wait for
an operator. The senders shown are audited: they see the read in their 查阅记录 (SPEC P6, P10)."""

from __future__ import annotations

from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.operator import bp
from yks_web.extensions import db
from yks_web.i18n import N_, gettext
from yks_web.rendering import render_screen
from yks_web.services import audit, feedback_inbox


@bp.get("/feedback")
def feedback():
    rows = feedback_inbox.latest(db.session)
    audit.record(db.session, actor_id=current_user.id, role="operator", action="view_feedback",
                 subject_ids=sorted({r.person_id for r in rows}), utc_now=clock.utcnow(), context=N_("帮助与反馈"))
    db.session.commit()
    return render_screen("operator/_feedback.html", title=gettext("帮助与反馈"), rows=rows, shown=feedback_inbox.SHOWN)

"""数据统计 (SPEC O5; issue 10 items 6 and 7): the place admin's figures and charts, the inspector's own counts.

Figures only: no checked person's name or phone is on either screen (FAQ 9). services/place_stats says what
is counted; services/charts draws the pictures.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import request
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.places import bp, place_for
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.rendering import render_screen
from yks_web.services import charts, place_stats
from yks_web.template_helpers import month_day


@bp.get("/<int:place_id>/stats")
def stats(place_id: int):
    """查看数据统计: 发热人数, 检测人数, 男女比例, 年龄分析, 每个时段的客流 of a day; each 检测员's work."""
    place = place_for(place_id, "place_admin")
    today = clock.today()
    day, day_message = place_stats.chosen_day(request.args.get("day"), today)
    figures = place_stats.of_place(db.session, place.id, day)
    day_word = gettext("今日") if day == today else month_day(day)
    pictures = {  # the labels are place_stats' N_ constants: drawn in the reader's language
        "sexes": charts.pie(gettext("男女比例（%(day)s）", day=day_word),
                            tuple((gettext(label), n) for label, n in figures.sexes)),
        "ages": charts.bar(gettext("年龄分析（%(day)s）", day=day_word),
                           tuple(gettext(label) for label, _ in figures.ages), tuple(n for _, n in figures.ages)),
        "hours": charts.bar(gettext("每个时段的客流（%(day)s）", day=day_word),
                            tuple(str(h) for h in place_stats.HOURS), figures.hours, every=3),
    }
    return render_screen(
        "places/_stats.html", title=gettext("数据统计"), place=place, day=day, today=today, day_word=day_word,
        day_message=day_message, figures=figures, pictures=pictures,
        prev_day=day - timedelta(days=1) if day > date.min else None, next_day=day + timedelta(days=1),
    )


@bp.get("/<int:place_id>/my-stats")
def my_stats(place_id: int):
    """检测员 数据统计: 今日检测人数 and 累计检测人数 of the registrations the inspector made."""
    place = place_for(place_id, "inspector")
    today = clock.today()
    figures = place_stats.of_inspector(db.session, current_user.id, place.id, today)
    return render_screen("places/_my_stats.html", title=gettext("数据统计"), place=place, today=today, figures=figures)

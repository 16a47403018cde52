"""Operator page for the built-in health data (SPEC H2): find a person, set the code, add records."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, url_for

from yks_web import clock
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.operator import bp
from yks_web.extensions import db
from yks_web.forms.health import EntryForm, FindPersonForm, NucleicAcidForm, StatusForm, VaccinationForm
from yks_web.health_setup import provider
from yks_web.i18n import N_, gettext
from yks_web.models import Person
from yks_web.rendering import render_screen
from yks_web.services import health_data, health_records
from yks_web.services.identity import find_person, make_identity


def _find_screen(form: FindPersonForm, error: str | None = None):
    return render_screen("operator/_health_find.html", title=gettext("健康数据管理"), form=form, error=error)


@bp.get("/health")
def health():
    """健康数据管理: look a person up by 证件."""
    return _find_screen(FindPersonForm())


@bp.post("/health")
def health_post():
    form = FindPersonForm()
    if not form.validate():
        return _find_screen(form)
    person = find_person(db.session, make_identity(form.name.data, form.id_type.data, form.id_number.data))
    if person is None or person.name != form.name.data:
        return _find_screen(form, gettext("未找到该人员，请核对姓名与证件号码"))
    return redirect(url_for("operator.health_person", person_id=person.id), code=303)


def _person(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    return person


def _person_screen(person: Person, **forms):
    """The person's code, tests, doses and 入粤登记; every showing is an audited read (P6, issue 8 item 9)."""
    data = provider()
    status = data.statuses([person.id])[person.id]
    status_form = forms.get("status_form") or StatusForm(
        data={"colour": status.colour, "reason": status.reason, "decided_city": status.decided_city,
              "guidance": status.guidance}
    )
    return audited(render_screen(
        "operator/_health_person.html", title=gettext("健康数据管理"), person=person, code_status=status,
        test=data.latest_tests([person.id]).get(person.id), doses=data.vaccinations([person.id])[person.id],
        entries=data.entries(person.id), status_form=status_form,
        test_form=forms.get("test_form") or NucleicAcidForm(formdata=None),
        vaccination_form=forms.get("vaccination_form") or VaccinationForm(formdata=None),
        entry_form=forms.get("entry_form") or EntryForm(formdata=None), error=forms.get("error"),
    ), role="operator", action="view_health", subject_ids=[person.id], context=N_("健康数据管理"))


@bp.get("/health/<int:person_id>")
def health_person(person_id: int):
    return _person_screen(_person(person_id))


@bp.get("/health/<int:person_id>/<any(status, test, vaccination, entry):part>")
def health_part(person_id: int, part: str):
    """A record form's own URL, reloaded after a refused submit (issue 9 item 2): the person's screen, fresh."""
    return redirect(url_for("operator.health_person", person_id=_person(person_id).id), code=303)


def _done(person: Person, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("operator.health_person", person_id=person.id), code=303)


@bp.post("/health/<int:person_id>/status")
def health_status(person_id: int):
    """设置健康码: colour, 原因, 判定城市, 解除指引."""
    person = _person(person_id)
    form = StatusForm()
    if not form.validate():
        return _person_screen(person, status_form=form)
    try:
        health_data.set_status(db.session, person.id, colour=form.colour.data, reason=form.reason.data or "",
                               city=form.decided_city.data or "", guidance=form.guidance.data or "",
                               utc_now=clock.utcnow())
    except health_data.HealthDataError as refused:
        db.session.rollback()
        return _person_screen(person, status_form=form, error=refused.message)
    return _done(person, gettext("健康码已更新"))


def _utc(local_naive):
    return local_naive.replace(tzinfo=clock.TZ).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


@bp.post("/health/<int:person_id>/test")
def health_test(person_id: int):
    person = _person(person_id)
    form = NucleicAcidForm()
    if not form.validate():
        return _person_screen(person, test_form=form)
    health_records.add_test(db.session, person.id, sampled_at=_utc(form.sampled_at.data), result=form.result.data,
                            institution=form.institution.data or "")
    return _done(person, gettext("已添加核酸检测记录"))


@bp.post("/health/<int:person_id>/vaccination")
def health_vaccination(person_id: int):
    person = _person(person_id)
    form = VaccinationForm()
    if not form.validate():
        return _person_screen(person, vaccination_form=form)
    try:
        health_records.add_vaccination(db.session, person.id, dose=form.dose.data,
                                       vaccinated_on=form.vaccinated_on.data,
                                       manufacturer=form.manufacturer.data or "", site=form.site.data or "")
    except health_data.HealthDataError as refused:
        db.session.rollback()
        return _person_screen(person, vaccination_form=form, error=refused.message)
    return _done(person, gettext("已添加疫苗接种记录"))


@bp.post("/health/<int:person_id>/entry")
def health_entry(person_id: int):
    person = _person(person_id)
    form = EntryForm()
    if not form.validate():
        return _person_screen(person, entry_form=form)
    health_records.add_entry(db.session, person.id, arrived_on=form.arrived_on.data,
                             from_region=form.from_region.data, destination=form.destination.data or "",
                             transport=form.transport.data or "", utc_now=clock.utcnow())
    return _done(person, gettext("已添加入粤登记记录"))

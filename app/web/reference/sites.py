"""Sites and ports: the list, a new one, and one site's fields, weekly hours, commodities and closed days."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Exporter, Inspector, Site, SiteClosure, utcnow
from ...models.site import WEEKDAYS
from ...services.errors import WorkflowError
from ...services.planning.calendar import closed_days
from ...services.planning.sites import create_site, update_site
from .blueprint import bp
from .common import found, language, me, planners_only, show_refusal
from .forms import WEEKDAY_NAMES, ZONES, ClosureForm, SiteForm

UPCOMING_DAYS = 120


@bp.route("/")
@planners_only
def home():
    sites = db.session.scalars(sa.select(Site).order_by(Site.kind, Site.name)).all()
    based = dict(db.session.execute(sa.select(Inspector.home_site_id, sa.func.count())
                                    .where(Inspector.active).group_by(Inspector.home_site_id)).all())
    exporters = db.session.scalar(sa.select(sa.func.count()).select_from(Exporter))
    return render_template("reference/home.html", sites=sites, based=based, exporters=exporters)


@bp.route("/sites/new", methods=["GET", "POST"])
@planners_only
def new_site():
    form = SiteForm().with_choices(db.session, language())
    if not form.is_submitted():
        form.observes_holidays.data = ["MX"]
    hours = _posted_hours() if form.is_submitted() else _default_hours()
    others = {}
    if form.validate_on_submit():
        try:
            site = create_site(db.session, me(), form.data_for_service(request.form))
        except WorkflowError as error:
            others = show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Site %(name)s is created. Next: its inspectors and their shifts.", name=site.name), "info")
            return redirect(url_for("reference_data.site", site_id=site.id))
    return _form_page(form, hours, others, None)


@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
@planners_only
def site(site_id: int):
    site = found(Site, site_id)
    if request.method == "GET":
        form = SiteForm(obj=site, formdata=None).with_choices(db.session, language())
        form.inspects_any.data = site.inspects_any
        form.commodities.data = [c.code for c in site.commodities]
        form.observes_holidays.data = list(site.observes_holidays or [])
        return _form_page(form, _hours_of(site), {}, site)
    form = SiteForm().with_choices(db.session, language())
    form.code.data, form.kind.data = site.code, site.kind  # neither changes
    others = {}
    if form.validate_on_submit():
        try:
            update_site(db.session, me(), site, form.data_for_service(request.form))
        except WorkflowError as error:
            others = show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Site %(name)s is saved.", name=site.name), "info")
            return redirect(url_for("reference_data.site", site_id=site.id))
    return _form_page(form, _posted_hours(), others, site)


def _form_page(form: SiteForm, hours: dict[str, tuple[str, str]], others: dict[str, str], site: Site | None):
    context = {"form": form, "hours": hours, "others": others, "site": site, "weekdays": WEEKDAY_NAMES,
               "zones": ZONES}
    if site is not None:
        today = utcnow().astimezone(ZoneInfo(site.timezone)).date()
        context["closures"] = db.session.scalars(sa.select(SiteClosure).where(
            SiteClosure.site_id == site.id, SiteClosure.last_day >= today).order_by(SiteClosure.first_day)).all()
        holidays = closed_days(db.session, [site], today, today + timedelta(days=UPCOMING_DAYS))[site.id]
        context["holidays"] = [day for day in holidays.values() if day.holiday is not None]
        context["closure_form"] = ClosureForm(formdata=None)
        context["inspectors"] = db.session.scalars(sa.select(Inspector).where(Inspector.home_site_id == site.id)
                                                   .options(selectinload(Inspector.qualifications))
                                                   .order_by(Inspector.agency, Inspector.code)).all()
    return render_template("reference/site.html", **context), 422 if any(form.errors.values()) or others else 200


def _hours_of(site: Site) -> dict[str, tuple[str, str]]:
    return {day: (h.open_time, h.close_time) for h in site.hours for day in h.days}


def _posted_hours() -> dict[str, tuple[str, str]]:
    return {day: (request.form.get(f"{day}_open", ""), request.form.get(f"{day}_close", "")) for day in WEEKDAYS}


def _default_hours() -> dict[str, tuple[str, str]]:
    """The seeded inland sites' hours, Monday to Saturday 06:00-20:00, as a starting point."""
    return {day: ("06:00", "20:00") for day in WEEKDAYS[:6]}

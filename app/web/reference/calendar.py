"""Days closed ahead: a site's dated closures (saying first what they strand) and the holiday calendars."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...extensions import db
from ...models import Holiday, Site, SiteClosure, utcnow
from ...models.calendar import HOLIDAY_COUNTRIES
from ...services.errors import WorkflowError
from ...services.planning.calendar import add_closure, add_holiday, inspections_on, remove_closure, remove_holiday
from .blueprint import bp
from .common import found, me, planners_only, show_refusal
from .forms import ButtonForm, ClosureForm, HolidayForm


@bp.route("/sites/<int:site_id>/closures", methods=["POST"], endpoint="add_closure")
@planners_only
def add_closure_page(site_id: int):
    site = found(Site, site_id)
    form = ClosureForm()
    if form.validate_on_submit():
        stranded = inspections_on(db.session, site, form.first_day.data, form.last_day.data)
        if stranded and not form.confirmed.data and form.last_day.data >= form.first_day.data:
            return render_template("reference/closure_confirm.html", site=site, form=form, stranded=stranded)
        try:
            add_closure(db.session, me(), site, form.first_day.data, form.last_day.data, form.reason.data)
        except WorkflowError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("%(site)s is closed from %(first)s to %(last)s.", site=site.name, first=form.first_day.data,
                    last=form.last_day.data), "info")
            return redirect(url_for("reference_data.site", site_id=site.id))
    for name, errors in form.errors.items():
        for error in errors:
            flash(f"{getattr(form, name).label.text}: {error}", "error")
    return redirect(url_for("reference_data.site", site_id=site.id))


@bp.route("/closures/<int:closure_id>/remove", methods=["POST"], endpoint="remove_closure")
@planners_only
def remove_closure_page(closure_id: int):
    closure = found(SiteClosure, closure_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    site_id = closure.site_id
    remove_closure(db.session, me(), closure)
    db.session.commit()
    flash(_("The closure is removed: the site is open on those days again."), "info")
    return redirect(url_for("reference_data.site", site_id=site_id))


@bp.route("/holidays", methods=["GET", "POST"])
@planners_only
def holidays():
    year = _year(request.args.get("year"))
    form = HolidayForm()
    if form.validate_on_submit():
        try:
            holiday = add_holiday(db.session, me(), form.country.data, form.day.data, form.name_en.data,
                                  form.name_es.data)
        except WorkflowError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("%(day)s is a holiday now.", day=holiday.day), "info")
            return redirect(url_for("reference_data.holidays", year=holiday.day.year))
    rows = db.session.scalars(sa.select(Holiday).where(Holiday.day.between(date(year, 1, 1), date(year, 12, 31)))
                              .order_by(Holiday.day, Holiday.country)).all()
    return render_template("reference/holidays.html", form=form, rows=rows, year=year, countries=HOLIDAY_COUNTRIES,
                           remove=ButtonForm(formdata=None)), 422 if form.errors else 200


@bp.route("/holidays/<int:holiday_id>/remove", methods=["POST"], endpoint="remove_holiday")
@planners_only
def remove_holiday_page(holiday_id: int):
    holiday = found(Holiday, holiday_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    year = holiday.day.year
    remove_holiday(db.session, me(), holiday)
    db.session.commit()
    flash(_("The holiday is removed."), "info")
    return redirect(url_for("reference_data.holidays", year=year))


def _year(value: str | None) -> int:
    this_year = utcnow().year
    return int(value) if value and value.isdigit() and 2000 <= int(value) <= 2100 else this_year

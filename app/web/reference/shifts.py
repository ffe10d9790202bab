"""Shifts a week at a time for a site's inspectors: edit the week, fill it with a pattern, copy last
week; and shifts from a CSV file."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...extensions import db
from ...models import Site, utcnow
from ...models.site import WEEKDAYS
from ...services.errors import WorkflowError
from ...services.planning.calendar import closed_days
from ...services.planning.shift_csv import COLUMNS, import_shifts
from ...services.planning.shifts import copy_week, set_week, shifts_by_day, site_inspectors, week_days
from .blueprint import bp
from .common import found, me, planners_only, show_refusal
from .forms import WEEKDAY_NAMES, ButtonForm, ShiftCsvForm


def _monday(site: Site) -> date:
    """The week asked for (any day of it), else the coming week: the one to plan."""
    try:
        day = date.fromisoformat(request.args.get("start", ""))
    except ValueError:
        day = utcnow().astimezone(ZoneInfo(site.timezone)).date() + timedelta(days=7)
    day = min(max(day, date(2000, 1, 3)), date(2100, 12, 27))
    return day - timedelta(days=day.weekday())


@bp.route("/sites/<int:site_id>/week", methods=["GET", "POST"])
@planners_only
def week(site_id: int):
    site, problems = found(Site, site_id), {}
    monday = _monday(site)
    form = ButtonForm()
    if form.validate_on_submit():
        action = request.form.get("action", "save")
        try:
            report = _act(site, monday, action)
        except WorkflowError as error:
            problems = show_refusal(None, error)
        else:
            db.session.commit()
            flash(_("Shifts of the week: %(added)d added, %(changed)d changed, %(removed)d removed; %(closed)d "
                    "skipped on closed days, %(taken)d where a shift was already.", added=report.added,
                    changed=report.changed, removed=report.removed, closed=report.skipped_closed,
                    taken=report.skipped_taken), "info")
            return redirect(url_for("reference_data.week", site_id=site.id, start=monday.isoformat()))
    return _page(site, monday, problems)


def _act(site: Site, monday: date, action: str):
    if action == "copy":
        return copy_week(db.session, me(), site, monday)
    cells = _posted_cells(site, monday)
    if action == "fill":
        days = set(request.form.getlist("fill_days"))
        times = (request.form.get("fill_start", "").strip(), request.form.get("fill_end", "").strip())
        for (code, day), wanted in list(cells.items()):
            if wanted is None and WEEKDAYS[day.weekday()] in days:
                cells[(code, day)] = times
    return set_week(db.session, me(), site, monday, cells)


def _posted_cells(site: Site, monday: date) -> dict[tuple[str, date], tuple[str, str] | None]:
    cells = {}
    for inspector in site_inspectors(db.session, site):
        for day in week_days(monday):
            start = request.form.get(f"{inspector.code}|{day}|start", "").strip()
            end = request.form.get(f"{inspector.code}|{day}|end", "").strip()
            cells[(inspector.code, day)] = (start, end) if start or end else None
    return cells


def _page(site: Site, monday: date, problems: dict[str, str]):
    days = week_days(monday)
    rows = []
    for inspector in site_inspectors(db.session, site):
        by_day = shifts_by_day(inspector, site.timezone, days)
        rows.append((inspector, [(day, by_day[day]) for day in days]))
    closed = closed_days(db.session, [site], days[0], days[-1])[site.id]
    posted = request.form if request.method == "POST" else {}
    status = 422 if problems else 200
    return render_template("reference/week.html", site=site, monday=monday, days=days, rows=rows, closed=closed,
                           problems=problems, posted=posted, form=ButtonForm(formdata=None), weekdays=WEEKDAY_NAMES,
                           zone=ZoneInfo(site.timezone), previous=monday - timedelta(days=7),
                           following=monday + timedelta(days=7)), status


@bp.route("/shifts/import", methods=["GET", "POST"], endpoint="import_shifts")
@planners_only
def import_shifts_page():
    form, problems = ShiftCsvForm(), {}
    upload = request.files.get("file")
    if request.method == "POST" and upload and upload.filename and not form.text.data:
        form.text.data = upload.read(400_001).decode("utf-8-sig", errors="replace")
    if form.validate_on_submit():
        try:
            added = import_shifts(db.session, me(), form.text.data)
        except WorkflowError as error:
            problems = show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("%(count)d shifts added from the file.", count=added), "info")
            return redirect(url_for("reference_data.import_shifts"))
    return render_template("reference/import_shifts.html", form=form, problems=problems,
                           columns=",".join(COLUMNS)), 422 if problems or form.errors else 200


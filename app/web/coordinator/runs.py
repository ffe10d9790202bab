"""Optimizer runs: start one for a horizon, watch it, look at the plan, publish it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ...auth.decorators import role_required
from ...extensions import db
from ...models import ScheduleAssignment, ScheduleRun, User, utcnow
from ...services.errors import WorkflowError
from ...services.planning.publishing import InvalidPlan, live_run, preview_publish, publish_run
from ...services.planning.runs import cancel_run as cancel
from ...services.planning.runs import start_run
from .blueprint import bp
from .forms import ConfirmForm, StartRunForm

# Horizons are whole days in central Mexico time, where most joint inland sites are.
PLANNING_ZONE = ZoneInfo("America/Mexico_City")


@bp.route("/runs", methods=["GET", "POST"])
@role_required("coordinator", "admin")
def runs():
    form = StartRunForm()
    if not form.is_submitted():
        form.start_date.data = utcnow().astimezone(PLANNING_ZONE).date()
    if form.validate_on_submit():
        start = datetime.combine(form.start_date.data, time(0), PLANNING_ZONE)
        try:
            run = start_run(db.session, _me(), start, start + timedelta(days=form.days.data),
                            time_limit_s=form.time_limit_s.data)
        except WorkflowError as error:
            form.time_limit_s.errors.append(error.message)
        else:
            db.session.commit()
            current_app.extensions["run_executor"].submit(run.id)
            return redirect(url_for("coordinator.run", run_id=run.id))
    recent = db.session.scalars(sa.select(ScheduleRun).order_by(ScheduleRun.created_at.desc()).limit(20)).all()
    return render_template("coordinator/runs.html", form=form, runs=recent), 422 if form.errors else 200


@bp.route("/runs/<int:run_id>")
@role_required("coordinator", "admin")
def run(run_id: int):
    run = _run(run_id)
    return _run_page(run)


def _run_page(run: ScheduleRun, publish_errors: list[str] | None = None) -> str:
    assignments = db.session.scalars(
        sa.select(ScheduleAssignment).where(ScheduleAssignment.run_id == run.id)
        .options(selectinload(ScheduleAssignment.inspectors), selectinload(ScheduleAssignment.request),
                 selectinload(ScheduleAssignment.site))
        .order_by(ScheduleAssignment.site_id, ScheduleAssignment.start)
    ).all()
    return render_template("coordinator/run.html", run=run, assignments=assignments, form=ConfirmForm(),
                           publish_errors=publish_errors or [])


RUN_STATUS_LABELS = {"queued": _l("waiting to start"), "running": _l("running"), "succeeded": _l("finished"),
                     "failed": _l("failed"), "cancelled": _l("cancelled")}


@bp.route("/runs/<int:run_id>/progress.json")
@role_required("coordinator", "admin")
def run_progress(run_id: int):
    run = _run(run_id)
    return jsonify(status=run.status, status_label=str(RUN_STATUS_LABELS.get(run.status, run.status)),
                   started_at=run.started_at.isoformat() if run.started_at else None,
                   progress=run.progress or {}, error=run.error)


@bp.route("/runs/<int:run_id>/cancel", methods=["POST"])
@role_required("coordinator", "admin")
def cancel_run(run_id: int):
    """End a queued or running run now (a stuck one too); its solver stops at its next heartbeat."""
    _run(run_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        cancel(db.session, _me(), run_id)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _run_page(_run(run_id)), 409
    current_app.extensions["run_executor"].cancel(run_id)
    flash(_("Run %(id)s is cancelled.", id=run_id), "info")
    return redirect(url_for("coordinator.run", run_id=run_id))


@bp.route("/runs/<int:run_id>/publish", methods=["GET", "POST"])
@role_required("coordinator", "admin")
def publish(run_id: int):
    """GET: what publishing would change in the live plan, tried and undone; POST (confirmed): publish."""
    run = _run(run_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            report = publish_run(db.session, _me(), run_id)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            return _run_page(_run(run_id), publish_errors=_refusals(error)), 409
        flash(_("Published: %(count)d shipments scheduled; %(kept)d inspections kept as they were, %(moved)d moved, "
                "%(added)d added, %(dropped)d dropped.", count=len(report.published), **report.changes), "info")
        return redirect(url_for("coordinator.run", run_id=run_id))
    try:
        report = preview_publish(db.session, _me(), run_id)
    except WorkflowError as error:
        db.session.rollback()
        return _run_page(_run(run_id), publish_errors=_refusals(error)), 409
    live = live_run(db.session, run.horizon_start, run.horizon_end)
    return render_template("coordinator/publish.html", run=_run(run_id), report=report, live=live, form=form)


def _refusals(error: WorkflowError) -> list[str]:
    return list(error.field_messages().values()) if isinstance(error, InvalidPlan) else [error.message]


def _run(run_id: int) -> ScheduleRun:
    run = db.session.get(ScheduleRun, run_id)
    if run is None:
        abort(404)
    return run


def _me() -> User:
    return db.session.get(User, current_user.id)

"""The plan board: timelines of a run, moving and pinning assignments, re-planning, comparing runs."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ...days import parse_day
from ...roles import PLANNERS
from ...auth.decorators import role_required
from ...extensions import db
from ...models import Shipment, ScheduleAssignment, ScheduleRun, Site, User
from .board_layout import GEOMETRY, VIEWS, build_board, colour_of, default_day
from .board_facts import commodity_names, pinned_count, unscheduled_of
from ...services.planning.compare import comparable_runs, compare_runs
from ...services.planning.moves import (
    Move, MoveCheck, MoveRefused, apply_move, check_move, editing_refusal, set_pinned, swap, unassign,
)
from ...services.errors import WorkflowError
from ...services.planning.runs import start_run
from .blueprint import bp
from .board_forms import move_form
from .forms import ConfirmForm
from .runs import PLANNING_ZONE



@bp.route("/runs/<int:run_id>/board")
@role_required(*PLANNERS)
def board(run_id: int):
    run = _run(run_id)
    if run.status != "succeeded":
        return redirect(url_for("coordinator.run", run_id=run.id))
    view = request.args.get("view") if request.args.get("view") in VIEWS else "site"
    period = "week" if request.args.get("week") or request.args.get("period") == "week" else "day"
    first_day = _day(request.args.get("week") or request.args.get("day")) or default_day(db.session, run, PLANNING_ZONE)
    language = str(get_locale())
    plan = build_board(db.session, run, view, period, first_day, language)
    return render_template("coordinator/board.html", board=plan, form=ConfirmForm(), language=language,
                           geo=GEOMETRY, colour_of=colour_of, commodity_names=commodity_names(db.session, language),
                           unscheduled=unscheduled_of(db.session, run), pinned=pinned_count(db.session, run))


@bp.route("/runs/<int:run_id>/assignments/<int:assignment_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def assignment(run_id: int, assignment_id: int):
    run, row = _assignment(run_id, assignment_id)
    form = move_form(db.session, row)
    check = None
    if form.validate_on_submit():
        try:
            check = apply_move(db.session, _me(), run, row, _move(form, row))
        except MoveRefused as refused:
            db.session.rollback()
            check = refused.check
        except WorkflowError as error:
            db.session.rollback()
            form.start.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Moved and pinned: %(reference)s. The next re-plan from this run keeps it.",
                    reference=row.request.reference), "info")
            return redirect(url_for("coordinator.board", run_id=run.id, view="site",
                                    day=row.start.astimezone(ZoneInfo(row.site.timezone)).date().isoformat()))
        run, row = _assignment(run_id, assignment_id)
    refused = bool(form.errors or (check and not check.ok))
    back_day = row.start.astimezone(ZoneInfo(row.site.timezone)).date().isoformat()
    others = [a for a in run.assignments if a.kind == row.kind and a.request_id != row.request_id]
    return render_template("coordinator/board_assignment.html", run=run, a=row, form=form, check=check,
                           pin_form=ConfirmForm(), locked=editing_refusal(run), back_day=back_day,
                           others=sorted(others, key=lambda a: a.start)), 422 if refused else 200


@bp.route("/runs/<int:run_id>/assignments/<int:assignment_id>/check", methods=["POST"])
@role_required(*PLANNERS)
def check(run_id: int, assignment_id: int):
    """The rules the edited move would break, for the form to show as the coordinator types."""
    run, row = _assignment(run_id, assignment_id)
    form = move_form(db.session, row)
    if not form.validate_on_submit():
        return jsonify(ok=False, violations=[], errors={k: v for k, v in form.errors.items()}), 422
    try:
        move = _move(form, row)
        result = check_move(db.session, run, row, move)
    except WorkflowError as error:
        return jsonify(ok=False, violations=[], errors={error.field or "start": [error.message]}), 422
    return jsonify(_check_json(result, move.start.tzinfo))


def _check_json(result: MoveCheck, zone) -> dict:
    return {"ok": result.ok, "end": result.end.astimezone(zone).isoformat(), "decision": result.decision,
            "rule": result.rule, "drops_border": result.drops_border,
            "violations": [{"rule": v.rule, "request": v.request, "message": v.message} for v in result.violations]}


@bp.route("/runs/<int:run_id>/assignments/<int:assignment_id>/pin", methods=["POST"])
@role_required(*PLANNERS)
def pin(run_id: int, assignment_id: int):
    run, row = _assignment(run_id, assignment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    pinned = request.form.get("pinned") == "1"
    try:
        set_pinned(db.session, _me(), run, row, pinned)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("Pinned: the next re-plan from this run keeps it.") if pinned
              else _("Released: the next re-plan may move it."), "info")
    return redirect(url_for("coordinator.assignment", run_id=run_id, assignment_id=assignment_id))


@bp.route("/runs/<int:run_id>/assignments/<int:assignment_id>/unassign", methods=["POST"])
@role_required(*PLANNERS)
def unassign_assignment(run_id: int, assignment_id: int):
    """Take the shipment off the plan (on the live plan, its inspections are cancelled)."""
    run, row = _assignment(run_id, assignment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reference = row.request.reference
    try:
        unassign(db.session, _me(), run, row)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("coordinator.assignment", run_id=run_id, assignment_id=assignment_id))
    flash(_("%(reference)s is off the plan and waits to be planned again.", reference=reference), "info")
    return redirect(url_for("coordinator.board", run_id=run_id))


@bp.route("/runs/<int:run_id>/assignments/<int:assignment_id>/swap", methods=["POST"])
@role_required(*PLANNERS)
def swap_assignment(run_id: int, assignment_id: int):
    """Exchange places, times and teams with another inspection of the same kind."""
    run, row = _assignment(run_id, assignment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    other = db.session.get(ScheduleAssignment, request.form.get("other", type=int) or 0)
    if other is None or other.run_id != run.id:
        flash(_("Choose the inspection to swap with."), "error")
        return redirect(url_for("coordinator.assignment", run_id=run_id, assignment_id=assignment_id))
    try:
        swap(db.session, _me(), run, row, other)
        db.session.commit()
    except MoveRefused as refused:
        db.session.rollback()
        flash(_("Refused: nothing was changed.") + " " + refused.message, "error")
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("Swapped %(a)s and %(b)s; both are pinned.", a=row.request.reference, b=other.request.reference),
              "info")
    return redirect(url_for("coordinator.assignment", run_id=run_id, assignment_id=assignment_id))


@bp.route("/runs/<int:run_id>/replan", methods=["POST"])
@role_required(*PLANNERS)
def replan(run_id: int):
    """A new run for the same horizon that keeps this run's pinned assignments."""
    run = _run(run_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        child = start_run(db.session, _me(), run.horizon_start, run.horizon_end,
                          time_limit_s=(run.settings or {}).get("time_limit_s", 30),
                          workers=(run.settings or {}).get("workers", 2), parent=run)
    except WorkflowError as error:
        flash(error.message, "error")
        return redirect(url_for("coordinator.board", run_id=run.id))
    db.session.commit()
    current_app.extensions["run_executor"].submit(child.id)
    return redirect(url_for("coordinator.run", run_id=child.id))


@bp.route("/runs/compare")
@role_required(*PLANNERS)
def compare():
    runs = comparable_runs(db.session)
    a, b = _optional_run("a"), _optional_run("b")
    if b is None and a is not None:  # the run it was re-planned from, else the latest other one
        b = (db.session.get(ScheduleRun, a.parent_run_id) if a.parent_run_id else None) \
            or next((r for r in runs if r.id != a.id), None)
    comparison = compare_runs(db.session, a, b) if a and b else None
    return render_template("coordinator/compare.html", runs=runs, a=a, b=b, comparison=comparison)


def _optional_run(name: str) -> ScheduleRun | None:
    value = request.args.get(name, type=int)
    if value is None:
        return None
    run = db.session.get(ScheduleRun, value)
    if run is None:
        abort(404)
    return run


def _move(form, row: ScheduleAssignment) -> Move:
    site = db.session.get(Site, form.site.data)
    if site is None:
        raise WorkflowError(_("Choose a site."), field="site")
    start = form.start.data.replace(tzinfo=ZoneInfo(site.timezone))
    return Move(start=start, site_id=site.id, inspector_ids=tuple(f.data for f in form.agency_fields()))


def _run(run_id: int) -> ScheduleRun:
    run = db.session.get(ScheduleRun, run_id)
    if run is None:
        abort(404)
    return run


def _assignment(run_id: int, assignment_id: int) -> tuple[ScheduleRun, ScheduleAssignment]:
    run = _run(run_id)
    row = db.session.scalar(
        sa.select(ScheduleAssignment).where(ScheduleAssignment.id == assignment_id, ScheduleAssignment.run_id == run.id)
        .options(selectinload(ScheduleAssignment.request).selectinload(Shipment.commodity),
                 selectinload(ScheduleAssignment.site), selectinload(ScheduleAssignment.inspectors))
    )
    if row is None:
        abort(404)
    return run, row


def _day(value: str | None) -> date | None:
    try:
        return parse_day(value) if value else None
    except ValueError:
        return None


def _me() -> User:
    return db.session.get(User, current_user.id)


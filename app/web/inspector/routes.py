"""The inspector's assignments by day, and recording a joint inspection's result and seals."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ...auth.decorators import role_required
from ...extensions import db
from ...models import utcnow
from ...services import recognition
from ...services.border import seal_stock
from ...services.border import overview as seal_service
from ...services.errors import WorkflowError
from ...services.border.scope import inspector_of
from .blueprint import bp
from .forms import ResultForm


@bp.route("/")
@role_required("inspector")
def home():
    now = utcnow()
    inspector = inspector_of(db.session, current_user)
    # "Today" is the inspector's own day, where they are based.
    today = now.astimezone(ZoneInfo(inspector.home_site.timezone)).date() if inspector else now.date()
    days = seal_service.assignments_by_day(db.session, current_user, now)
    changes = seal_service.recent_changes(db.session, current_user, now)
    return render_template("inspector/home.html", inspector=inspector, days=days, today=today, changes=changes)


@bp.route("/inspections/<int:inspection_id>", methods=["GET", "POST"])
@role_required("inspector")
def inspection(inspection_id: int):
    try:
        inspection = seal_service.booked_inspection(db.session, current_user, inspection_id)
    except seal_service.OutOfScope:
        abort(404)
    form = ResultForm(version=inspection.version_id)
    status = 200
    if form.validate_on_submit():
        status = _record(inspection, form)
        if status == 200:
            return redirect(url_for("inspector.inspection", inspection_id=inspection_id))
    elif form.is_submitted():
        status = 422
    return _page(inspection, form), status


def _record(inspection, form: ResultForm) -> int:
    """Call the workflow; put its refusal next to the field it names. 200 means done."""
    rows = form.seal_rows()
    try:
        outcome = seal_service.record_result(
            db.session, current_user, inspection, form.result.data, form.findings.data,
            [(number, kind) for _index, number, kind in rows], expected_version=_int(form.version.data))
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        _attach(form, rows, error)
        return 422
    except (StaleDataError, IntegrityError):
        # Someone recorded at the same time: the version column or the unique seal number caught it.
        db.session.rollback()
        flash(_("Someone else recorded this inspection meanwhile; check the page again."), "error")
        return 409
    flash(_("Result recorded.") + " " + seal_service.decision_summary(outcome.decision), "success")
    return 200


def _attach(form: ResultForm, rows: list[tuple[int, str, str]], error: WorkflowError) -> None:
    field = error.field or ""
    if field.startswith("seals[") and field.endswith("]"):
        row = rows[int(field[6:-1])][0]
        form.seals[row].form.number.errors = [error.message]
    elif field in ("result", "findings"):
        getattr(form, field).errors = [error.message]
    elif field == "seals":
        form.seals[0].form.number.errors = [error.message]
    else:
        form.form_errors.append(error.message)


def _page(inspection, form: ResultForm):
    request = inspection.request
    return render_template(
        "inspector/inspection.html", inspection=inspection, shipment=request, form=form,
        seals=seal_service.shipment_seals(db.session, request),
        decisions=seal_service.decision_trail(db.session, request),
        current=recognition.current_decision(db.session, request), reason_line=seal_service.reason_line,
        stock=seal_stock.stock_of(db.session, inspection.site),
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None

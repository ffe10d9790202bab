"""Requesting an inspection: the form with its pre-check, changing a request, and cancelling one."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...models import Shipment, utcnow
from ...services.errors import WorkflowError
from ...services.shipments.records import (
    EDITABLE_STATUSES, cancel_request, create_request, update_request,
)
from ...services.shipments import lifecycle
from ...services.shipments.checks import InvalidRequest, check_request
from ...services.shipments.precheck import precheck_for, precheck_payload
from .blueprint import bp
from .forms import NEW_REQUEST_VALUES, form_choices, form_values, request_form_data
from .routes import owned_request


def _render_form(values: dict[str, Any], errors: dict[str, str], shipment: Shipment | None = None,
                 precheck=None, status: int = 200):
    return render_template("exporter/request_form.html", values=values, errors=errors, shipment=shipment,
                           choices=form_choices(db.session), precheck=precheck), status


def _precheck_or_errors(data: dict[str, Any]):
    try:
        return precheck_for(db.session, current_user.exporter_id, data), {}
    except InvalidRequest as refused:
        return None, refused.texts()


@bp.route("/requests/new", methods=["GET", "POST"])
@role_required("exporter")
def new_request():
    if request.method == "GET":
        return _render_form(dict(NEW_REQUEST_VALUES), {})
    data = request_form_data(request.form)
    if request.form.get("action") == "precheck":
        precheck, errors = _precheck_or_errors(data)
        return _render_form(data, errors, precheck=precheck)
    try:
        created = create_request(db.session, current_user, data)
        db.session.commit()
    except InvalidRequest as refused:
        db.session.rollback()
        return _render_form(data, refused.texts(), precheck=_precheck_or_errors(data)[0], status=422)
    flash(_("Inspection requested: %(reference)s.", reference=created.reference), "success")
    return redirect(url_for("exporter.shipment", request_id=created.id))


@bp.route("/requests/check", methods=["POST"])
@role_required("exporter")
def check_form():
    """The form checked as the user types: field errors and the pre-check, as JSON for request-form.js."""
    data = request_form_data(request.form)
    try:
        check_request(db.session, data, utcnow())
        errors: dict[str, str] = {}
    except InvalidRequest as refused:
        errors = refused.texts()
    precheck, _precheck_errors = _precheck_or_errors(data)
    return jsonify(errors=errors, precheck=precheck_payload(precheck) if precheck else None)


@bp.route("/shipments/<int:request_id>/edit", methods=["GET", "POST"])
@role_required("exporter")
def edit_request(request_id: int):
    shipment = owned_request(request_id)
    if shipment.status not in EDITABLE_STATUSES:
        flash(_("Only a request not yet scheduled can be changed."), "error")
        return redirect(url_for("exporter.shipment", request_id=shipment.id))
    if request.method == "GET":
        return _render_form(form_values(shipment), {}, shipment=shipment)
    data = request_form_data(request.form)
    if request.form.get("action") == "precheck":
        precheck, errors = _precheck_or_errors(data)
        return _render_form(data, errors, shipment=shipment, precheck=precheck)
    try:
        update_request(db.session, current_user, shipment, data, _version(request.form))
        db.session.commit()
    except InvalidRequest as refused:
        db.session.rollback()
        return _render_form(data, refused.texts(), shipment=shipment, status=422)
    except WorkflowError as conflict:
        db.session.rollback()
        flash(conflict.message, "error")
        return redirect(url_for("exporter.shipment", request_id=request_id))
    flash(_("Request %(reference)s changed.", reference=shipment.reference), "success")
    return redirect(url_for("exporter.shipment", request_id=shipment.id))


@bp.route("/shipments/<int:request_id>/cancel", methods=["GET", "POST"])
@role_required("exporter")
def cancel(request_id: int):
    shipment = owned_request(request_id)
    if not lifecycle.can(shipment, "cancel"):
        flash(_("Only a requested or scheduled shipment can be cancelled."), "error")
        return redirect(url_for("exporter.shipment", request_id=shipment.id))
    if request.method == "GET":
        return render_template("exporter/cancel.html", shipment=shipment)
    try:
        cancel_request(db.session, current_user, shipment, _version(request.form), request.form.get("reason"))
        db.session.commit()
    except WorkflowError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for("exporter.shipment", request_id=request_id))
    flash(_("Shipment %(reference)s cancelled.", reference=shipment.reference), "success")
    return redirect(url_for("exporter.shipment", request_id=shipment.id))


def _version(form) -> int | None:
    value = form.get("version_id", "")
    return int(value) if value.isdigit() else None

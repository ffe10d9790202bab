"""Inspection requests and the mutual-recognition pre-check: exporters their own, agency staff all."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..roles import SHIPMENT_READERS
from ..extensions import db
from ..models import Shipment
from ..services.access.idempotency import idempotent
from ..services.errors import WorkflowError
from ..services.shipments.records import (
    RequestConflict, RequestFilters, cancel_request, create_request, find_request, find_request_row,
    list_request_rows, update_request,
)
from ..services.shipments.precheck import precheck_for, precheck_payload
from . import requests_payload as payload
from .auth import api_roles
from .refusals import refuse
from .requests_schemas import (
    CancelSchema, PrecheckInSchema, PrecheckOutSchema, RequestInSchema, RequestOutSchema, RequestPageSchema,
    RequestPatchSchema, RequestQuerySchema,
)

blp = Blueprint("requests", __name__, url_prefix="", description="Inspection requests and the pre-check")
READERS = SHIPMENT_READERS


def _visible(request_id: int) -> Shipment:
    found = find_request(db.session, current_user, request_id)
    if found is None:
        abort(404, message="No such request.")
    return found


def _owned(request_id: int) -> Shipment:
    """Only the exporter that owns a request changes it; others do not learn it exists."""
    found = _visible(request_id)
    if found.exporter_id != current_user.exporter_id:
        abort(404, message="No such request.")
    return found


def _version(body: dict[str, Any]) -> int:
    """The version being changed: the If-Match header ("3" or W/"3") or version_id in the body."""
    in_body = body.pop("version_id", None)
    header = request.headers.get("If-Match", "").strip()
    if header:
        digits = header.removeprefix("W/").strip('"')
        if not digits.isdigit():
            abort(422, message="If-Match must be a version number.",
                  errors={"headers": {"If-Match": ["Not a version."]}})
        return int(digits)
    if in_body is not None:
        return in_body
    abort(428, message="Send If-Match or version_id: the version you are changing.",
          errors={"json": {"version_id": ["Missing."]}})


def _etag(found: Shipment | Any) -> dict[str, str]:
    """The version as an ETag, of a request or of its row."""
    return {"ETag": f'"{found.version_id}"'}


@blp.route("/requests")
class Requests(MethodView):
    @api_roles(*READERS)
    @blp.arguments(RequestQuerySchema, location="query")
    @blp.response(200, RequestPageSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    def get(self, args: dict[str, Any]):
        """List requests (exporters: their company's), newest ready time first"""
        page = list_request_rows(db.session, current_user, RequestFilters(
            args.get("status"), args.get("date_from"), args.get("date_to"), args["page"], args["page_size"]),
            payload.COLUMNS)
        return jsonify(items=payload.payloads(db.session, page.items), total=page.total, page=page.page,
                       page_size=page.page_size, pages=page.pages)

    @api_roles("exporter")
    @idempotent
    @blp.arguments(RequestInSchema)
    @blp.response(201, RequestOutSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Only exporters request inspections")
    def post(self, data: dict[str, Any]):
        """Request an inland joint inspection for one shipment"""
        try:
            created = create_request(db.session, current_user, data)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused, "status" if isinstance(refused, RequestConflict) else "json")
        return created, 201, {"Location": f"/api/v1/requests/{created.id}", **_etag(created)}


@blp.route("/requests/<int:request_id>")
class RequestItem(MethodView):
    @api_roles(*READERS)
    @blp.response(200, RequestOutSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    @blp.alt_response(404, description="No such request (or not yours)")
    def get(self, request_id: int):
        """One request, with its inspections (id, kind, site, times, inspectors, status, what last changed)"""
        row = find_request_row(db.session, current_user, request_id, payload.COLUMNS)
        if row is None:
            abort(404, message="No such request.")
        inspections = payload.inspections(db.session, row.id, for_exporter=current_user.role == "exporter")
        body = payload.payloads(db.session, [row])[0] | {"inspections": inspections}
        return jsonify(body), 200, _etag(row)

    @api_roles("exporter")
    @blp.arguments(RequestPatchSchema(partial=True))
    @blp.response(200, RequestOutSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    @blp.alt_response(404, description="No such request (or not yours)")
    @blp.alt_response(409, description="Changed by someone else, or already scheduled")
    @blp.alt_response(428, description="No If-Match header or version_id")
    def patch(self, changes: dict[str, Any], request_id: int):
        """Change a request that is not yet scheduled"""
        found = _owned(request_id)
        version = _version(changes)
        try:
            update_request(db.session, current_user, found, changes, version)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused, "status" if isinstance(refused, RequestConflict) else "json")
        return found, 200, _etag(found)


@blp.route("/requests/<int:request_id>/cancel")
class RequestCancel(MethodView):
    @api_roles("exporter")
    @blp.arguments(CancelSchema)
    @blp.response(200, RequestOutSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    @blp.alt_response(404, description="No such request (or not yours)")
    @blp.alt_response(409, description="Changed by someone else, or past scheduling")
    @blp.alt_response(428, description="No If-Match header or version_id")
    def post(self, body: dict[str, Any], request_id: int):
        """Cancel a requested or scheduled request; its planned inspections are released"""
        found = _owned(request_id)
        version = _version(body)
        try:
            cancel_request(db.session, current_user, found, version, body.get("reason"))
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused, "status" if isinstance(refused, RequestConflict) else "json")
        return found, 200, _etag(found)


@blp.route("/precheck")
class Precheck(MethodView):
    @api_roles("exporter")
    @blp.arguments(PrecheckInSchema)
    @blp.response(200, PrecheckOutSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Only exporters")
    def post(self, data: dict[str, Any]):
        """Which rules would waive the border inspection of this shipment, and what is missing"""
        try:
            result = precheck_for(db.session, current_user.exporter_id, data)
        except WorkflowError as refused:
            refuse(refused, "status" if isinstance(refused, RequestConflict) else "json")
        return precheck_payload(result)

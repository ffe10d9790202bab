"""Seals of a shipment, their verification at the border, electronic seal events, decision trails."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..roles import PROGRAM_STAFF
from ..extensions import db
from ..models import Inspection, Shipment, InspectorBooking, Inspector
from ..services import recognition
from ..services.border import overview as seal_service
from ..services.border.border_result import record_border_result
from .auth import api_roles
from .inspections import outcome_body
from .seals_schemas import (
    BorderResultInSchema,
    DecisionSchema, OutcomeSchema, ReinstatementInSchema, SealEventInSchema, SealEventOutcomeSchema, SealSchema,
    VerificationInSchema,
)
from .seals_support import document_errors, run_workflow

blp = Blueprint("seals", __name__, url_prefix="", description="Seals and border decisions")
ALL_SHIPMENTS = PROGRAM_STAFF


def visible_request(request_id: int, message: str = "Not found.") -> Shipment:
    """The shipment if the caller may see it: their company's, their port's, one they inspect; else 404."""
    query = sa.select(Shipment).where(Shipment.id == request_id)
    role = current_user.role
    if role == "exporter":
        query = query.where(Shipment.exporter_id == current_user.exporter_id)
    elif role == "officer":
        port_id = seal_service.officer_port_id(db.session, current_user)
        query = query.where(Shipment.port_id == port_id) if port_id else query.where(sa.false())
    elif role == "inspector":
        booked = (sa.select(Inspection.request_id).join(InspectorBooking)
                  .join(Inspector, Inspector.id == InspectorBooking.inspector_id)
                  .where(Inspector.user_id == current_user.id, InspectorBooking.active))
        query = query.where(Shipment.id.in_(booked))
    elif role not in ALL_SHIPMENTS:
        query = query.where(sa.false())
    request = db.session.scalar(query)
    if request is None:
        abort(404, message=message)
    return request


@blp.route("/requests/<int:request_id>/seals")
class RequestSeals(MethodView):
    @api_roles()
    @blp.response(200, SealSchema(many=True))
    @document_errors(blp, 401, 404)
    def get(self, request_id: int):
        """The seals of a shipment, with what happened to each"""
        return seal_service.shipment_seals(db.session, visible_request(request_id))


@blp.route("/requests/<int:request_id>/decisions")
class RequestDecisions(MethodView):
    @api_roles()
    @blp.response(200, DecisionSchema(many=True))
    @document_errors(blp, 401, 404)
    def get(self, request_id: int):
        """A shipment's decision trail: every border decision, oldest first, with its rule version"""
        return seal_service.decision_trail(db.session, visible_request(request_id))


@blp.route("/requests/<int:request_id>/seal-verification")
class SealVerification(MethodView):
    @api_roles("officer")
    @blp.arguments(VerificationInSchema)
    @blp.response(200, OutcomeSchema)
    @document_errors(blp, 401, 403, 404, 409, 422)
    def post(self, body: dict, request_id: int):
        """Record a truck's arrival at the officer's port and verify its seals

        The rules decide again on what happened: the hours from the joint inspection to the arrival,
        the seals as found, the rule version in force on the arrival date. Intact, matching and in
        time: released with the border inspection waived. Broken, missing, another number or too late:
        the border inspection is required and the shipment queued at the port.
        """
        request = run_workflow(seal_service.officer_request, current_user, request_id)
        outcome = run_workflow(seal_service.verify_seals, current_user, request, body["observations"],
                               body["presented"], arrived_at=body["arrived_at"], expected_version=body["version"])
        return outcome_body(outcome)


@blp.route("/requests/<int:request_id>/reinstatement")
class Reinstatement(MethodView):
    @api_roles("officer")
    @blp.arguments(ReinstatementInSchema)
    @blp.response(200, OutcomeSchema)
    @document_errors(blp, 401, 403, 404, 409, 422)
    def post(self, body: dict, request_id: int):
        """Reinstate a shipment's border inspection, saying why"""
        request = run_workflow(seal_service.officer_request, current_user, request_id)
        outcome = run_workflow(seal_service.reinstate_inspection, current_user, request, body["reason"],
                               expected_version=body["version"])
        return outcome_body(outcome)


@blp.route("/requests/<int:request_id>/border-result")
class BorderResultView(MethodView):
    @api_roles("officer")
    @blp.arguments(BorderResultInSchema)
    @blp.response(200, OutcomeSchema)
    @document_errors(blp, 401, 403, 404, 409, 422)
    def post(self, body: dict, request_id: int):
        """Record the border inspection's result: pass releases the truck, fail rejects it, hold keeps it queued"""
        request = run_workflow(seal_service.officer_request, current_user, request_id)
        outcome = run_workflow(record_border_result, current_user, request, body["result"], body["findings"],
                               pests_found=body["pests_found"], expected_version=body["version"])
        return {"request": outcome.request, "seals": seal_service.shipment_seals(db.session, outcome.request),
                "decision": recognition.current_decision(db.session, outcome.request)}


@blp.route("/seal-events")
class SealEvents(MethodView):
    @api_roles("officer", "admin")
    @blp.arguments(SealEventInSchema)
    @blp.response(201, SealEventOutcomeSchema)
    @document_errors(blp, 401, 403, 409, 422)
    def post(self, body: dict):
        """Post an electronic seal's event (opened, closed, tamper)

        Opened or tampered with before the border check: the seal is broken and the border
        inspection reinstated.
        """
        return run_workflow(seal_service.post_seal_event, current_user, **body)

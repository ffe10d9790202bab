"""Is recognition safe: interceptions at the border, the emergency action notice, suspensions, risk flags,
and the interception rates of verified and inspected loads."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from ..extensions import db
from ..models import Interception, QuarantinePest, RiskFlag, Suspension, utcnow
from ..roles import PROGRAM_STAFF
from ..services.agreements import suspensions as suspension_service
from ..services.border.interceptions import Finding, record_interceptions, record_lab_result
from ..services.border.notices import emergency_action_notice, notice_xml
from ..services.dashboard.periods import PERIOD_KINDS, period_between, period_containing
from ..services.dashboard.safety import safety
from .auth import api_roles
from .certificates import XML_DOC
from .certificates_schemas import DocumentFormatSchema
from .safety_schemas import (
    InterceptionSchema, InterceptionsInSchema, LabResultInSchema, LiftInSchema, PestSchema, RiskFlagInSchema,
    RiskFlagSchema, SafetySchema, SuspensionSchema,
)
from .seals import visible_request
from .seals_support import document_errors, run_workflow

blp = Blueprint("safety", __name__, url_prefix="", description="Interceptions, suspensions and how safe recognition is")


@blp.route("/quarantine-pests")
class Pests(MethodView):
    @api_roles()
    @blp.response(200, PestSchema(many=True))
    @document_errors(blp, 401)
    def get(self):
        """The reference list of quarantine pests, with the commodities each is a risk for"""
        return db.session.scalars(sa.select(QuarantinePest).order_by(QuarantinePest.scientific_name)).all()


@blp.route("/requests/<int:request_id>/interceptions")
class RequestInterceptions(MethodView):
    @api_roles()
    @blp.response(200, InterceptionSchema(many=True))
    @document_errors(blp, 401, 404)
    def get(self, request_id: int):
        """What was intercepted at the shipment's border inspection"""
        shipment = visible_request(request_id)
        return db.session.scalars(sa.select(Interception).where(Interception.request_id == shipment.id)
                                  .order_by(Interception.recorded_at, Interception.id)).all()

    @api_roles("officer")
    @blp.arguments(InterceptionsInSchema)
    @blp.response(201, InterceptionSchema(many=True))
    @document_errors(blp, 401, 403, 404, 409, 422)
    def post(self, body: dict, request_id: int):
        """Record the pests found at the shipment's border inspection (one or more)

        Each actionable interception counts toward the agreement's suspension thresholds at once.
        """
        shipment = visible_request(request_id)
        findings = [Finding(**item) for item in body["interceptions"]]
        return run_workflow(record_interceptions, current_user, shipment, findings)


@blp.route("/interceptions/<int:interception_id>/lab-result")
class LabResult(MethodView):
    @api_roles("officer")
    @blp.arguments(LabResultInSchema)
    @blp.response(200, InterceptionSchema)
    @document_errors(blp, 401, 403, 404, 422)
    def post(self, body: dict, interception_id: int):
        """The laboratory's identification of an intercepted sample"""
        row = db.session.get(Interception, interception_id) or abort(404, message="Not found.")
        shipment = visible_request(row.request_id)
        return run_workflow(record_lab_result, current_user, shipment, row, body["result"], body["note"])


@blp.route("/requests/<int:request_id>/emergency-action-notice")
class Notice(MethodView):
    @api_roles("officer", *PROGRAM_STAFF)
    @blp.arguments(DocumentFormatSchema, location="query", unknown=RAISE)
    @blp.response(200, description="The notice (application/xml with format=xml)")
    @blp.doc(responses=XML_DOC)
    @document_errors(blp, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], request_id: int):
        """The emergency action notice to SENASICA, as JSON or, with ?format=xml, as XML"""
        shipment = visible_request(request_id)
        notice = run_workflow(lambda session: emergency_action_notice(session, shipment))
        if args["format"] == "xml":
            return Response(notice_xml(notice), mimetype="application/xml")
        return notice


@blp.route("/suspensions")
class Suspensions(MethodView):
    @api_roles()
    @blp.response(200, SuspensionSchema(many=True))
    @document_errors(blp, 401)
    def get(self):
        """Suspensions of recognition: staff see all, an exporter those that touch it"""
        return suspension_service.visible_suspensions(db.session, current_user)


@blp.route("/suspensions/<int:suspension_id>/lift")
class Lift(MethodView):
    @api_roles("supervisor")
    @blp.arguments(LiftInSchema)
    @blp.response(200, SuspensionSchema)
    @document_errors(blp, 401, 403, 404, 409, 422)
    def post(self, body: dict, suspension_id: int):
        """Sign the lift of a suspension for your agency; the second agency's signature lifts it"""
        suspension = db.session.get(Suspension, suspension_id) or abort(404, message="Not found.")
        return run_workflow(suspension_service.sign_lift, current_user, suspension, body["reason"])


@blp.route("/risk-flags")
class RiskFlags(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.response(200, RiskFlagSchema(many=True))
    @document_errors(blp, 401, 403)
    def get(self):
        """Commodities and origins flagged for more verification"""
        return db.session.scalars(sa.select(RiskFlag).order_by(RiskFlag.flagged_at.desc())).all()

    @api_roles("supervisor")
    @blp.arguments(RiskFlagInSchema)
    @blp.response(201, RiskFlagSchema)
    @document_errors(blp, 401, 403, 422)
    def post(self, body: dict):
        """Flag a commodity or an origin state: its waived loads are verified more often"""
        return run_workflow(suspension_service.flag_risk, current_user, body["commodity"], body["origin_state"],
                            body["reason"])


@blp.route("/risk-flags/<int:flag_id>/lower")
class LowerFlag(MethodView):
    @api_roles("supervisor")
    @blp.response(200, RiskFlagSchema)
    @document_errors(blp, 401, 403, 404, 409)
    def post(self, flag_id: int):
        """Lower a risk flag"""
        flag = db.session.get(RiskFlag, flag_id) or abort(404, message="Not found.")
        return run_workflow(suspension_service.lower_flag, current_user, flag)


class SafetyArgsSchema(Schema):
    class Meta:
        unknown = RAISE

    period = fields.String(load_default="quarter", validate=validate.OneOf(PERIOD_KINDS))
    on = fields.Date(load_default=None)
    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)


@blp.route("/metrics/safety")
class Safety(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.arguments(SafetyArgsSchema, location="query")
    @blp.response(200, SafetySchema)
    @document_errors(blp, 401, 403, 422)
    def get(self, args: dict[str, Any]):
        """Interception rates of verified waived loads and of inspected loads, with 95% intervals"""
        if (args["from_"] is None) != (args["to"] is None):
            abort(422, message="Give both from and to.", errors={"query": {"to": ["Give both from and to."]}})
        if args["from_"] is not None:
            if args["to"] < args["from_"]:
                abort(422, message="The period ends before it starts.",
                      errors={"query": {"to": ["The period ends before it starts."]}})
            period = period_between(args["from_"], args["to"])
        else:
            period = period_containing(args["period"], args["on"] or utcnow().date())
        return safety(db.session, period, utcnow())

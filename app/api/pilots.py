"""Pilots in the three corridors, their gates, and proposing a gate decision both agencies approve."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..extensions import db
from ..models import User, utcnow
from ..roles import PLANNERS, PROGRAM_STAFF
from ..services.agreements import pilots
from ..services.errors import WorkflowError
from .approvals_schemas import ProposalSchema
from .auth import api_roles
from .pilots_schemas import GateDecisionSchema, PilotSchema
from .refusals import refuse

blp = Blueprint("pilots_api", __name__, url_prefix="/pilots", description="Pilots with phases and gate reviews")


def _pilot(code: str):
    found = pilots.get_pilot(db.session, code)
    if found is None:
        abort(404, message=f"No pilot {code}.")
    return found


@blp.route("")
class Pilots(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.response(200, PilotSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    def get(self):
        """Every pilot with its corridor, companies, criteria and gates"""
        return pilots.pilots(db.session)


@blp.route("/<code>")
class PilotItem(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.response(200, PilotSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="Not found")
    def get(self, code: str):
        """One pilot"""
        return _pilot(code)


@blp.route("/<code>/gates/<int:phase>/decision")
class GateDecision(MethodView):
    @api_roles(*PLANNERS)
    @blp.arguments(GateDecisionSchema)
    @blp.response(202, ProposalSchema, description="Proposed: in effect when both agencies have approved it")
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="Not found")
    @blp.alt_response(409, description="A decision on this gate is already waiting for approval")
    @blp.alt_response(422, description="Invalid decision; errors name the field")
    def post(self, data: dict[str, Any], code: str, phase: int):
        """Read the gate's measures and propose pass, extend or stop"""
        pilot = _pilot(code)
        gate = next((g for g in pilot.gates if g.phase == phase), None)
        if gate is None:
            abort(404, message=f"No gate of phase {phase}.")
        try:
            proposal = pilots.propose_gate_decision(db.session, db.session.get(User, current_user.id), gate,
                                                    data["decision"], today=utcnow().date(), notes=data["notes"],
                                                    extend_to=data["extend_to"])
            db.session.commit()
        except WorkflowError as error:
            refuse(error)
        return proposal

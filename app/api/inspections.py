"""Joint inland inspections: recording the result and the seals applied."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from ..extensions import db
from ..services.border import overview as seal_service
from .auth import api_roles
from .seals_schemas import OutcomeSchema, ResultInSchema
from .seals_support import document_errors, run_workflow

blp = Blueprint("inspections", __name__, url_prefix="/inspections", description="Joint inland inspections")


def outcome_body(outcome) -> dict:
    return {"request": outcome.request, "seals": seal_service.shipment_seals(db.session, outcome.request),
            "decision": outcome.decision}


@blp.route("/<int:inspection_id>/result")
class InspectionResult(MethodView):
    @api_roles("inspector", "coordinator")
    @blp.arguments(ResultInSchema)
    @blp.response(200, OutcomeSchema)
    @document_errors(blp, 401, 403, 404, 409, 422)
    def post(self, body: dict, inspection_id: int):
        """Record a joint inspection's result and the seals applied

        Only inspectors booked on the inspection (and coordinators) may; a failed or held
        inspection cannot be sealed. The border decision is made again and answered.
        """
        inspection = run_workflow(seal_service.booked_inspection, current_user, inspection_id)
        seals = [(seal["number"], seal["kind"]) for seal in body["seals"]]
        outcome = run_workflow(seal_service.record_result, current_user, inspection, body["result"],
                               body["findings"], seals, expected_version=body["version"])
        return outcome_body(outcome)

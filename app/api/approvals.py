"""Changes both parties approve: list them, approve for your agency (the last approval makes it effective), withdraw."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..extensions import db
from ..models import ChangeProposal, User
from ..roles import APPROVERS, PROGRAM_STAFF
from ..services.agreements import approvals, changes
from ..services.errors import WorkflowError
from .approvals_schemas import ApproveSchema, ProposalQuerySchema, ProposalSchema
from .agreements import agreement_or_404
from .auth import api_roles
from .refusals import refuse

blp = Blueprint("approvals_api", __name__, url_prefix="/approvals",
                description="Rule versions, agreement status changes, milestones done and gate decisions both "
                            "parties approve")


def _proposal(proposal_id: int) -> ChangeProposal:
    found = db.session.get(ChangeProposal, proposal_id)
    if found is None:
        abort(404, message=f"No proposal {proposal_id}.")
    return found


def _me() -> User:
    return db.session.get(User, current_user.id)


@blp.route("")
class Proposals(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.arguments(ProposalQuerySchema, location="query")
    @blp.response(200, ProposalSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="No such agreement")
    def get(self, args: dict[str, Any]):
        """Proposals, newest first, by status, agreement or kind"""
        agreement = agreement_or_404(args["agreement"]) if args["agreement"] else None
        return approvals.proposals(db.session, status=args["status"], agreement=agreement, kind=args["kind"])


@blp.route("/<int:proposal_id>")
class ProposalItem(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.response(200, ProposalSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="Not found")
    def get(self, proposal_id: int):
        """One proposal with its trail: who approved, for which agency, when"""
        return _proposal(proposal_id)


@blp.route("/<int:proposal_id>/approve")
class Approve(MethodView):
    @api_roles(*APPROVERS)
    @blp.arguments(ApproveSchema)
    @blp.response(200, ProposalSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="Not found")
    @blp.alt_response(409, description="No longer waiting for approval, or changed since you read it")
    @blp.alt_response(422, description="Not yours to approve (your agency approved, or you did already)")
    def post(self, data: dict[str, Any], proposal_id: int):
        """Approve for your agency; the last party's approval makes the change effective"""
        proposal = _proposal(proposal_id)
        try:
            changes.approve(db.session, _me(), proposal, reference=data["reference"],
                            expected_version=data["version_id"])
            db.session.commit()
        except WorkflowError as error:
            refuse(error, "proposal")
        return proposal


@blp.route("/<int:proposal_id>/withdraw")
class Withdraw(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.response(200, ProposalSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="Not found")
    @blp.alt_response(409, description="No longer waiting for approval")
    @blp.alt_response(422, description="Only its proposer withdraws it")
    def post(self, proposal_id: int):
        """Withdraw a change you proposed, while it waits for approval"""
        proposal = _proposal(proposal_id)
        try:
            changes.withdraw(db.session, _me(), proposal)
            db.session.commit()
        except WorkflowError as error:
            refuse(error, "proposal")
        return proposal

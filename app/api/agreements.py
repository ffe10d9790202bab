"""Agreements, their versioned rules and Joint Work Plan milestones; coordinators write, supervisors read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..roles import PLANNERS, PROGRAM_STAFF
from ..extensions import db
from ..models import Milestone, Rule, User, utcnow
from ..services.agreements import rules as agreement_rules
from ..services.agreements import agreement as agreements
from ..services.agreements import changes, work_plan
from ..services.errors import WorkflowError
from .agreements_schemas import (
    AgreementCreateSchema, AgreementSchema, CompletionSchema, MilestoneCreateSchema, MilestonePatchSchema,
    MilestoneSchema, RuleCreateSchema, RuleListArgsSchema, RuleSchema, RuleVersionSchema, StatusChangeSchema,
)
from .approvals_schemas import ProposalSchema
from .auth import api_roles
from .refusals import refuse

blp = Blueprint("agreements_api", __name__, url_prefix="", description="Agreements, rules and the Joint Work Plan")
READERS, WRITERS = PROGRAM_STAFF, PLANNERS
PROPOSED = "Proposed: in effect when one approver of each party has approved it (see /approvals)"


def _me() -> User:
    return db.session.get(User, current_user.id)



def committed(action: Callable[[], Any]) -> Any:
    try:
        result = action()
        db.session.commit()
    except WorkflowError as error:
        refuse(error)
    return result


def agreement_or_404(code: str):
    agreement = agreements.get_agreement(db.session, code)
    if agreement is None:
        abort(404, message=f"No agreement {code}.")
    return agreement


def _document_errors(*codes: int) -> Callable:
    descriptions = {401: "Not signed in", 403: "Your role does not allow this", 404: "Not found",
                    409: "Changed by someone else since you read it", 422: "Invalid input; errors name the field"}

    def decorate(view: Callable) -> Callable:
        for code in codes:
            view = blp.alt_response(code, description=descriptions[code])(view)
        return view

    return decorate


@blp.route("/agreements")
class Agreements(MethodView):
    @api_roles(*READERS)
    @blp.response(200, AgreementSchema(many=True))
    @_document_errors(401, 403)
    def get(self):
        """List agreements"""
        return agreements.list_agreements(db.session)

    @api_roles(*WRITERS)
    @blp.arguments(AgreementCreateSchema)
    @blp.response(201, AgreementSchema)
    @_document_errors(401, 403, 422)
    def post(self, data: dict[str, Any]):
        """Create an agreement (as a draft)"""
        return committed(lambda: agreements.create_agreement(db.session, current_user, **data))


@blp.route("/agreements/<code>")
class AgreementItem(MethodView):
    @api_roles(*READERS)
    @blp.response(200, AgreementSchema)
    @_document_errors(401, 403, 404)
    def get(self, code: str):
        """One agreement with its status, since when and why"""
        return agreement_or_404(code)


@blp.route("/agreements/<code>/status")
class AgreementStatus(MethodView):
    @api_roles(*WRITERS)
    @blp.arguments(StatusChangeSchema)
    @blp.response(202, ProposalSchema, description=PROPOSED)
    @_document_errors(401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], code: str):
        """Propose to activate, suspend (with a reason), reactivate or expire an agreement"""
        agreement = agreement_or_404(code)
        return committed(lambda: changes.propose_status_change(
            db.session, _me(), agreement, data["status"], data["on"], data["reason"],
            expected_version=data["version_id"]))


@blp.route("/rules")
class Rules(MethodView):
    @api_roles(*READERS)
    @blp.arguments(RuleListArgsSchema, location="query")
    @blp.response(200, RuleSchema(many=True))
    @_document_errors(401, 403, 422)
    def get(self, args: dict[str, Any]):
        """Current rule versions (every version with all_versions=true)"""
        grouped = agreement_rules.rules_by_code(db.session, all_versions=args["all_versions"])
        return [rule for versions in grouped.values() for rule in versions]

    @api_roles(*WRITERS)
    @blp.arguments(RuleCreateSchema)
    @blp.response(202, ProposalSchema, description=PROPOSED)
    @_document_errors(401, 403, 404, 422)
    def post(self, data: dict[str, Any]):
        """Propose a rule (version 1) under an agreement"""
        agreement = agreement_or_404(data.pop("agreement"))
        code, note = data.pop("code"), data.pop("change_note", None)
        return committed(lambda: agreement_rules.propose_rule(db.session, _me(), agreement, code, data, note))


@blp.route("/rules/<code>/versions")
class RuleVersions(MethodView):
    @api_roles(*READERS)
    @blp.response(200, RuleSchema(many=True))
    @_document_errors(401, 403, 404)
    def get(self, code: str):
        """Every version of a rule, oldest first"""
        versions = agreement_rules.rule_versions(db.session, code)
        if not versions:
            abort(404, message=f"No rule {code}.")
        return versions

    @api_roles(*WRITERS)
    @blp.arguments(RuleVersionSchema)
    @blp.response(202, ProposalSchema, description=PROPOSED)
    @_document_errors(401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], code: str):
        """Propose a new version of a rule; the old one stays for the decisions made under it"""
        if db.session.scalar(sa.select(Rule.id).where(Rule.code == code).limit(1)) is None:
            abort(404, message=f"No rule {code}.")
        based_on, note = data.pop("based_on_version"), data.pop("change_note")
        return committed(lambda: agreement_rules.propose_rule_version(
            db.session, _me(), code, data, note, expected_version=based_on))


@blp.route("/agreements/<code>/milestones")
class Milestones(MethodView):
    @api_roles(*READERS)
    @blp.response(200, MilestoneSchema(many=True))
    @_document_errors(401, 403, 404)
    def get(self, code: str):
        """The agreement's Joint Work Plan milestones, by due date"""
        return work_plan.milestones(db.session, agreement_or_404(code))

    @api_roles(*WRITERS)
    @blp.arguments(MilestoneCreateSchema)
    @blp.response(201, MilestoneSchema)
    @_document_errors(401, 403, 404, 422)
    def post(self, data: dict[str, Any], code: str):
        """Add a milestone to the Joint Work Plan"""
        agreement = agreement_or_404(code)
        return committed(lambda: work_plan.create_milestone(db.session, current_user, agreement, **data))


@blp.route("/milestones/<int:milestone_id>")
class MilestoneItem(MethodView):
    @api_roles(*WRITERS)
    @blp.arguments(MilestonePatchSchema)
    @blp.response(200, MilestoneSchema)
    @_document_errors(401, 403, 404, 422)
    def patch(self, data: dict[str, Any], milestone_id: int):
        """Update a milestone's status (not done: propose its completion), due date, notes or the rules it gates"""
        milestone = _milestone(milestone_id)
        gates = data.pop("gates", None)

        def update() -> Milestone:
            if gates is not None:
                work_plan.set_gates(db.session, current_user, milestone, gates)
            return work_plan.update_milestone(db.session, current_user, milestone, today=utcnow().date(), **data)
        return committed(update)


def _milestone(milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        abort(404, message=f"No milestone {milestone_id}.")
    return milestone


@blp.route("/milestones/<int:milestone_id>/completion")
class MilestoneCompletion(MethodView):
    @api_roles(*WRITERS)
    @blp.arguments(CompletionSchema)
    @blp.response(202, ProposalSchema, description=PROPOSED)
    @_document_errors(401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], milestone_id: int):
        """Propose the milestone done (today by default); the owner's side and the other party approve"""
        milestone = _milestone(milestone_id)
        return committed(lambda: work_plan.propose_completion(
            db.session, _me(), milestone, today=utcnow().date(), completed_on=data["completed_on"]))

"""Schemas of the bilateral approvals API: proposals, who approved them and when."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models.approval import PROPOSAL_KINDS, PROPOSAL_STATUSES


class ApprovalSchema(Schema):
    agency = fields.String()
    user = fields.Function(lambda a: a.user.display_name)
    approved_at = fields.AwareDateTime()
    reference = fields.String(allow_none=True, metadata={"description": "SAT's written approval, recorded for it"})


class ProposalSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": ", ".join(PROPOSAL_KINDS)})
    agreement = fields.Function(lambda p: p.agreement.code)
    subject = fields.String()
    payload = fields.Dict(metadata={"description": "the change as proposed"})
    parties = fields.List(fields.String(), metadata={"description": "the agencies that each approve once"})
    approvals = fields.List(fields.Nested(ApprovalSchema))
    waiting_for = fields.List(fields.String())
    status = fields.String(metadata={"description": ", ".join(PROPOSAL_STATUSES)})
    proposed_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    outcome = fields.String(allow_none=True, metadata={"description": "what taking effect made, or why it could not"})
    version_id = fields.Integer(metadata={"description": "Send it back when approving; 409 if stale."})


class ProposalQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(load_default=None, validate=validate.OneOf(PROPOSAL_STATUSES))
    agreement = fields.String(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(PROPOSAL_KINDS))


class ApproveSchema(Schema):
    class Meta:
        unknown = RAISE

    reference = fields.String(load_default=None, allow_none=True)
    version_id = fields.Integer(load_default=None, allow_none=True)

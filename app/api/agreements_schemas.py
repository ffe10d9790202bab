"""Schemas of the agreements, rules and Joint Work Plan API; input schemas refuse unknown fields."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models import utcnow
from ..models.agreement import AGREEMENT_STATUSES, MILESTONE_STATUSES
from ..services.agreements.work_plan import OWNER_AGENCIES


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class AgreementSchema(Schema):
    code = fields.String()
    title = fields.String()
    parties = fields.String()
    signed_on = fields.Date(allow_none=True)
    effective_from = fields.Date(allow_none=True)
    effective_to = fields.Date(allow_none=True)
    status = fields.String()
    status_since = fields.Date(allow_none=True)
    status_reason = fields.String(allow_none=True)
    version_id = fields.Integer(metadata={"description": "Send it back when changing the status."})


class AgreementCreateSchema(StrictSchema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    parties = fields.String(load_default="APHIS-SENASICA")
    signed_on = fields.Date(load_default=None, allow_none=True)
    effective_from = fields.Date(load_default=None, allow_none=True)
    effective_to = fields.Date(load_default=None, allow_none=True)


class StatusChangeSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(AGREEMENT_STATUSES))
    on = fields.Date(required=True)
    reason = fields.String(load_default=None, allow_none=True)
    version_id = fields.Integer(required=True, metadata={"description": "The version_id you read; 409 if stale."})


class RuleSchema(Schema):
    code = fields.String()
    version = fields.Integer()
    agreement = fields.Function(lambda rule: rule.agreement.code)
    commodities = fields.List(fields.String())
    origin_states = fields.List(fields.String())
    ports = fields.List(fields.String())
    requires_certifications = fields.List(fields.String())
    requires_recognised_status = fields.Boolean(metadata={
        "description": "met by a trusted-trader status both administrations recognise (CTPAT or OEA)"})
    requires_whole_chain = fields.Boolean(metadata={"description": "every link of the chain named, in good standing"})
    requires_seal = fields.Boolean()
    max_hours_before_crossing = fields.Float(allow_none=True)
    verification_rate = fields.Float(metadata={
        "description": "share of the rule's waived loads drawn for a verification inspection (0 to 1; 0 = none)"})
    valid_from = fields.Date()
    valid_to = fields.Date(allow_none=True)
    active = fields.Boolean()
    current = fields.Function(lambda rule: rule.superseded_at is None)
    superseded_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    change_note = fields.String(allow_none=True)


class RuleFieldsSchema(StrictSchema):
    """The rule's conditions; on a new version, only the fields given change."""

    commodities = fields.List(fields.String())
    origin_states = fields.List(fields.String())
    ports = fields.List(fields.String())
    requires_certifications = fields.List(fields.String())
    requires_recognised_status = fields.Boolean()
    requires_whole_chain = fields.Boolean()
    requires_seal = fields.Boolean()
    max_hours_before_crossing = fields.Float(allow_none=True, allow_nan=False)
    verification_rate = fields.Float(allow_nan=False)
    valid_from = fields.Date()
    valid_to = fields.Date(allow_none=True)
    active = fields.Boolean()
    change_note = fields.String(allow_none=True)


class RuleCreateSchema(RuleFieldsSchema):
    code = fields.String(required=True)
    agreement = fields.String(required=True, metadata={"description": "The agreement's code."})
    commodities = fields.List(fields.String(), required=True)
    valid_from = fields.Date(required=True)


class RuleVersionSchema(RuleFieldsSchema):
    based_on_version = fields.Integer(required=True, metadata={"description": "The current version you read."})
    change_note = fields.String(required=True)


class RuleListArgsSchema(StrictSchema):
    all_versions = fields.Boolean(load_default=False)


class MilestoneSchema(Schema):
    id = fields.Integer()
    agreement = fields.Function(lambda m: m.agreement.code)
    title = fields.String()
    title_es = fields.String(allow_none=True)
    owner_agency = fields.String()
    due_on = fields.Date()
    status = fields.String()
    completed_on = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True)
    gates = fields.Function(lambda m: m.gated_rules, metadata={"description": "rules that wait for it"})
    overdue = fields.Function(lambda m: m.overdue(utcnow().date()))


class MilestoneCreateSchema(StrictSchema):
    title = fields.String(required=True)
    title_es = fields.String(load_default=None, allow_none=True)
    owner_agency = fields.String(required=True, validate=validate.OneOf(OWNER_AGENCIES))
    due_on = fields.Date(required=True)
    notes = fields.String(load_default=None, allow_none=True)
    gates = fields.List(fields.String(), load_default=None, allow_none=True,
                        metadata={"description": "rule codes that waive nothing before it is done"})


class MilestonePatchSchema(StrictSchema):
    status = fields.String(validate=validate.OneOf(MILESTONE_STATUSES),
                           metadata={"description": "done is proposed instead: POST /milestones/{id}/completion"})
    completed_on = fields.Date(allow_none=True)
    due_on = fields.Date()
    notes = fields.String(allow_none=True)
    gates = fields.List(fields.String(), metadata={"description": "rule codes that waive nothing before it is done"})


class CompletionSchema(StrictSchema):
    completed_on = fields.Date(load_default=None, allow_none=True)

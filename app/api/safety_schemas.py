"""Schemas of the interception, emergency notice, suspension, risk flag and safety endpoints."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models.safety import ACTIONS, LIFE_STAGES


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class FindingInSchema(StrictSchema):
    organism = fields.String(required=True, validate=validate.Length(min=1, max=40), metadata={
        "description": "a quarantine pest's code for the shipment's commodity (GET /quarantine-pests), or 'other'"})
    other_organism = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                                   metadata={"description": "the organism's name when organism is 'other'"})
    life_stage = fields.String(required=True, validate=validate.OneOf(LIFE_STAGES))
    count = fields.Integer(required=True, metadata={"description": "1 or more"})
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS), metadata={
        "description": "after a passed border inspection: released_after_treatment; after a failed one: "
                       "re_exported or destroyed"})
    sent_to_lab = fields.Boolean(load_default=False)


class InterceptionsInSchema(StrictSchema):
    interceptions = fields.List(fields.Nested(FindingInSchema), required=True, validate=validate.Length(min=1, max=20))


class LabResultInSchema(StrictSchema):
    result = fields.String(required=True, validate=validate.OneOf(("confirmed", "not_actionable")))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class InterceptionSchema(Schema):
    id = fields.Integer()
    organism = fields.String(attribute="organism_code", allow_none=True)
    scientific_name = fields.Function(lambda row: row.pest.scientific_name if row.pest else None, allow_none=True)
    other_organism = fields.String(allow_none=True)
    life_stage = fields.String()
    count = fields.Integer()
    action = fields.String()
    sent_to_lab = fields.Boolean()
    lab_result = fields.String()
    lab_result_note = fields.String(allow_none=True)
    lab_result_at = fields.DateTime(allow_none=True)
    actionable = fields.Boolean()
    recorded_at = fields.DateTime()


class PestSchema(Schema):
    code = fields.String()
    scientific_name = fields.String()
    common_name_en = fields.String()
    common_name_es = fields.String()
    commodities = fields.List(fields.String())


class SuspensionSchema(Schema):
    id = fields.Integer()
    agreement = fields.Function(lambda row: row.agreement.code)
    scope = fields.String(metadata={"description": "exporter, packhouse or origin (state and commodity)"})
    exporter = fields.Function(lambda row: row.exporter.code if row.exporter else None, allow_none=True)
    packhouse = fields.String(allow_none=True)
    origin_state = fields.String(allow_none=True)
    commodity = fields.String(attribute="commodity_code", allow_none=True)
    since = fields.DateTime()
    reason = fields.String()
    in_force = fields.Boolean()
    signed_by = fields.Function(lambda row: [agency for agency, user in (("APHIS", row.lifted_by_aphis_id),
                                                                         ("SENASICA", row.lifted_by_senasica_id))
                                             if user], metadata={"description": "agencies that signed the lift"})
    lift_reason = fields.String(allow_none=True)
    lifted_at = fields.DateTime(allow_none=True)


class LiftInSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class RiskFlagInSchema(StrictSchema):
    commodity = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    origin_state = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class RiskFlagSchema(Schema):
    id = fields.Integer()
    commodity = fields.String(attribute="commodity_code", allow_none=True)
    origin_state = fields.String(allow_none=True)
    reason = fields.String()
    flagged_at = fields.DateTime()
    lowered_at = fields.DateTime(allow_none=True)


class RateSchema(Schema):
    events = fields.Integer(metadata={"description": "loads with an actionable interception"})
    trials = fields.Integer(metadata={"description": "border inspections done"})
    value = fields.Float(allow_none=True)
    low = fields.Float(allow_none=True, metadata={"description": "95% Wilson interval"})
    high = fields.Float(allow_none=True)


class DifferenceSchema(Schema):
    value = fields.Float(allow_none=True, metadata={"description": "verified minus inspected"})
    low = fields.Float(allow_none=True, metadata={"description": "95% Newcombe interval"})
    high = fields.Float(allow_none=True)
    significant = fields.Boolean()


class ComparisonSchema(Schema):
    key = fields.String()
    label = fields.String()
    verified = fields.Nested(RateSchema, metadata={"description": "waived loads drawn for a verification inspection"})
    inspected = fields.Nested(RateSchema, metadata={"description": "loads whose border inspection was required"})
    difference = fields.Nested(DifferenceSchema)


class SafetySchema(Schema):
    period = fields.Function(lambda safety: safety.period.as_dict())
    overall = fields.Nested(ComparisonSchema)
    verifications_done = fields.Integer()
    verifications_pending = fields.Integer()
    suspensions_in_force = fields.Integer()
    by = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(ComparisonSchema)))

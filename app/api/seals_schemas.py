"""Schemas of the seal and border decision endpoints: what they take and what they answer."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..services.border.overview import reason_line
from ..services.border.seal_numbers import MAX_SEALS, SEAL_KINDS


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class SealInSchema(StrictSchema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    kind = fields.String(load_default="mechanical", validate=validate.OneOf(SEAL_KINDS))


class ResultInSchema(StrictSchema):
    result = fields.String(required=True, validate=validate.OneOf(("pass", "fail", "hold")))
    findings = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))
    seals = fields.List(fields.Nested(SealInSchema), load_default=list, validate=validate.Length(max=MAX_SEALS))
    version = fields.Integer(load_default=None, allow_none=True,
                             metadata={"description": "The inspection's version as read; a newer one answers 409"})


class VerificationInSchema(StrictSchema):
    observations = fields.Dict(keys=fields.String(validate=validate.Length(max=40)),
                               values=fields.String(validate=validate.OneOf(("intact", "broken", "missing"))),
                               required=True, metadata={"description": "Each applied seal's number: what was found"})
    presented = fields.List(fields.String(validate=validate.Length(max=40)), load_default=list,
                            validate=validate.Length(max=20),
                            metadata={"description": "Other seal numbers found on the truck"})
    arrived_at = fields.AwareDateTime(load_default=None, allow_none=True, metadata={
        "description": "When the truck reached the port (ISO 8601 with its offset; default now). Not in the "
                       "future, not before the joint inspection ended: the rule's hours count to it"})
    version = fields.Integer(load_default=None, allow_none=True,
                             metadata={"description": "The shipment's version as read; a newer one answers 409"})


class ReinstatementInSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    version = fields.Integer(load_default=None, allow_none=True,
                             metadata={"description": "The shipment's version as read; a newer one answers 409"})


class BorderResultInSchema(StrictSchema):
    result = fields.String(required=True, validate=validate.OneOf(("pass", "fail", "hold")))
    findings = fields.String(load_default="", validate=validate.Length(max=4000))
    pests_found = fields.Boolean(load_default=None, allow_none=True, metadata={
        "description": "false: no pest found; true: interceptions follow (POST .../interceptions)"})
    version = fields.Integer(load_default=None, allow_none=True,
                             metadata={"description": "The shipment's version as read; a newer one answers 409"})


class SealEventInSchema(StrictSchema):
    seal_number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    kind = fields.String(required=True, validate=validate.OneOf(("opened", "closed", "tamper")))
    occurred_at = fields.AwareDateTime(required=True)
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    lat = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    details = fields.Dict(load_default=None, allow_none=True)


class ReasonSchema(Schema):
    code = fields.String()
    rule = fields.String(allow_none=True)
    params = fields.Dict()
    text = fields.Method("reason_text", metadata={"description": "In the caller's language"})

    def reason_text(self, reason: dict) -> str:
        return reason_line(reason)


class DecisionSchema(Schema):
    decision = fields.String()
    basis = fields.String()
    rule_code = fields.String(allow_none=True)
    rule_version = fields.Integer(allow_none=True)
    reasons = fields.List(fields.Nested(ReasonSchema))
    decided_at = fields.DateTime()
    current = fields.Boolean()


class SealEventSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    occurred_at = fields.DateTime()
    place = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    source = fields.String()


class SealSchema(Schema):
    number = fields.String()
    kind = fields.String()
    status = fields.String()
    applied_at = fields.DateTime()
    verified_at = fields.DateTime(allow_none=True)
    events = fields.List(fields.Nested(SealEventSchema))


class RequestStateSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    status_reason = fields.String(allow_none=True)
    arrived_at = fields.DateTime(allow_none=True, metadata={"description": "when the truck reached the port"})
    version = fields.Integer(attribute="version_id")


class OutcomeSchema(Schema):
    """The shipment after the step, its seals and the border decision now in force."""

    request = fields.Nested(RequestStateSchema)
    seals = fields.List(fields.Nested(SealSchema))
    decision = fields.Nested(DecisionSchema)


class SealEventOutcomeSchema(Schema):
    event = fields.Nested(SealEventSchema)
    seal = fields.Nested(SealSchema)
    decision = fields.Nested(DecisionSchema, allow_none=True)

"""Schemas of the pilots API: corridors, participants, criteria, gate reviews and the decision to propose."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models.pilot import GATE_DECISIONS


class ParticipantSchema(Schema):
    name = fields.String()
    exporter = fields.Function(lambda p: p.exporter.code if p.exporter else None)
    party = fields.Function(lambda p: p.party.code if p.party else None)
    sector = fields.String()
    joined_on = fields.Date()


class CriterionSchema(Schema):
    metric = fields.Function(lambda c: c.measure.metric)
    name = fields.Function(lambda c: c.measure.name)
    direction = fields.Function(lambda c: c.measure.direction)
    target = fields.Float(metadata={"description": "the pilot's own threshold, else the measure's target"})
    unit = fields.Function(lambda c: c.measure.unit)


class GateSchema(Schema):
    id = fields.Integer()
    phase = fields.Integer()
    due_on = fields.Date()
    status = fields.String()
    decision = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True)
    readings = fields.List(fields.Dict(), allow_none=True, metadata={"description": "the criteria as read for the review"})
    next_phase = fields.List(fields.Dict(), metadata={"description": "rule versions passing proposes"})


class PilotSchema(Schema):
    code = fields.String()
    agreement = fields.Function(lambda p: p.agreement.code)
    corridor = fields.String()
    name_en = fields.String()
    name_es = fields.String()
    ports = fields.List(fields.String())
    sites = fields.List(fields.String())
    sectors = fields.List(fields.String())
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    phase = fields.Integer()
    status = fields.String()
    participants = fields.List(fields.Nested(ParticipantSchema))
    criteria = fields.List(fields.Nested(CriterionSchema))
    gates = fields.List(fields.Nested(GateSchema))


class GateDecisionSchema(Schema):
    class Meta:
        unknown = RAISE

    decision = fields.String(required=True, validate=validate.OneOf(GATE_DECISIONS))
    notes = fields.String(load_default=None, allow_none=True)
    extend_to = fields.Date(load_default=None, allow_none=True)

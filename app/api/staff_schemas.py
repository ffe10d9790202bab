"""Schemas of inspectors, their shifts and site closures in the API (times with offsets, unknown fields refused)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..roles import AGENCIES

MAX_SHIFT_WINDOW_DAYS = 92


class InspectorQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    agency = fields.String(validate=validate.OneOf(AGENCIES))
    site = fields.String(validate=validate.Length(1, 40), metadata={"description": "home site code"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class SiteRefSchema(Schema):
    code = fields.String()
    name = fields.String()
    active = fields.Boolean()


class InspectorOutSchema(Schema):
    code = fields.String()
    name = fields.String()
    agency = fields.String()
    active = fields.Boolean()
    max_minutes_per_day = fields.Integer()
    home_site = fields.Nested(SiteRefSchema)


class InspectorDetailSchema(InspectorOutSchema):
    qualified_any = fields.Boolean(metadata={"description": "qualified for every commodity"})
    qualifications = fields.Method("_qualifications", metadata={"description": "commodity codes"})

    def _qualifications(self, inspector) -> list[str]:
        return sorted(c.code for c in inspector.qualifications)


class InspectorPageSchema(Schema):
    items = fields.List(fields.Nested(InspectorOutSchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    pages = fields.Integer()


class ShiftQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    start = fields.AwareDateTime(data_key="from", required=True, metadata={"description": "ISO 8601 with offset"})
    end = fields.AwareDateTime(data_key="to", required=True, metadata={"description": "ISO 8601 with offset"})

    @validates_schema
    def _window(self, data, **_kwargs) -> None:
        if data["end"] <= data["start"]:
            raise ValidationError("must come after from", "to")
        if (data["end"] - data["start"]).days > MAX_SHIFT_WINDOW_DAYS:
            raise ValidationError(f"at most {MAX_SHIFT_WINDOW_DAYS} days after from", "to")


class ShiftOutSchema(Schema):
    id = fields.Integer()
    start = fields.AwareDateTime()
    end = fields.AwareDateTime()
    available = fields.Boolean()
    unavailable_reason = fields.String(allow_none=True)


class UnavailabilitySchema(Schema):
    class Meta:
        unknown = RAISE

    start = fields.AwareDateTime(required=True, metadata={"description": "ISO 8601 with offset"})
    end = fields.AwareDateTime(required=True, metadata={"description": "ISO 8601 with offset"})
    reason = fields.String(required=True, validate=validate.Length(1, 1000))


class UnavailabilityOutSchema(Schema):
    inspector = fields.String()
    shifts = fields.List(fields.Nested(ShiftOutSchema), metadata={"description": "the shifts taken off"})


class ClosureSchema(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(1, 1000))


class SiteStatusSchema(Schema):
    code = fields.String()
    name = fields.String()
    active = fields.Boolean()
    closed_reason = fields.String(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)

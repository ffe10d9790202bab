"""Schemas of inspection requests and the pre-check in the API (times with offsets, unknown fields refused)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import RAISE, Schema, fields, pre_dump, validate

from ..days import DAY_RANGE
from ..models.register import CHAIN_LINKS
from ..models.shipment import QUANTITY_UNITS, SHIPMENT_STATUSES


def _time(description: str, required: bool = True) -> fields.AwareDateTime:
    # AwareDateTime refuses a time without an offset, as the exchange format does.
    return fields.AwareDateTime(required=required, metadata={"description": description + " (ISO 8601 with offset)"})


class RequestInSchema(Schema):
    """A new inspection request; the exporter is the caller's company, never a field."""

    class Meta:
        unknown = RAISE

    commodity = fields.String(required=True, validate=validate.Length(1, 40))
    quantity = fields.Integer(required=True, strict=True)
    quantity_unit = fields.String(required=True, validate=validate.OneOf(QUANTITY_UNITS))
    origin_state = fields.String(required=True, metadata={"description": "Mexican state code such as MIC"})
    packhouse = fields.String(required=True)
    port = fields.String(required=True, metadata={"description": "code of a border port, e.g. US-PHARR"})
    ready = _time("earliest start of the joint inland inspection")
    arrive_port = _time("earliest start of a border inspection")
    cross_by = _time("latest end of any inspection; its offset is kept for date comparisons")
    inspection_minutes = fields.Integer(strict=True, metadata={"description": "default 90"})
    border_inspection_minutes = fields.Integer(strict=True, metadata={"description": "default 45"})
    priority = fields.Integer(strict=True, metadata={"description": "1 low .. 5 urgent; default 3, perishables 4"})
    sites = fields.List(fields.String(), metadata={"description": "preferred inland site codes"})
    sealable = fields.Boolean(metadata={"description": "default true"})


class RequestPatchSchema(RequestInSchema):
    """The fields to change; version_id (or an If-Match header) names the version being changed."""

    class Meta:
        unknown = RAISE

    version_id = fields.Integer(strict=True)


class PrecheckInSchema(RequestInSchema):
    """The same data as a new request; the rules look at commodity, origin, port, cross_by and sealable, and
    at the parties of its logistics chain when given."""

    class Meta:
        unknown = RAISE

    parties = fields.Dict(keys=fields.String(validate=validate.OneOf(CHAIN_LINKS)), values=fields.String(),
                          metadata={"description": "register codes by link: packhouse, carrier, driver, importer, "
                                                   "broker"})


class CancelSchema(Schema):
    class Meta:
        unknown = RAISE

    version_id = fields.Integer(strict=True)
    reason = fields.String(validate=validate.Length(max=1000))


class RequestQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(validate=validate.OneOf(SHIPMENT_STATUSES))
    date_from = fields.Date(data_key="from", validate=DAY_RANGE, metadata={"description": "ready on or after this UTC date"})
    date_to = fields.Date(data_key="to", validate=DAY_RANGE, metadata={"description": "ready on or before this UTC date"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class RequestOutSchema(Schema):
    """A request as stored: times in the port's local time, cross_by with the offset it was written in."""

    id = fields.Integer()
    reference = fields.String()
    exporter = fields.String()
    status = fields.String()
    status_reason = fields.String(allow_none=True)
    commodity = fields.String()
    quantity = fields.Integer()
    quantity_unit = fields.String()
    origin_state = fields.String()
    packhouse = fields.String()
    port = fields.String()
    ready = fields.DateTime()
    arrive_port = fields.DateTime()
    cross_by = fields.DateTime()
    inspection_minutes = fields.Integer()
    border_inspection_minutes = fields.Integer()
    priority = fields.Integer()
    sites = fields.List(fields.String())
    sealable = fields.Boolean()
    requested_at = fields.DateTime()
    arrived_at = fields.DateTime(allow_none=True, metadata={"description": "when the truck reached the port"})
    version_id = fields.Integer()
    inspections = fields.List(fields.Nested(lambda: InspectionOutSchema()), metadata={
        "description": "one item's inspections (not in lists): each keeps its id when a new plan moves it"})

    @pre_dump
    def flatten(self, request: Any, **_kwargs: Any) -> dict[str, Any]:
        zone = ZoneInfo(request.port.timezone)
        data = {name: getattr(request, name) for name in (
            "id", "reference", "status", "status_reason", "quantity", "quantity_unit", "origin_state", "packhouse",
            "inspection_minutes", "border_inspection_minutes", "priority", "sealable", "requested_at", "version_id")}
        return data | {
            "exporter": request.exporter.code, "commodity": request.commodity_code, "port": request.port.code,
            "ready": request.ready.astimezone(zone), "arrive_port": request.arrive_port.astimezone(zone),
            "cross_by": request.cross_by_as_written, "sites": [site.code for site in request.sites],
            "arrived_at": request.arrived_at.astimezone(zone) if request.arrived_at else None,
        }


class InspectionOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "joint_inland or border"})
    site = fields.String()
    start = fields.String(metadata={"description": "in the site's local time"})
    end = fields.String()
    inspectors = fields.List(fields.String())
    status = fields.String(metadata={"description": "scheduled, done or cancelled"})
    result = fields.String(allow_none=True)
    changed_at = fields.String(allow_none=True)
    change = fields.Dict(allow_none=True, metadata={"description": "what the last change moved: {field: [was, is]}"})
    cancel_reason = fields.String(allow_none=True)


class RequestPageSchema(Schema):
    items = fields.List(fields.Nested(RequestOutSchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    pages = fields.Integer()


class MissingSchema(Schema):
    code = fields.String()
    params = fields.Dict()
    text = fields.String()


class AssessmentSchema(Schema):
    rule = fields.String()
    version = fields.Integer()
    agreement = fields.String()
    qualifies = fields.Boolean()
    earliest_end = fields.String(allow_none=True, metadata={"description": "in the port's local time"})
    text = fields.String()
    missing = fields.List(fields.Nested(MissingSchema))


class PrecheckOutSchema(Schema):
    port = fields.String()
    commodity = fields.String()
    waivable = fields.Boolean()
    summary = fields.String()
    assessments = fields.List(fields.Nested(AssessmentSchema))

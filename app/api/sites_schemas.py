"""Schemas of sites and ports as planners write them, their closed days and their inspectors' weeks."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models.calendar import HOLIDAY_COUNTRIES


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class HoursSchema(StrictSchema):
    days = fields.List(fields.String(), required=True, metadata={"description": "mon, tue, wed, thu, fri, sat, sun"})
    open = fields.String(required=True, metadata={"description": "HH:MM, local time at the site"})
    close = fields.String(required=True, metadata={"description": "HH:MM (24:00 closes at midnight)"})


class SitePatchSchema(StrictSchema):
    """Exchange-format fields (checked by the same reader as a scenario import) plus the app's own."""

    name = fields.String(validate=validate.Length(1, 400))
    country = fields.String(metadata={"enum": ["MX", "US"]})
    state = fields.String(validate=validate.Length(0, 40))
    lat = fields.Float(allow_nan=False)
    lon = fields.Float(allow_nan=False)
    timezone = fields.String(validate=validate.Length(1, 200),
                             metadata={"description": "IANA, such as America/Mexico_City"})
    bays = fields.Integer(validate=validate.Range(min=1, max=10_000))
    hours = fields.List(fields.Nested(HoursSchema))
    commodities = fields.List(fields.String(validate=validate.Length(1, 40)),
                              metadata={"description": "commodity codes, or [\"*\"] for any"})
    observes_holidays = fields.List(fields.String(validate=validate.OneOf(HOLIDAY_COUNTRIES)),
                                    metadata={"description": "countries whose federal holidays close the site"})
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))


class SiteCreateSchema(SitePatchSchema):
    code = fields.String(required=True, validate=validate.Length(1, 80))
    kind = fields.String(required=True, validate=validate.OneOf(("inland", "port")))
    name = fields.String(required=True, validate=validate.Length(1, 400))
    country = fields.String(required=True, metadata={"enum": ["MX", "US"]})
    state = fields.String(required=True, validate=validate.Length(0, 40))
    lat = fields.Float(required=True, allow_nan=False)
    lon = fields.Float(required=True, allow_nan=False)
    timezone = fields.String(required=True, validate=validate.Length(1, 200))
    bays = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    hours = fields.List(fields.Nested(HoursSchema), required=True)
    commodities = fields.List(fields.String(validate=validate.Length(1, 40)), required=True)
    observes_holidays = fields.List(fields.String(validate=validate.OneOf(HOLIDAY_COUNTRIES)), load_default=list)


class SiteSchema(Schema):
    """A site as every API client lists it (GET /api/v1/sites)."""

    code = fields.String()
    name = fields.String()
    kind = fields.String()
    country = fields.String()
    state = fields.String()
    lat = fields.Float()
    lon = fields.Float()
    timezone = fields.String()
    bays = fields.Integer()
    active = fields.Boolean()
    closed_reason = fields.String(allow_none=True)


class SiteDetailSchema(SiteSchema):
    """One site with its hours, commodities, holidays and notes."""

    hours = fields.Method("_hours")
    commodities = fields.Method("_commodities")
    observes_holidays = fields.List(fields.String())
    notes = fields.String(allow_none=True)

    def _hours(self, site) -> list[dict]:
        return [{"days": list(h.days), "open": h.open_time, "close": h.close_time} for h in site.hours]

    def _commodities(self, site) -> list[str]:
        return ["*"] if site.inspects_any else sorted(c.code for c in site.commodities)


class PlannedClosureSchema(Schema):
    id = fields.Integer(dump_only=True)
    first_day = fields.Date(required=True, metadata={"description": "local day at the site"})
    last_day = fields.Date(required=True, metadata={"description": "local day at the site, inclusive"})
    reason = fields.String(required=True, validate=validate.Length(1, 1000))


class PlannedClosureCreateSchema(PlannedClosureSchema):
    class Meta:
        unknown = RAISE


class WeekShiftSchema(StrictSchema):
    inspector = fields.String(required=True, validate=validate.Length(1, 40))
    day = fields.Date(required=True)
    start = fields.String(required=True, validate=validate.Length(1, 10), metadata={"description": "HH:MM local"})
    end = fields.String(required=True, validate=validate.Length(1, 10),
                        metadata={"description": "HH:MM local; at or before start: the next day"})


class WeekSchema(StrictSchema):
    shifts = fields.List(fields.Nested(WeekShiftSchema), required=True,
                         metadata={"description": "the week's shifts of the site's inspectors; a day not listed "
                                                  "has none (shifts marked unavailable are kept)"})


class WeekReportSchema(Schema):
    added = fields.Integer()
    changed = fields.Integer()
    removed = fields.Integer()
    skipped_closed = fields.Integer()
    skipped_taken = fields.Integer()

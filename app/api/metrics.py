"""Performance measures and avoided border inspections, computed from recorded data."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..days import DAY_RANGE
from ..roles import PROGRAM_STAFF
from ..extensions import db
from ..models import utcnow
from ..services.agreements import measures as metrics
from ..services.dashboard import avoided
from ..services.dashboard.cube import BREAKDOWNS, build_cube
from ..services.dashboard.periods import PERIOD_KINDS, Period, period_between, period_containing
from .agreements import agreement_or_404
from .auth import api_roles

blp = Blueprint("metrics_api", __name__, url_prefix="/metrics", description="Joint Work Plan measures")
READERS = PROGRAM_STAFF



class PeriodArgsSchema(Schema):
    """A calendar period containing `on` (today by default), or an explicit from/to."""

    class Meta:
        unknown = RAISE

    on = fields.Date(load_default=None, validate=DAY_RANGE)
    from_ = fields.Date(data_key="from", load_default=None, validate=DAY_RANGE)
    to = fields.Date(load_default=None, validate=DAY_RANGE)

    @validates_schema
    def _explicit_range(self, data: dict[str, Any], **_: Any) -> None:
        if (data["from_"] is None) != (data["to"] is None):
            raise ValidationError("Give both from and to.", "to" if data["to"] is None else "from")
        if data["from_"] and data["to"] and data["to"] < data["from_"]:
            raise ValidationError("The period ends before it starts.", "to")


class PerformanceArgsSchema(PeriodArgsSchema):
    period = fields.String(load_default=None, validate=validate.OneOf(PERIOD_KINDS))
    agreement = fields.String(load_default=None)
    trend = fields.Integer(load_default=0, validate=validate.Range(min=0, max=24),
                           metadata={"description": "also the values of this many periods ending with it"})


class AvoidedArgsSchema(PeriodArgsSchema):
    by = fields.String(required=True, validate=validate.OneOf(BREAKDOWNS))
    period = fields.String(load_default="month", validate=validate.OneOf(PERIOD_KINDS))


class PeriodSchema(Schema):
    kind = fields.String()
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()


class MeasureResultSchema(Schema):
    agreement = fields.String()
    metric = fields.String()
    name = fields.String()
    name_es = fields.String(allow_none=True)
    value = fields.Float(allow_none=True)
    target = fields.Float()
    direction = fields.String()
    met = fields.Boolean(allow_none=True, metadata={"description": "null when nothing was recorded"})
    unit = fields.String()
    period = fields.Nested(PeriodSchema)
    numbers = fields.Dict(keys=fields.String(), metadata={"description": "the counts behind the value; an "
                                                          "agreement's waived share counts its eligible shipments"})
    baseline = fields.Float(allow_none=True, metadata={"description": "where the measure stood before the agreement"})
    baseline_note = fields.String(allow_none=True)
    trend = fields.List(fields.Dict(), metadata={"description": "[{period, value}] oldest first"})


class AvoidedRowSchema(Schema):
    key = fields.String()
    label = fields.String()
    waived = fields.Integer()
    required = fields.Integer()
    decided = fields.Integer()
    share = fields.Float(allow_none=True)
    hours_avoided = fields.Float()


class TotalsSchema(Schema):
    waived = fields.Integer()
    required = fields.Integer()
    decided = fields.Integer()
    share = fields.Float(allow_none=True)
    waived_minutes = fields.Integer()


class AvoidedSchema(Schema):
    by = fields.String()
    period = fields.Nested(PeriodSchema)
    rows = fields.List(fields.Nested(AvoidedRowSchema), metadata={
        "description": "realised: trucks done with the border in the period, released without a border "
                       "inspection (waived) or after one, or rejected there (required)"})
    realised = fields.Nested(TotalsSchema, metadata={"description": "the rows' totals"})
    forecast = fields.Nested(TotalsSchema, metadata={
        "description": "trucks due in the period and still on their way, by the decision they have today "
                       "(the plan's or the joint inspection's): a forecast, not counted above"})


def _period(args: dict[str, Any], kind: str | None) -> Period | None:
    if args["from_"] is not None:
        return period_between(args["from_"], args["to"])
    if kind is None:
        return None
    return period_containing(kind, args["on"] or utcnow().date())


@blp.route("/performance")
class Performance(MethodView):
    @api_roles(*READERS)
    @blp.arguments(PerformanceArgsSchema, location="query")
    @blp.response(200, MeasureResultSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="No such agreement")
    @blp.alt_response(422, description="Invalid query; errors name the parameter")
    def get(self, args: dict[str, Any]):
        """Each measure's computed value against its target, for its own period or the one asked"""
        agreement = agreement_or_404(args["agreement"]) if args["agreement"] else None
        on: date = args["on"] or utcnow().date()
        results = metrics.performance(db.session, on, agreement, period=_period(args, args["period"]),
                                      trend=args["trend"])
        return [result.as_dict() for result in results]


@blp.route("/avoided")
class Avoided(MethodView):
    @api_roles(*READERS)
    @blp.arguments(AvoidedArgsSchema, location="query")
    @blp.response(200, AvoidedSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(422, description="Invalid query; errors name the parameter")
    def get(self, args: dict[str, Any]):
        """Border inspections avoided and done by port, commodity or week, with the plan's forecast beside"""
        period = _period(args, args["period"])
        rows = build_cube(db.session, period).by(args["by"])
        return {"by": args["by"], "period": period.as_dict(), "rows": rows,
                "realised": avoided.realised(db.session, period),
                "forecast": avoided.forecast(db.session, period, utcnow())}

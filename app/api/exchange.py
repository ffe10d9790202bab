"""Scenario exchange (jointinspect-scenario/2; version 1 still read) through the API, as `jointinspect scenario export|import` does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema
from sqlalchemy.exc import DataError, IntegrityError

from scheduling.exchange import ScenarioError, load_scenario, scenario_to_dict

from ..roles import PLANNERS
from ..extensions import db
from ..models import User
from ..services.errors import WorkflowError
from ..services.access.idempotency import idempotent
from ..services.planning.scenario import build_scenario, for_export
from ..services.planning.scenario_import import import_scenario
from .auth import api_roles

blp = Blueprint("exchange", __name__, url_prefix="/exchange", description="Scenario export and import")
MAX_HORIZON = timedelta(days=31)
SCENARIO_BODY = {
    "required": True,
    "description": "A jointinspect-scenario/2 (or /1) document, as GET /api/v1/exchange/scenario answers",
    "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
}


class HorizonQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    start = fields.AwareDateTime(required=True, metadata={"description": "ISO 8601 with offset"})
    end = fields.AwareDateTime(required=True, metadata={"description": "ISO 8601 with offset; at most 31 days on"})

    @validates_schema
    def _horizon(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["end"] <= data["start"]:
            raise ValidationError("must come after start", "end")
        if data["end"] - data["start"] > MAX_HORIZON:
            raise ValidationError("at most 31 days after start", "end")


class CountsSchema(Schema):
    created = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "rows created, by kind"})
    updated = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "rows updated, by kind"})


def problems_by_path(error: ScenarioError) -> dict[str, list[str]]:
    """Every problem of the document, grouped under its path."""
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        found.setdefault(problem.path or "(document)", []).append(problem.message)
    return found


@blp.route("/scenario")
class Scenario(MethodView):
    @api_roles(*PLANNERS)
    @blp.arguments(HorizonQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, description="A jointinspect-scenario/2 document: open sites, inspectors with available "
                                   "shifts, exporters, rules and open requests of the horizon")
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    def get(self, args: dict[str, Any]):
        """Export the scenario of a horizon of at most 31 days"""
        scenario, _ids = build_scenario(db.session, args["start"], args["end"])
        return scenario_to_dict(for_export(scenario))

    @api_roles(*PLANNERS)
    @idempotent
    @blp.doc(requestBody=SCENARIO_BODY)
    @blp.response(200, CountsSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(422, description="Not a valid scenario (every problem listed by path), or refused; "
                                       "nothing imported")
    def post(self):
        """Import a scenario: all of it, or nothing"""
        document = request.get_json(silent=True)
        if not isinstance(document, dict):
            abort(422, message="Send a jointinspect-scenario/2 document as a JSON object.",
                  errors={"json": {"(document)": ["must be a JSON object"]}})
        try:
            scenario = load_scenario(document)
        except ScenarioError as error:
            abort(422, message=f"Not a valid scenario: {len(error.problems)} problem(s); nothing imported.",
                  errors={"json": problems_by_path(error)})
        return _import(scenario)


def _import(scenario) -> dict[str, Any]:
    try:
        report = import_scenario(db.session, db.session.get(User, current_user.id), scenario)
        db.session.commit()
    except WorkflowError as refused:
        db.session.rollback()
        abort(422, message=f"Nothing imported: {refused.message}",
              errors={"json": {refused.field or "(document)": [refused.message]}})
    except (IntegrityError, DataError) as refused:
        db.session.rollback()
        text = str(refused.orig).splitlines()[0] if refused.orig else "the database refused the data"
        abort(422, message=f"Nothing imported: {text}", errors={"json": {"(document)": [text]}})
    return {"created": report.created, "updated": report.updated}

"""Inspectors written by planners: create one, change agency, home site, qualifications, limit or account.

Reading them (and their shifts and unavailability) is staff.py; both answer at /inspectors.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Inspector, User
from ..roles import AGENCIES, PLANNERS
from ..services.errors import WorkflowError
from ..services.planning.inspectors import create_inspector, update_inspector
from .auth import api_roles
from .refusals import refuse
from .staff_schemas import InspectorDetailSchema

blp = Blueprint("inspectors_write", __name__, url_prefix="/inspectors", description="Inspectors: writing them")


class InspectorPatchSchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(validate=validate.Length(1, 400))
    agency = fields.String(validate=validate.OneOf(AGENCIES))
    home_site = fields.String(validate=validate.Length(1, 80), metadata={"description": "the home site's code"})
    commodities = fields.List(fields.String(validate=validate.Length(1, 40)),
                              metadata={"description": "commodity codes qualified for, or [\"*\"] for any"})
    max_minutes_per_day = fields.Integer(validate=validate.Range(min=1, max=1440))
    active = fields.Boolean()
    user = fields.String(allow_none=True, validate=validate.Length(1, 80),
                         metadata={"description": "username of the inspector's own account, or null"})


class InspectorCreateSchema(InspectorPatchSchema):
    code = fields.String(required=True, validate=validate.Length(1, 80))
    name = fields.String(required=True, validate=validate.Length(1, 400))
    agency = fields.String(required=True, validate=validate.OneOf(AGENCIES))
    home_site = fields.String(required=True, validate=validate.Length(1, 80))
    commodities = fields.List(fields.String(validate=validate.Length(1, 40)), required=True)
    max_minutes_per_day = fields.Integer(load_default=420, validate=validate.Range(min=1, max=1440))
    active = fields.Boolean(load_default=True)
    user = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 80))


def _me() -> User:
    return db.session.get(User, current_user.id)


@blp.route("")
class Inspectors(MethodView):
    @api_roles(*PLANNERS)
    @blp.arguments(InspectorCreateSchema)
    @blp.response(201, InspectorDetailSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(422, description="Invalid input, checked as a scenario import checks it; errors name the field")
    def post(self, data: dict[str, Any]):
        """Create an inspector"""
        try:
            inspector = create_inspector(db.session, _me(), data)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return inspector


@blp.route("/<code>")
class InspectorItem(MethodView):
    @api_roles(*PLANNERS)
    @blp.arguments(InspectorPatchSchema)
    @blp.response(200, InspectorDetailSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such inspector")
    @blp.alt_response(422, description="Invalid input; errors name the field")
    def patch(self, data: dict[str, Any], code: str):
        """Change an inspector (the code never changes)"""
        inspector = db.session.scalar(sa.select(Inspector).where(Inspector.code == code).options(
            selectinload(Inspector.qualifications), selectinload(Inspector.home_site)))
        if inspector is None:
            abort(404, message="No such inspector.")
        try:
            update_inspector(db.session, _me(), inspector, data)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return inspector

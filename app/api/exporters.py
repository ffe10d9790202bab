"""Exporting companies: program staff read them, planners create and change their company fields."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from ..extensions import db
from ..models import Exporter, User
from ..roles import PLANNERS, PROGRAM_STAFF
from ..services.errors import WorkflowError
from ..services.planning.exporters import create_exporter, update_exporter
from .auth import api_roles
from .refusals import refuse

blp = Blueprint("exporters", __name__, url_prefix="/exporters", description="Exporting companies")


class ExporterSchema(Schema):
    code = fields.String()
    legal_name = fields.String()
    tax_id = fields.String()
    country = fields.String()


class ExporterPatchSchema(Schema):
    class Meta:
        unknown = RAISE

    legal_name = fields.String(validate=validate.Length(1, 400))
    tax_id = fields.String(validate=validate.Length(1, 40), metadata={"description": "RFC or EIN"})
    country = fields.String(validate=validate.OneOf(("MX", "US")))


class ExporterCreateSchema(ExporterPatchSchema):
    code = fields.String(required=True, validate=validate.Length(1, 80))
    legal_name = fields.String(required=True, validate=validate.Length(1, 400))
    tax_id = fields.String(required=True, validate=validate.Length(1, 40))
    country = fields.String(load_default="MX", validate=validate.OneOf(("MX", "US")))


def _exporter(code: str) -> Exporter:
    found = db.session.scalar(sa.select(Exporter).where(Exporter.code == code))
    if found is None:
        abort(404, message="No such exporter.")
    return found


def _me() -> User:
    return db.session.get(User, current_user.id)


@blp.route("")
class Exporters(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.response(200, ExporterSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    def get(self):
        """Every exporting company, by code"""
        return db.session.scalars(sa.select(Exporter).order_by(Exporter.code)).all()

    @api_roles(*PLANNERS)
    @blp.arguments(ExporterCreateSchema)
    @blp.response(201, ExporterSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(422, description="Invalid input; errors name the field")
    def post(self, data: dict[str, Any]):
        """Create an exporting company"""
        try:
            exporter = create_exporter(db.session, _me(), data)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return exporter


@blp.route("/<code>")
class ExporterItem(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.response(200, ExporterSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    @blp.alt_response(404, description="No such exporter")
    def get(self, code: str):
        """One exporting company"""
        return _exporter(code)

    @api_roles(*PLANNERS)
    @blp.arguments(ExporterPatchSchema)
    @blp.response(200, ExporterSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such exporter")
    @blp.alt_response(422, description="Invalid input; errors name the field")
    def patch(self, data: dict[str, Any], code: str):
        """Change a company's legal name, tax id or country (the code never changes)"""
        exporter = _exporter(code)
        try:
            update_exporter(db.session, _me(), exporter, data)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return exporter

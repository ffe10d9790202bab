"""Federal holidays of Mexico and the United States: the days sites that observe them are closed."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from ..extensions import db
from ..models import Holiday, User
from ..models.calendar import HOLIDAY_COUNTRIES
from ..roles import PLANNERS, PROGRAM_STAFF
from ..services.errors import WorkflowError
from ..services.planning.calendar import add_holiday, remove_holiday
from .auth import api_roles
from .refusals import refuse

blp = Blueprint("holidays", __name__, url_prefix="/holidays", description="Federal holidays that close sites")


class HolidaySchema(Schema):
    id = fields.Integer(dump_only=True)
    country = fields.String(required=True, validate=validate.OneOf(HOLIDAY_COUNTRIES))
    day = fields.Date(required=True)
    name_en = fields.String(required=True, validate=validate.Length(1, 120))
    name_es = fields.String(required=True, validate=validate.Length(1, 120))


class HolidayCreateSchema(HolidaySchema):
    class Meta:
        unknown = RAISE


class HolidayQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    country = fields.String(validate=validate.OneOf(HOLIDAY_COUNTRIES))


@blp.route("")
class Holidays(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.arguments(HolidayQuerySchema, location="query")
    @blp.response(200, HolidaySchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    def get(self, args: dict[str, Any]):
        """Holidays by day, of one year and country when asked"""
        query = sa.select(Holiday).order_by(Holiday.day, Holiday.country)
        if "year" in args:
            query = query.where(Holiday.day >= date(args["year"], 1, 1), Holiday.day <= date(args["year"], 12, 31))
        if "country" in args:
            query = query.where(Holiday.country == args["country"])
        return db.session.scalars(query).all()

    @api_roles(*PLANNERS)
    @blp.arguments(HolidayCreateSchema)
    @blp.response(201, HolidaySchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(422, description="Invalid input, or already a holiday; errors name the field")
    def post(self, data: dict[str, Any]):
        """Add a holiday to a country's calendar"""
        try:
            holiday = add_holiday(db.session, db.session.get(User, current_user.id), data["country"], data["day"],
                                  data["name_en"], data["name_es"])
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return holiday


@blp.route("/<int:holiday_id>")
class HolidayItem(MethodView):
    @api_roles(*PLANNERS)
    @blp.response(204)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such holiday")
    def delete(self, holiday_id: int):
        """Remove a holiday"""
        holiday = db.session.get(Holiday, holiday_id)
        if holiday is None:
            abort(404, message="No such holiday.")
        remove_holiday(db.session, db.session.get(User, current_user.id), holiday)
        db.session.commit()
        return None

"""Shifts from a CSV file (inspector,day,start,end in home-site time): all of them, or none."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from ..extensions import db
from ..models import User
from ..roles import PLANNERS
from ..services.errors import WorkflowError
from ..services.planning.shift_csv import COLUMNS, import_shifts
from .auth import api_roles
from .refusals import refuse

blp = Blueprint("shifts", __name__, url_prefix="/shifts", description="Inspectors' shifts from a file")
MAX_BYTES = 400_000
CSV_BODY = {"required": True, "content": {"text/csv": {"schema": {"type": "string"}, "example": (
    f"{','.join(COLUMNS)}\nAPHIS-ZAM-01,2027-03-01,07:00,15:00\n")}}}


class AddedSchema(Schema):
    added = fields.Integer()


@blp.route("/csv")
class ShiftFile(MethodView):
    @api_roles(*PLANNERS)
    @blp.doc(requestBody=CSV_BODY)
    @blp.response(201, AddedSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(422, description="A bad line or a clash: every problem named by its line; nothing added")
    def post(self):
        """Add shifts from CSV lines: inspector, day (YYYY-MM-DD), start and end (HH:MM, home-site time)"""
        if (request.content_length or 0) > MAX_BYTES:
            abort(422, message="At most 400 kB of CSV at once.", errors={"json": {"file": ["too large"]}})
        text = request.get_data(as_text=True)
        try:
            added = import_shifts(db.session, db.session.get(User, current_user.id), text)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused, "file")
        return {"added": added}

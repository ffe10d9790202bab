"""Who the caller is."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from .auth import api_roles

blp = Blueprint("me", __name__, url_prefix="/me", description="The signed-in user")


class MeSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    agency = fields.String(allow_none=True)
    exporter_id = fields.Integer(allow_none=True)
    language = fields.String()


@blp.route("")
class Me(MethodView):
    @api_roles()
    @blp.response(200, MeSchema)
    @blp.alt_response(401, description="Not signed in")
    def get(self):
        """The signed-in user"""
        return current_user

"""Reference data: commodities and sites."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..extensions import db
from ..models import Commodity, Site
from .auth import api_roles
from .sites_schemas import SiteSchema

blp = Blueprint("reference", __name__, url_prefix="", description="Commodities and sites")


class CommoditySchema(Schema):
    code = fields.String()
    name_en = fields.String()
    name_es = fields.String()
    hs_heading = fields.String()


# Plain rows of the schema's columns, built once: every API client reads this list, often.
SITE_ROWS = sa.select(*(getattr(Site, name) for name in SiteSchema().fields)).order_by(Site.kind, Site.code)


@blp.route("/commodities")
class Commodities(MethodView):
    @api_roles()
    @blp.response(200, CommoditySchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    def get(self):
        """List commodities"""
        return db.session.scalars(sa.select(Commodity).order_by(Commodity.code)).all()


@blp.route("/sites")
class Sites(MethodView):
    @api_roles()
    @blp.response(200, SiteSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    def get(self):
        """List inland joint inspection sites and border ports"""
        return jsonify([row._asdict() for row in db.session.connection().execute(SITE_ROWS)])

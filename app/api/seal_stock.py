"""Seal stock: the numbered ranges of seals issued to each site (only those are applied there)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..extensions import db
from ..models import Site
from ..roles import PROGRAM_STAFF, REGISTER_KEEPERS
from ..services.border import seal_stock
from ..services.errors import WorkflowError
from .auth import api_roles
from .refusals import refuse
from .seal_stock_schemas import SealStockInSchema, SealStockQuerySchema, SealStockSchema

blp = Blueprint("seal_stock_api", __name__, url_prefix="/seal-stock", description="Seal stock issued to sites")


def _site(code: str) -> Site:
    site = db.session.scalar(sa.select(Site).where(Site.code == code))
    if site is None:
        abort(422, message="No such site.", errors={"json": {"site": ["No such site."]}})
    return site


@blp.route("")
class SealStock(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.arguments(SealStockQuerySchema, location="query")
    @blp.response(200, SealStockSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    def get(self, args: dict[str, Any]):
        """Ranges issued, of one site or all"""
        site = db.session.scalar(sa.select(Site).where(Site.code == args["site"])) if args["site"] else None
        if args["site"] and site is None:
            abort(404, message="No such site.")
        return seal_stock.stock_of(db.session, site)

    @api_roles(*REGISTER_KEEPERS)
    @blp.arguments(SealStockInSchema)
    @blp.response(201, SealStockSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(422, description="Invalid or overlapping range; errors name the field")
    def post(self, data: dict[str, Any]):
        """Issue a numbered range of seals to a site"""
        site = _site(data.pop("site"))
        try:
            stock = seal_stock.issue_range(db.session, current_user, site, **data)
            db.session.commit()
        except WorkflowError as error:
            refuse(error)
        return stock

"""A shipment's logistics chain: the parties it names, read by whoever reads the shipment, named by its exporter."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..extensions import db
from ..models import Shipment
from ..roles import SHIPMENT_READERS
from ..services.errors import WorkflowError
from ..services.shipments.parties import parties_of, set_parties
from ..services.shipments.records import find_request
from .auth import api_roles
from .chain_schemas import ChainInSchema, ChainSchema
from .refusals import refuse

blp = Blueprint("chain_api", __name__, url_prefix="/requests", description="The logistics chain of a request")


def _visible(request_id: int) -> Shipment:
    found = find_request(db.session, current_user, request_id)
    if found is None:
        abort(404, message="No such request.")
    return found


def _chain(shipment: Shipment) -> dict[str, Any]:
    return {"request": shipment.reference, "parties": parties_of(db.session, shipment)}


@blp.route("/<int:request_id>/parties")
class Chain(MethodView):
    @api_roles(*SHIPMENT_READERS)
    @blp.response(200, ChainSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="Not found (or not yours)")
    def get(self, request_id: int):
        """The packhouse, carrier, driver, importer and customs broker the request names"""
        return _chain(_visible(request_id))

    @api_roles("exporter")
    @blp.arguments(ChainInSchema)
    @blp.response(200, ChainSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="Not found (or not yours)")
    @blp.alt_response(422, description="Unknown party, or a party of another kind; errors name the link")
    def put(self, data: dict[str, Any], request_id: int):
        """Name (or clear, with null) the parties of the request's chain by their register codes"""
        shipment = _visible(request_id)
        if shipment.exporter_id != current_user.exporter_id:
            abort(404, message="No such request.")
        try:
            set_parties(db.session, current_user, shipment, data)
            db.session.commit()
        except WorkflowError as error:
            refuse(error)
        return _chain(shipment)

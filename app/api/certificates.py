"""SPS certificate export of a shipment's joint inspection, as JSON or XML."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from ..extensions import db
from ..services.border.certificates import certificate_for
from ..services.border.certificates_xml import certificate_xml
from ..services.errors import WorkflowError
from .auth import api_roles
from .seals import visible_request
from .certificates_schemas import DocumentFormatSchema, CertificateSchema

blp = Blueprint("certificates", __name__, url_prefix="/requests",
                description="Inspection certificates with the UN/CEFACT SPS certificate fields")
XML_DOC = {"200": {"content": {"application/xml": {"schema": {"type": "string"}}}}}


@blp.route("/<int:request_id>/certificate")
class Certificate(MethodView):
    @api_roles()
    @blp.arguments(DocumentFormatSchema, location="query", unknown=RAISE)
    @blp.response(200, CertificateSchema, description="The certificate (application/xml with format=xml)")
    @blp.doc(responses=XML_DOC)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(404, description="No such request, or one outside the caller's company, port or bookings")
    @blp.alt_response(409, description="No joint inspection recorded yet")
    def get(self, args, request_id: int):
        """The certificate of a shipment's joint inland inspection"""
        # The same scope as the shipment's seals: the exporter's company, the officer's port, the
        # inspections an inspector is booked on; others do not learn the shipment exists.
        shipment = visible_request(request_id, message="No such request.")
        try:
            certificate = certificate_for(db.session, shipment)
        except WorkflowError as refused:
            abort(409, message=refused.message)
        if args["format"] == "xml":
            return Response(certificate_xml(certificate), mimetype="application/xml")
        return certificate

"""The trusted-trader register: programs, the recognition arrangement, chain parties and statuses (one or a file)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..extensions import db
from ..roles import REGISTER_KEEPERS, REGISTER_READERS
from ..services.agreements import register
from ..services.agreements.register_csv import import_statuses
from ..services.errors import WorkflowError
from .auth import api_roles
from .refusals import refuse
from .register_schemas import (
    ArrangementSchema, ImportInSchema, ImportOutSchema, PartyInSchema, PartySchema, ProgramSchema, StatusInSchema,
    StatusQuerySchema, StatusSchema,
)

blp = Blueprint("register_api", __name__, url_prefix="/register", description="The trusted-trader register")


@blp.route("/programs")
class Programs(MethodView):
    @api_roles(*REGISTER_READERS)
    @blp.response(200, ProgramSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    def get(self):
        """Trusted-trader programs (CTPAT, OEA, FAST...) and whom they certify"""
        return register.programs(db.session)


@blp.route("/arrangements")
class Arrangements(MethodView):
    @api_roles(*REGISTER_READERS)
    @blp.response(200, ArrangementSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    def get(self):
        """Arrangements by which two administrations recognise each other's programs"""
        return register.arrangements(db.session)


@blp.route("/parties")
class Parties(MethodView):
    @api_roles(*REGISTER_READERS)
    @blp.response(200, PartySchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    def get(self):
        """Packhouses, carriers, drivers, importers and customs brokers"""
        return register.parties(db.session)

    @api_roles(*REGISTER_KEEPERS)
    @blp.arguments(PartyInSchema)
    @blp.response(201, PartySchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(422, description="Invalid input; errors name the field")
    def post(self, data: dict[str, Any]):
        """Register a party of a logistics chain"""
        try:
            party = register.create_party(db.session, current_user, **data)
            db.session.commit()
        except WorkflowError as error:
            refuse(error)
        return party


@blp.route("/statuses")
class Statuses(MethodView):
    @api_roles(*REGISTER_READERS)
    @blp.arguments(StatusQuerySchema, location="query")
    @blp.response(200, StatusSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(404, description="No such holder")
    def get(self, args: dict[str, Any]):
        """Register entries, by program, holder or status"""
        holder = None
        if args["holder"]:
            try:
                holder = register.holder_of(db.session, args["holder"])
            except WorkflowError:
                abort(404, message="No exporter or party has this code.")
        return register.entries(db.session, program=args["program"], holder=holder, status=args["status"])

    @api_roles(*REGISTER_KEEPERS)
    @blp.arguments(StatusInSchema)
    @blp.response(200, StatusSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(409, description="Changed by someone else since you read it")
    @blp.alt_response(422, description="Invalid input; errors name the field")
    def post(self, data: dict[str, Any]):
        """Record one holder's status in a program (created or changed by certificate id); audited"""
        version = data.pop("version_id")
        try:
            recorded = register.record_status(db.session, current_user, data, source="api", expected_version=version)
            db.session.commit()
        except WorkflowError as error:
            refuse(error)
        return recorded.entry


@blp.route("/statuses/import")
class StatusImport(MethodView):
    @api_roles(*REGISTER_KEEPERS)
    @blp.arguments(ImportInSchema)
    @blp.response(200, ImportOutSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Your role does not allow this")
    @blp.alt_response(422, description="Some lines are wrong (errors name line and field); nothing was recorded")
    def post(self, data: dict[str, Any]):
        """Import a register's published file: every line, or none"""
        try:
            result = import_statuses(db.session, current_user, data["csv"])
            db.session.commit()
        except WorkflowError as error:
            refuse(error, "csv")
        return result.as_dict()

"""The audit log, read-only, for supervisors and administrators."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from ..extensions import db
from ..services.access.audit_search import AuditFilters, search_audit
from .audit_schemas import AuditPageSchema, AuditQuerySchema
from .auth import api_roles

blp = Blueprint("audit", __name__, url_prefix="/audit", description="The append-only audit log")


@blp.route("")
class Audit(MethodView):
    @api_roles("supervisor", "admin")
    @blp.arguments(AuditQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, AuditPageSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a supervisor or administrator")
    def get(self, args):
        """Audit entries, newest first, filtered by entity, actor, action and day"""
        return search_audit(db.session, AuditFilters(**args))

"""Administrator pages: accounts and API tokens; the audit log for supervisors and administrators."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import routes, tokens  # noqa: E402,F401
from .audit import bp as audit_bp  # noqa: E402,F401  (at /audit: supervisors read it too)

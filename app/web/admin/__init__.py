"""Administrator pages: accounts and API tokens; the audit log for supervisors and administrators."""

from .blueprint import bp as bp

from . import accounts, routes, tokens  # noqa: F401  (registers the routes)
from .audit import bp as audit_bp  # noqa: F401  (at /audit: supervisors read it too)

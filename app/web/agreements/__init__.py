"""Agreements, their rule versions and the Joint Work Plan: coordinators manage, supervisors read."""

from .blueprint import bp as bp

from . import routes, rule_routes  # noqa: F401  (registers the routes)

"""Agreements, their rule versions, the Joint Work Plan, pilots and the changes both parties approve."""

from .blueprint import bp as bp

from . import approval_routes, pilot_routes, routes, rule_routes  # noqa: F401  (registers the routes)

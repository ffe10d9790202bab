"""Agreements, their rule versions and the Joint Work Plan: coordinators manage, supervisors read."""

from flask import Blueprint

bp = Blueprint("agreements", __name__, url_prefix="/agreements")

from . import routes, rule_routes  # noqa: E402,F401

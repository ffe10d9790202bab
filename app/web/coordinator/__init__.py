"""Coordinator pages: the request queue, sites and inspectors."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")

from . import board, resources, routes, runs  # noqa: E402,F401

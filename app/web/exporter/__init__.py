"""Exporter pages: their own company's shipments only."""

from flask import Blueprint

bp = Blueprint("exporter", __name__, url_prefix="/exporter")

from . import request_form, routes, upload  # noqa: E402,F401

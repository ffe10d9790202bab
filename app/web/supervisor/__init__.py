"""Supervisor pages: is mutual recognition working?"""

from flask import Blueprint

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")

from . import export, routes  # noqa: E402,F401

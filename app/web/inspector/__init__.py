"""Inspector pages: their own assignments."""

from flask import Blueprint

bp = Blueprint("inspector", __name__, url_prefix="/inspector")

from . import routes  # noqa: E402,F401

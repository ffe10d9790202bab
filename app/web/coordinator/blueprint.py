"""The coordinator blueprint, apart from its routes so they can import it without a circle."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")

"""The supervisor blueprint, apart from its routes so they can import it without a circle."""

from flask import Blueprint

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")

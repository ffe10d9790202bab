"""The reference blueprint, apart from its routes so they can import it without a circle."""

from flask import Blueprint

bp = Blueprint("reference_data", __name__, url_prefix="/reference")

"""The officer blueprint, apart from its routes so they can import it without a circle."""

from flask import Blueprint

bp = Blueprint("officer", __name__, url_prefix="/officer")

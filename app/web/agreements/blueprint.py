"""The agreements blueprint, apart from its routes so they can import it without a circle."""

from flask import Blueprint

bp = Blueprint("agreements", __name__, url_prefix="/agreements")

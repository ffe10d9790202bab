"""The register blueprint, apart from its routes so they can import it without a circle."""

from flask import Blueprint

bp = Blueprint("register", __name__, url_prefix="/register")

"""Border officer pages: the port's queue of arriving shipments."""

from flask import Blueprint

bp = Blueprint("officer", __name__, url_prefix="/officer")

from . import routes  # noqa: E402,F401

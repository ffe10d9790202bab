"""Error pages in the user's language, and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from ..extensions import api


def _handle(error: HTTPException):
    if request.path.startswith("/api/"):
        return api.handle_http_exception(error)  # one JSON shape, with the fields at fault
    template = f"errors/{error.code}.html" if error.code in (403, 404) else "errors/generic.html"
    return render_template(template, error=error), error.code


def register_error_handlers(app: Flask) -> None:
    for code in (400, 403, 404, 405, 409, 413, 422, 429):
        app.register_error_handler(code, _handle)

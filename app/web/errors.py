"""Error pages in the user's language, and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def _handle(error: HTTPException):
    if request.path.startswith("/api/"):
        response = jsonify(code=error.code, status=error.name, message=error.description)
        response.status_code = error.code or 500
        return response
    template = f"errors/{error.code}.html" if error.code in (403, 404) else "errors/generic.html"
    return render_template(template, error=error), error.code


def register_error_handlers(app: Flask) -> None:
    for code in (400, 403, 404, 405, 409, 413, 422, 429):
        app.register_error_handler(code, _handle)

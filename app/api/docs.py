"""Browsable API documentation: Swagger UI from vendored files, no CDN, no inline script."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__)


@bp.route("/api/docs")
def docs():
    return render_template("admin/api_docs.html")

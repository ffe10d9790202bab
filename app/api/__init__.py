"""The REST API under /api/v1 (flask-smorest), answering 401 JSON to the unauthenticated."""

from __future__ import annotations

from flask import Flask

from ..extensions import api


def init_api(app: Flask) -> None:
    from .me import blp as me_blp
    from .reference import blp as reference_blp

    api.init_app(app)
    api.spec.options.setdefault("servers", [{"url": "/"}])
    for blueprint in (me_blp, reference_blp):
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix or ''}")

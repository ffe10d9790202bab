"""The REST API under /api/v1 (flask-smorest), answering 401 JSON to the unauthenticated."""

from __future__ import annotations

from flask import Flask

from ..extensions import api
from . import strict_input


def init_api(app: Flask) -> None:
    from .me import blp as me_blp
    from .reference import blp as reference_blp
    from .requests import blp as requests_blp
    from .runs import blp as runs_blp
    from .inspections import blp as inspections_blp
    from .seals import blp as seals_blp
    from .safety import blp as safety_blp
    from .agreements import blp as agreements_blp
    from .metrics import blp as metrics_blp
    from .tokens import blp as tokens_blp
    from .audit import blp as audit_blp
    from .certificates import blp as certificates_blp
    from .staff import blp as staff_blp
    from .exchange import blp as exchange_blp
    from .exporters import blp as exporters_blp
    from .holidays import blp as holidays_blp
    from .inspectors import blp as inspectors_blp
    from .shifts import blp as shifts_blp
    from .sites import blp as sites_blp
    from .users import blp as users_blp
    from .register import blp as register_blp
    from .approvals import blp as approvals_blp
    from .pilots import blp as pilots_blp
    from .seal_stock import blp as seal_stock_blp
    from .chain import blp as chain_blp

    api.init_app(app)
    strict_input.init_app(app)
    api.spec.options.setdefault("servers", [{"url": "/"}])
    for blueprint in (me_blp, reference_blp, requests_blp, runs_blp, inspections_blp, seals_blp, safety_blp, agreements_blp, metrics_blp,
                      tokens_blp, audit_blp, certificates_blp, staff_blp, exchange_blp, users_blp, sites_blp,
                      inspectors_blp, shifts_blp, exporters_blp, holidays_blp, register_blp, approvals_blp, pilots_blp,
                      seal_stock_blp, chain_blp):
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix or ''}")

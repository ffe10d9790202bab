"""The coordinator's queue of requests to plan and the sites they plan on."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from ...auth.decorators import role_required
from ...extensions import db
from ...models import InspectionRequest, Inspector, ScheduleRun, Site
from . import bp


@bp.route("/")
@role_required("coordinator", "admin")
def home():
    queue = db.session.scalars(
        sa.select(InspectionRequest)
        .where(InspectionRequest.status == "requested")
        .order_by(InspectionRequest.cross_by)
        .limit(50)
    ).all()
    queue_size = db.session.scalar(
        sa.select(sa.func.count()).select_from(InspectionRequest).where(InspectionRequest.status == "requested")
    )
    sites = db.session.scalars(sa.select(Site).order_by(Site.kind, Site.name)).all()
    inspectors_by_site = dict(
        db.session.execute(
            sa.select(Inspector.home_site_id, sa.func.count()).where(Inspector.active).group_by(Inspector.home_site_id)
        ).all()
    )
    runs = db.session.scalars(sa.select(ScheduleRun).order_by(ScheduleRun.created_at.desc()).limit(5)).all()
    return render_template(
        "coordinator/home.html",
        queue=queue,
        queue_size=queue_size,
        sites=sites,
        inspectors_by_site=inspectors_by_site,
        runs=runs,
    )

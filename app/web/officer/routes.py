"""The officer's queue: shipments heading to their port, waived and sealed or needing inspection."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...models import InspectionRequest, Inspector, Site
from . import bp

ARRIVING = ("scheduled", "inspected", "sealed", "at_border")


@bp.route("/")
@role_required("officer")
def home():
    inspector = db.session.scalar(sa.select(Inspector).where(Inspector.user_id == current_user.id))
    port = inspector.home_site if inspector is not None else None
    query = sa.select(InspectionRequest).where(InspectionRequest.status.in_(ARRIVING))
    if port is not None:
        query = query.where(InspectionRequest.port_id == port.id)
    queue = db.session.scalars(query.order_by(InspectionRequest.arrive_port).limit(100)).all()
    ports = db.session.scalars(sa.select(Site).where(Site.kind == "port").order_by(Site.name)).all()
    return render_template("officer/home.html", port=port, queue=queue, ports=ports)

"""The inspector's assignments from today on."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...models import Inspection, InspectorBooking, Inspector, utcnow
from . import bp


@bp.route("/")
@role_required("inspector")
def home():
    inspector = db.session.scalar(sa.select(Inspector).where(Inspector.user_id == current_user.id))
    assignments = []
    if inspector is not None:
        since = utcnow() - timedelta(hours=12)
        assignments = db.session.scalars(
            sa.select(Inspection)
            .join(InspectorBooking)
            .where(InspectorBooking.inspector_id == inspector.id, Inspection.end >= since, InspectorBooking.active)
            .order_by(Inspection.start)
            .limit(100)
        ).all()
    return render_template("inspector/home.html", inspector=inspector, assignments=assignments)

"""The supervisor's summary: border decisions, seal exceptions and the Joint Work Plan."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from ...auth.decorators import role_required
from ...extensions import db
from ...models import Agreement, BorderDecision, Milestone, Seal, utcnow
from . import bp


@bp.route("/")
@role_required("supervisor", "admin")
def home():
    decisions = dict(
        db.session.execute(
            sa.select(BorderDecision.decision, sa.func.count())
            .where(BorderDecision.current)
            .group_by(BorderDecision.decision)
        ).all()
    )
    seal_exceptions = db.session.scalar(
        sa.select(sa.func.count()).select_from(Seal).where(Seal.status.in_(("broken", "missing", "mismatch")))
    )
    milestones = db.session.scalars(sa.select(Milestone).order_by(Milestone.due_on)).all()
    agreements = db.session.scalars(sa.select(Agreement).order_by(Agreement.code)).all()
    return render_template(
        "supervisor/home.html",
        decisions=decisions,
        seal_exceptions=seal_exceptions,
        milestones=milestones,
        agreements=agreements,
        today=utcnow().date(),
    )

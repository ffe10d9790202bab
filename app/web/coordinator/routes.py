"""The coordinator's queue of requests to plan and the sites they plan on."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import get_locale
from sqlalchemy.orm import selectinload

from ...auth.decorators import role_required
from ...extensions import db
from ...models import Shipment, Inspector, ScheduleRun, Site
from .blueprint import bp
from .board_forms import queue_form
from .runs import PLANNING_ZONE


@bp.route("/")
@role_required("coordinator", "admin")
def home():
    queue = db.session.scalars(
        sa.select(Shipment)
        .where(Shipment.status == "requested")
        .order_by(Shipment.cross_by)
        .limit(50)
    ).all()
    queue_size = db.session.scalar(
        sa.select(sa.func.count()).select_from(Shipment).where(Shipment.status == "requested")
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


QUEUE_PAGE_SIZE = 50
QUEUE_STATUSES = {"open": ("requested", "scheduled"), "requested": ("requested",), "scheduled": ("scheduled",)}


@bp.route("/queue")
@role_required("coordinator", "admin")
def queue():
    """Requests for a horizon, filtered by status, port, commodity and dates, a page at a time."""
    form = queue_form(db.session, request.args, str(get_locale()))
    form.validate()
    query = _queue_query(form)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // QUEUE_PAGE_SIZE))
    page = min(form.page.data or 1, pages) if not form.page.errors else 1
    rows = db.session.scalars(
        query.options(selectinload(Shipment.exporter), selectinload(Shipment.port),
                      selectinload(Shipment.commodity))
        .order_by(Shipment.cross_by, Shipment.id)
        .offset((page - 1) * QUEUE_PAGE_SIZE).limit(QUEUE_PAGE_SIZE)
    ).all()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("coordinator/queue.html", form=form, rows=rows, total=total, page=page, pages=pages,
                           args=args)


def _queue_query(form) -> sa.Select:
    """Requests whose window [ready, cross_by] meets the dates, in central Mexico days."""
    query = sa.select(Shipment)
    status = form.status.data if form.status.data in QUEUE_STATUSES or form.status.data == "all" else "open"
    if status != "all":
        query = query.where(Shipment.status.in_(QUEUE_STATUSES[status]))
    if form.port.data and not form.port.errors:
        query = query.where(Shipment.port_id == form.port.data)
    if form.commodity.data and not form.commodity.errors:
        query = query.where(Shipment.commodity_code == form.commodity.data)
    if form.date_from.data and not form.date_from.errors:
        query = query.where(Shipment.cross_by >= datetime.combine(form.date_from.data, time(0), PLANNING_ZONE))
    if form.date_to.data and not form.date_to.errors:
        end = datetime.combine(form.date_to.data + timedelta(days=1), time(0), PLANNING_ZONE)
        query = query.where(Shipment.ready < end)
    return query

"""Sites and inspectors: close or reopen a site, take an inspector off their shifts."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ...auth.decorators import role_required
from ...extensions import db
from ...models import Inspector, Shift, Site, User, utcnow
from ...services.planning.disruptions import close_site, mark_unavailable, reopen_site
from ...services.errors import WorkflowError
from .blueprint import bp
from .forms import CloseSiteForm, ConfirmForm, UnavailableForm


def _me() -> User:
    return db.session.get(User, current_user.id)


@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
@role_required("coordinator", "admin")
def site(site_id: int):
    site = db.session.get(Site, site_id) or abort(404)
    form = CloseSiteForm()
    if form.validate_on_submit():
        try:
            close_site(db.session, _me(), site, form.reason.data)
            db.session.commit()
            flash(_("%(site)s is closed. Re-plan to move its inspections.", site=site.name), "info")
            return redirect(url_for("coordinator.site", site_id=site.id))
        except WorkflowError as error:
            db.session.rollback()
            form.reason.errors.append(error.message)
    inspectors = db.session.scalars(sa.select(Inspector).where(Inspector.home_site_id == site.id)
                                    .order_by(Inspector.agency, Inspector.code)).all()
    return render_template("coordinator/site.html", site=site, form=form, reopen=ConfirmForm(),
                           inspectors=inspectors), 422 if form.errors else 200


@bp.route("/sites/<int:site_id>/reopen", methods=["POST"])
@role_required("coordinator", "admin")
def reopen(site_id: int):
    site = db.session.get(Site, site_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        reopen_site(db.session, _me(), site)
        db.session.commit()
    except WorkflowError as error:
        flash(error.message, "error")
    return redirect(url_for("coordinator.site", site_id=site.id))


@bp.route("/inspectors/<int:inspector_id>", methods=["GET", "POST"])
@role_required("coordinator", "admin")
def inspector(inspector_id: int):
    inspector = db.session.scalar(sa.select(Inspector).where(Inspector.id == inspector_id)
                                  .options(selectinload(Inspector.qualifications))) or abort(404)
    zone = ZoneInfo(inspector.home_site.timezone)
    form = UnavailableForm()
    if form.validate_on_submit():
        start = datetime.combine(form.first_day.data, time(0), zone)
        end = datetime.combine(form.last_day.data, time(0), zone) + timedelta(days=1)
        try:
            shifts = mark_unavailable(db.session, _me(), inspector, start, end, form.reason.data)
            db.session.commit()
            flash(_("%(count)d shifts marked unavailable. Re-plan to cover them.", count=len(shifts)), "info")
            return redirect(url_for("coordinator.inspector", inspector_id=inspector.id))
        except WorkflowError as error:
            db.session.rollback()
            getattr(form, {"end": "last_day", "start": "first_day"}.get(error.field, "reason")).errors.append(error.message)
    shifts = db.session.scalars(sa.select(Shift).where(Shift.inspector_id == inspector.id,
                                                       Shift.end > utcnow() - timedelta(days=1))
                                .order_by(Shift.start).limit(30)).all()
    return render_template("coordinator/inspector.html", inspector=inspector, shifts=shifts, form=form), \
        422 if form.errors else 200

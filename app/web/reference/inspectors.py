"""Inspectors: the list by site, a new one, and one inspector's agency, home site, qualifications and limit."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Inspector, Site
from ...services.errors import WorkflowError
from ...services.planning.inspectors import create_inspector, update_inspector
from .blueprint import bp
from .common import found, language, me, planners_only, show_refusal
from .forms import InspectorForm


@bp.route("/inspectors")
@planners_only
def inspectors():
    site_code = request.args.get("site") or None
    query = sa.select(Inspector).options(selectinload(Inspector.home_site), selectinload(Inspector.qualifications))
    if site_code:
        query = query.join(Site, Inspector.home_site_id == Site.id).where(Site.code == site_code)
    rows = db.session.scalars(query.order_by(Inspector.code)).all()
    sites = db.session.execute(sa.select(Site.code, Site.name).order_by(Site.name)).all()
    return render_template("reference/inspectors.html", rows=rows, sites=sites, site_code=site_code)


@bp.route("/inspectors/new", methods=["GET", "POST"])
@planners_only
def new_inspector():
    form = InspectorForm().with_choices(db.session, language())
    if not form.is_submitted() and request.args.get("site"):
        form.home_site.data = request.args["site"]
    others = {}
    if form.validate_on_submit():
        try:
            inspector = create_inspector(db.session, me(), form.data_for_service())
        except WorkflowError as error:
            others = show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Inspector %(name)s is created. Next: their shifts.", name=inspector.name), "info")
            return redirect(url_for("reference_data.inspector", inspector_id=inspector.id))
    return _page(form, others, None)


@bp.route("/inspectors/<int:inspector_id>", methods=["GET", "POST"])
@planners_only
def inspector(inspector_id: int):
    inspector = found(Inspector, inspector_id)
    if request.method == "GET":
        form = InspectorForm(obj=inspector, formdata=None).with_choices(db.session, language())
        form.home_site.data = inspector.home_site.code
        form.commodities.data = [c.code for c in inspector.qualifications]
        form.user.data = inspector.user.username if inspector.user else ""
        return _page(form, {}, inspector)
    form = InspectorForm().with_choices(db.session, language())
    form.code.data = inspector.code  # it does not change
    others = {}
    if form.validate_on_submit():
        try:
            update_inspector(db.session, me(), inspector, form.data_for_service())
        except WorkflowError as error:
            others = show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Inspector %(name)s is saved.", name=inspector.name), "info")
            return redirect(url_for("reference_data.inspector", inspector_id=inspector.id))
    return _page(form, others, inspector)


def _page(form: InspectorForm, others: dict[str, str], inspector: Inspector | None):
    status = 422 if any(form.errors.values()) or others else 200
    return render_template("reference/inspector.html", form=form, others=others, inspector=inspector), status

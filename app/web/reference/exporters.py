"""Exporting companies: the list, a new one, one company's fields and its accounts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...extensions import db
from ...models import Exporter, User
from ...services.errors import WorkflowError
from ...services.planning.exporters import create_exporter, update_exporter
from .blueprint import bp
from .common import found, me, planners_only, show_refusal
from .forms import ExporterForm


@bp.route("/exporters")
@planners_only
def exporters():
    rows = db.session.scalars(sa.select(Exporter).order_by(Exporter.legal_name)).all()
    return render_template("reference/exporters.html", rows=rows)


@bp.route("/exporters/new", methods=["GET", "POST"])
@planners_only
def new_exporter():
    form = ExporterForm()
    others = {}
    if form.validate_on_submit():
        try:
            exporter = create_exporter(db.session, me(), form.data_for_service())
        except WorkflowError as error:
            others = show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Exporter %(name)s is created.", name=exporter.legal_name), "info")
            return redirect(url_for("reference_data.exporter", exporter_id=exporter.id))
    return _page(form, others, None)


@bp.route("/exporters/<int:exporter_id>", methods=["GET", "POST"])
@planners_only
def exporter(exporter_id: int):
    exporter = found(Exporter, exporter_id)
    if request.method == "GET":
        return _page(ExporterForm(obj=exporter, formdata=None), {}, exporter)
    form = ExporterForm()
    form.code.data = exporter.code  # it does not change
    others = {}
    if form.validate_on_submit():
        try:
            update_exporter(db.session, me(), exporter, form.data_for_service())
        except WorkflowError as error:
            others = show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Exporter %(name)s is saved.", name=exporter.legal_name), "info")
            return redirect(url_for("reference_data.exporter", exporter_id=exporter.id))
    return _page(form, others, exporter)


def _page(form: ExporterForm, others: dict[str, str], exporter: Exporter | None):
    accounts = db.session.scalars(sa.select(User).where(User.exporter_id == exporter.id).order_by(User.username)
                                  ).all() if exporter else []
    status = 422 if any(form.errors.values()) or others else 200
    return render_template("reference/exporter.html", form=form, others=others, exporter=exporter,
                           accounts=accounts), status

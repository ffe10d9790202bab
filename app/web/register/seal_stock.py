"""Seal stock: the numbered ranges issued to each site, how many are used, and issuing a new range."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.decorators import role_required
from ...extensions import db
from ...models import Site
from ...roles import PROGRAM_STAFF, REGISTER_KEEPERS
from ...services.border import seal_stock
from ...services.errors import WorkflowError
from ..agreements.forms import show_refusal
from .blueprint import bp
from .forms import SealStockForm


def _form() -> SealStockForm:
    form = SealStockForm()
    sites = db.session.scalars(sa.select(Site).where(Site.kind == "inland").order_by(Site.code))
    form.site.choices = [(s.code, f"{s.code} · {s.name}") for s in sites]
    return form


@bp.route("/seal-stock", methods=["GET", "POST"])
@role_required(*PROGRAM_STAFF)
def seal_stock_page():
    form = _form() if current_user.role in REGISTER_KEEPERS else None
    if request.method == "POST":
        if form is None:
            return redirect(url_for(".seal_stock_page"))
        if form.validate_on_submit():
            site = db.session.scalar(sa.select(Site).where(Site.code == form.site.data))
            try:
                stock = seal_stock.issue_range(db.session, current_user, site, issuer=form.issuer.data,
                                               iso_class=form.iso_class.data, kind=form.kind.data,
                                               prefix=form.prefix.data, issued_on=form.issued_on.data,
                                               **form.numbers())
                db.session.commit()
            except WorkflowError as error:
                db.session.rollback()
                show_refusal(form, error)
            else:
                flash(_("Seals %(first)s to %(last)s issued to %(site)s.", first=stock.number(stock.first),
                        last=stock.number(stock.last), site=site.name), "success")
                return redirect(url_for(".seal_stock_page"))
    ranges = [seal_stock.usage(db.session, stock) for stock in seal_stock.stock_of(db.session)]
    status = 422 if form is not None and form.errors or (form and form.form_errors) else 200
    return render_template("register/seal_stock.html", ranges=ranges, form=form,
                           classes=seal_stock.CLASS_LABELS), status

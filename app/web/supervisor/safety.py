"""Is recognition safe? The supervisors' page: interception rates with their intervals, suspensions and
their lifts (both agencies sign), and the risk flags that raise verification."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ...auth.decorators import role_required
from ...days import today_in, viewer_zone
from ...extensions import db
from ...models import Commodity, RiskFlag, Suspension, User, utcnow
from ...roles import OVERSEERS
from ...services.agreements import suspensions as suspension_service
from ...services.dashboard.safety import safety
from ...services.errors import WorkflowError
from .blueprint import bp
from .filters import parse_filters


class LiftForm(FlaskForm):
    reason = TextAreaField(_l("Why recognition can resume"), validators=[DataRequired(), Length(max=1000)])


class FlagForm(FlaskForm):
    commodity = SelectField(_l("Commodity"), validators=[Optional()])
    origin_state = StringField(_l("Origin state (code)"), validators=[Optional(), Length(max=10)])
    reason = TextAreaField(_l("Why"), validators=[DataRequired(), Length(max=1000)])


def _flag_form() -> FlagForm:
    form = FlagForm()
    language = str(get_locale())
    form.commodity.choices = [SelectChoice("", "—")] + [SelectChoice(c.code, c.name(language)) for c in
                                                        db.session.scalars(sa.select(Commodity).order_by(Commodity.code))]
    return form


@bp.route("/safety")
@role_required(*OVERSEERS)
def safety_page():
    zone = viewer_zone()
    filters = parse_filters(request.args, today_in(zone), zone)
    figures = safety(db.session, filters.period, utcnow(), str(get_locale()))
    suspensions = suspension_service.visible_suspensions(db.session, db.session.get(User, current_user.id))
    flags = db.session.scalars(sa.select(RiskFlag).where(RiskFlag.lowered_at.is_(None))
                               .order_by(RiskFlag.flagged_at.desc())).all()
    return render_template("supervisor/safety.html", figures=figures, filters=filters, suspensions=suspensions,
                           flags=flags, lift_form=LiftForm(formdata=None), flag_form=_flag_form())


@bp.route("/suspensions/<int:suspension_id>/lift", methods=["POST"])
@role_required("supervisor")
def lift(suspension_id: int):
    suspension = db.session.get(Suspension, suspension_id) or abort(404)
    form = LiftForm()
    if not form.validate_on_submit():
        flash(_("Say why recognition can resume."), "error")
        return redirect(url_for("supervisor.safety_page", _anchor="suspensions"))
    try:
        suspension_service.sign_lift(db.session, db.session.get(User, current_user.id), suspension, form.reason.data)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("Suspension lifted: recognition resumes.") if suspension.lifted_at else
              _("Your agency has signed; the lift takes effect when the other agency's supervisor signs."), "info")
    return redirect(url_for("supervisor.safety_page", _anchor="suspensions"))


@bp.route("/risk-flags", methods=["POST"])
@role_required("supervisor")
def raise_flag():
    form = _flag_form()
    if form.validate_on_submit():
        try:
            suspension_service.flag_risk(db.session, db.session.get(User, current_user.id), form.commodity.data,
                                         form.origin_state.data, form.reason.data)
            db.session.commit()
            flash(_("Flag raised: more of these loads will be verified."), "info")
        except WorkflowError as error:
            db.session.rollback()
            flash(error.message, "error")
    else:
        flash(_("Say why."), "error")
    return redirect(url_for("supervisor.safety_page", _anchor="flags"))


@bp.route("/risk-flags/<int:flag_id>/lower", methods=["POST"])
@role_required("supervisor")
def lower_flag(flag_id: int):
    flag = db.session.get(RiskFlag, flag_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        suspension_service.lower_flag(db.session, db.session.get(User, current_user.id), flag)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("supervisor.safety_page", _anchor="flags"))

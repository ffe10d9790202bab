"""The signed-in user's own account: changing the password ends every other session."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

import sqlalchemy as sa

from ..days import PROGRAM_ZONE
from ..extensions import db, limiter
from ..models import Site, User
from ..services.access.audit import record
from ..services.access.tokens import list_tokens, revoke_token
from .passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password

bp = Blueprint("account", __name__, url_prefix="/account")


class NewPasswordForm(FlaskForm):
    """A new password typed twice: a reset link's or a temporary password's first page."""

    new_password = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256, message=_l("Use %(min)d to %(max)d characters."))],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"})


class PasswordForm(NewPasswordForm):
    """A signed-in person changes their password: the current one first."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                                     render_kw={"autocomplete": "current-password"})


class TimezoneForm(FlaskForm):
    """The zone the days of the dashboard and of lists across sites are in."""

    timezone = SelectField(_l("Your time zone"))


def timezone_form(user: User, formdata: object = None) -> TimezoneForm:
    """The program's zone, UTC and every site's zone to choose from; empty keeps the program's."""
    zones = set(db.session.scalars(sa.select(Site.timezone).distinct())) | {PROGRAM_ZONE, "UTC"}
    form = TimezoneForm(formdata=formdata, timezone=user.timezone or "")
    form.timezone.choices = [("", _("The program's: %(zone)s", zone=PROGRAM_ZONE))] + [(z, z) for z in sorted(zones)]
    return form


@bp.route("/timezone", methods=["POST"])
@login_required
def timezone():
    user = db.session.get(User, current_user.id)
    form = timezone_form(user, formdata=request.form)
    if form.validate():
        user.timezone = form.timezone.data or None
        db.session.commit()
        flash(_("Days on the dashboard and in lists across sites are now days in %(zone)s.",
                zone=user.timezone or PROGRAM_ZONE), "info")
    else:
        flash(_("Choose a time zone from the list."), "error")
    return redirect(url_for("account.password"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(_("Choose a password different from the current one."))
        else:
            _change(user, form.new_password.data)
            flash(_("Your password is changed. Every other session has been signed out and your API tokens "
                    "revoked."), "info")
            return redirect(url_for("web.home"))
    return render_template("auth/password.html", form=form, min_length=MIN_PASSWORD_LENGTH,
                           zone_form=timezone_form(db.session.get(User, current_user.id)))


def _change(user: User, new_password: str) -> None:
    """New hash, a new session version and no working token: whoever knew the old password is out.

    This browser signs in again with the new version.
    """
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    for token in list_tokens(db.session, user):
        if token.revoked_at is None:
            revoke_token(db.session, token, actor=user)
    user.must_change_password = False  # a temporary password from an administrator is replaced
    record(db.session, user, "user.password_changed", user)
    db.session.commit()
    session.clear()
    session.permanent = True
    login_user(user)

"""The administrator's API tokens: create one (its secret shown once), list them, revoke."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ...auth.decorators import role_required
from ...auth.password_setup import no_store
from ...extensions import db
from ...models import ApiToken, User, utcnow
from ...roles import ADMIN
from ...services.access.tokens import issue_token, list_tokens, revoke_token
from ...services.errors import WorkflowError
from .accounts import show_errors
from .blueprint import bp
from .forms import TokenForm


class RevokeForm(FlaskForm):
    """Only the CSRF token: the token to revoke is in the URL."""


@bp.route("/tokens", methods=["GET", "POST"])
@role_required(ADMIN)
def tokens():
    form = TokenForm().with_accounts(db.session)
    if not form.is_submitted() and request.args.get("user"):
        form.user.data = request.args["user"]
    if form.validate_on_submit():
        owner = db.session.scalar(sa.select(User).where(User.username == form.user.data))
        try:
            token, secret = issue_token(db.session, owner, form.name.data, form.expires_days.data,
                                        actor=db.session.get(User, current_user.id))
        except WorkflowError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            return no_store(render_template("admin/token_secret.html", token=token, secret=secret))
    return render_template("admin/tokens.html", tokens=list_tokens(db.session), now=utcnow(), form=RevokeForm(),
                           create=form), 422 if form.errors else 200


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@role_required(ADMIN)
def revoke(token_id: int):
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    revoke_token(db.session, token, db.session.get(User, current_user.id))
    db.session.commit()
    flash(_("Token %(name)s of %(user)s is revoked.", name=token.name, user=token.user.username), "info")
    return redirect(url_for("admin.tokens"))

"""The administrator's list of API tokens, with revoking."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ...auth.decorators import role_required
from ...extensions import db
from ...models import ApiToken, User, utcnow
from ...services.access.tokens import list_tokens, revoke_token
from .blueprint import bp


class RevokeForm(FlaskForm):
    """Only the CSRF token: the token to revoke is in the URL."""


@bp.route("/tokens")
@role_required("admin")
def tokens():
    return render_template("admin/tokens.html", tokens=list_tokens(db.session), now=utcnow(), form=RevokeForm())


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@role_required("admin")
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

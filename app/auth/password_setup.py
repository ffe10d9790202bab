"""Setting a password after an administrator's reset: the one-time link's page, and the temporary
password that must be changed before anything else."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db, limiter
from ..services.access.password_setup import find_link, use_link
from ..services.errors import WorkflowError
from . import authenticated_by_bearer
from .account import NewPasswordForm
from .passwords import MIN_PASSWORD_LENGTH

bp = Blueprint("password_setup", __name__, url_prefix="/account")

# Pages a person with a temporary password may still reach: the change itself, signing out, the language.
ALLOWED_FIRST = {"account.password", "auth.logout", "auth.login", "web.set_language", "static",
                 "password_setup.reset", "favicon"}


@bp.route("/reset/<secret>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset(secret: str):
    """Anyone holding the link may choose the password once; an unknown, used or old link says so."""
    link = find_link(db.session, secret)
    if link is None:
        return render_template("auth/reset.html", form=None), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            use_link(db.session, link, form.new_password.data)
        except WorkflowError as error:
            db.session.rollback()
            form.new_password.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your password is set. Sign in with it."), "info")
            return redirect(url_for("auth.login"))
    page = render_template("auth/reset.html", form=form, username=link.user.username, min_length=MIN_PASSWORD_LENGTH)
    return no_store(page, 422 if form.errors else 200)


def require_new_password():
    """Someone signed in with a temporary password changes it before anything else (not bearer calls)."""
    if not current_user.is_authenticated or authenticated_by_bearer():
        return None
    if not current_user.must_change_password or request.endpoint in ALLOWED_FIRST:
        return None
    if request.path.startswith("/api/"):
        response = jsonify(code=403, status="Forbidden", message="Change your temporary password first.")
        response.status_code = 403
        return response
    flash(_("Choose a new password before you go on: the one you were given is temporary."), "info")
    return redirect(url_for("account.password"))


def no_store(body: str, status: int = 200) -> Response:
    """A page that shows a secret once (or takes one): never kept by the browser or a proxy."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_password_setup(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(require_new_password)

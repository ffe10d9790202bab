"""Sign in and sign out pages."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..models import User, utcnow
from ..services.access.audit import record
from .forms import LoginForm
from . import passwords
from .passwords import hash_password, needs_rehash, verify_password

bp = Blueprint("auth", __name__)

LOCK_AFTER_FAILURES = 10
LOCK_MINUTES = 15


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, so the login page cannot be used to send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _submitted_username() -> str:
    """Rate-limit key for attempts on one account, from whichever addresses they come."""
    return "login-user:" + (request.form.get("username") or "").strip().lower()[:80]


TOO_MANY_ATTEMPTS = _l("Too many sign-in attempts. Wait a minute and try again.")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"], error_message=TOO_MANY_ATTEMPTS)  # per address
@limiter.limit("10 per minute", methods=["POST"], key_func=_submitted_username, error_message=TOO_MANY_ATTEMPTS)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).where(User.username == form.username.data.strip()))
        if user is not None and user.locked_until and user.locked_until > utcnow():
            flash(_("Too many failed attempts. Try again in a few minutes."), "error")
            return render_template("auth/login.html", form=form), 429
        if user is None or not user.active or not verify_password(user.password_hash, form.password.data):
            if user is None:
                verify_password(passwords.DUMMY_HASH, form.password.data)
            else:
                _count_failure(user)
            flash(_("Invalid username or password."), "error")
            return render_template("auth/login.html", form=form), 401
        _sign_in(user, form.password.data)
        return redirect(_safe_next(request.args.get("next")) or url_for("web.home"))
    return render_template("auth/login.html", form=form)


def _count_failure(user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins >= LOCK_AFTER_FAILURES:
        user.locked_until = utcnow() + timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0
        record(db.session, None, "user.locked", user, after={"until": user.locked_until.isoformat()})
    db.session.commit()


def _sign_in(user: User, password: str) -> None:
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    db.session.commit()
    session.clear()
    session.permanent = True
    login_user(user)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Ending the session bumps the user's session version, so a copied cookie stops working."""
    user = db.session.get(User, current_user.id)
    user.session_version += 1
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))

"""Sign in and sign out pages."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..models import User, utcnow
from .forms import LoginForm
from . import passwords, throttle
from .passwords import hash_password, needs_rehash, verify_password

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, so the login page cannot be used to send people elsewhere.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so
    "/\t/evil.example" would lead to //evil.example: any control character, space or backslash
    refuses the target, and so does anything with a scheme or a host.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(char) < 0x21 or ord(char) == 0x7F or char == "\\" for char in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(throttle.PER_ADDRESS, methods=["POST"], deduct_when=throttle.failed,
               error_message=throttle.TOO_MANY_ATTEMPTS)
@limiter.limit(throttle.PER_NAME_AND_ADDRESS, methods=["POST"], key_func=throttle.name_and_address_key,
               deduct_when=throttle.failed, error_message=throttle.TOO_MANY_ATTEMPTS)
@limiter.limit(throttle.PER_NAME, methods=["POST"], key_func=throttle.name_key, deduct_when=throttle.failed,
               exempt_when=throttle.known_device, error_message=throttle.TOO_MANY_ATTEMPTS)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).where(User.username == form.username.data.strip()))
        if user is None or not user.active or not verify_password(user.password_hash, form.password.data):
            if user is None:  # the same work for a name that does not exist: timing tells nothing
                verify_password(passwords.DUMMY_HASH, form.password.data)
            flash(_("Invalid username or password."), "error")
            return render_template("auth/login.html", form=form), 401
        _sign_in(user, form.password.data)
        response = redirect(_safe_next(request.args.get("next")) or url_for("web.home"))
        return throttle.remember_device(response, user.username)
    return render_template("auth/login.html", form=form)


def _sign_in(user: User, password: str) -> None:
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
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

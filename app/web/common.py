"""Pages every user shares: the landing redirect and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import current_user, login_required

from ..auth.routes import _safe_next
from ..extensions import db
from ..models import User

bp = Blueprint("web", __name__)

ROLE_HOME = {
    "exporter": "exporter.home",
    "coordinator": "coordinator.home",
    "inspector": "inspector.home",
    "officer": "officer.home",
    "supervisor": "supervisor.home",
    "admin": "admin.home",
}


@bp.route("/")
@login_required
def home():
    """Each role lands on its own home page."""
    return redirect(url_for(ROLE_HOME[current_user.role]))


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch language; a signed-in user keeps the choice in their profile."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            user = db.session.get(User, current_user.id)
            user.language = language
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("web.home"))

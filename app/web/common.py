"""Pages every user shares: the landing redirect and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

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


@bp.app_context_processor
def _language_switch() -> dict:
    return {"language_next": language_next}


def language_next() -> str:
    """Where the language switch returns: this page with its query string (filters, view).

    A page showing a POSTed form (a refused one) comes back as a GET of its URL; when that URL takes
    only POSTs, as the page the form was on (the referrer, this site only), else the home page.
    """
    here = request.full_path if request.query_string else request.path
    if request.method == "GET" or _answers_get(request.path):
        return here
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and _answers_get(referrer.path):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("web.home")


def _answers_get(path: str) -> bool:
    try:
        current_app.url_map.bind(request.host).match(path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


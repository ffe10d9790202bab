"""English and Spanish: choosing the language and showing times in each site's zone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_datetime, get_locale
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from .extensions import babel

TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    """The user's own setting, then the language picked on this browser, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI, seeding and background runs: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    try:
        if getattr(current_user, "is_authenticated", False) and current_user.language in languages:
            return current_user.language
    except SQLAlchemyError:
        pass  # a failed transaction must not hide the error being reported; fall back below
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def compile_catalogs(directory: Path = TRANSLATIONS) -> None:
    """Compile each .po catalog whose .mo is missing or older, so a fresh checkout speaks Spanish."""
    for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)


def local_time(value: datetime | None, tz_name: str, fmt: str = "medium") -> str:
    """A UTC time shown in a site's own zone, with the zone's abbreviation."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(tz_name))
    return f"{format_datetime(local, fmt, rebase=False)} {local.tzname()}"


def init_app(app: Flask) -> None:
    compile_catalogs()
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["fromiso"] = datetime.fromisoformat
    app.jinja_env.globals["get_locale"] = get_locale
    from .reasons import suspension_cause

    app.jinja_env.filters["suspension_cause"] = suspension_cause

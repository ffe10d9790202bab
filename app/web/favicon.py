"""The icon browsers ask for at /favicon.ico on every site, whatever the page says."""

from __future__ import annotations

from flask import Flask, current_app, send_from_directory

WEEK = 7 * 24 * 3600


def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=WEEK,
                               mimetype="image/vnd.microsoft.icon")


def init_favicon(app: Flask) -> None:
    app.add_url_rule("/favicon.ico", "favicon", favicon)

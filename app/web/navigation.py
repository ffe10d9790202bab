"""The links each role sees in the page header."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

# role -> (endpoint, label); an endpoint not registered (yet) is left out.
NAVIGATION: dict[str, list[tuple[str, object]]] = {
    "exporter": [("exporter.home", _l("My shipments")), ("exporter.new_request", _l("Request an inspection")),
                 ("exporter.upload", _l("Upload CSV"))],
    "coordinator": [("coordinator.home", _l("Queue and sites")), ("coordinator.queue", _l("Request queue")),
                    ("coordinator.runs", _l("Plan")), ("reference_data.home", _l("Reference data")),
                    ("agreements.index", _l("Agreements")), ("agreements.pilots", _l("Pilots")),
                    ("agreements.approvals_page", _l("Approvals")), ("register.index", _l("Trusted traders"))],
    "inspector": [("inspector.home", _l("My assignments"))],
    "officer": [("officer.home", _l("Port queue")), ("register.index", _l("Trusted traders"))],
    "supervisor": [("supervisor.home", _l("Dashboard")), ("supervisor.safety_page", _l("Is it safe?")),
                   ("agreements.index", _l("Agreements")), ("agreements.pilots", _l("Pilots")),
                   ("agreements.approvals_page", _l("Approvals")), ("register.index", _l("Trusted traders")),
                   ("audit_log.index", _l("Audit log"))],
    "admin": [("admin.home", _l("Accounts")), ("coordinator.home", _l("Queue and sites")),
              ("coordinator.queue", _l("Request queue")),
              ("coordinator.runs", _l("Plan")), ("reference_data.home", _l("Reference data")),
              ("supervisor.home", _l("Dashboard")), ("supervisor.safety_page", _l("Is it safe?")),
              ("agreements.index", _l("Agreements")), ("agreements.pilots", _l("Pilots")),
              ("agreements.approvals_page", _l("Approvals")), ("register.index", _l("Trusted traders")),
              ("admin.tokens", _l("API tokens")),
              ("audit_log.index", _l("Audit log"))],
}


def navigation_links() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    links = []
    for endpoint, label in NAVIGATION.get(current_user.role, []):
        try:
            links.append((url_for(endpoint), str(label)))
        except BuildError:
            continue
    return links


def init_navigation(app: Flask) -> None:
    app.context_processor(lambda: {"navigation_links": navigation_links})

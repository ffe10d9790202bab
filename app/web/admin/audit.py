"""The audit log page: read-only, filtered and paginated, for supervisors and administrators."""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, render_template, request

from ...auth.decorators import role_required
from ...days import parse_day, viewer_zone
from ...extensions import db
from ...models import User
from ...services.access.audit_search import AuditFilters, entity_types, search_audit
from . import audit_sentences

bp = Blueprint("audit_log", __name__)
PAGE_SIZE = 50


@bp.route("/audit")
@role_required("supervisor", "admin")
def index():
    filters, problems = _filters(request.args)
    page = search_audit(db.session, filters)
    # Page links keep the filters; only the page number changes.
    query = {k: v for k, v in request.args.items() if k != "page" and v and k not in problems}
    ids = {row.entry.actor_id for row in page.items if row.entry.actor_id}
    actors = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))} if ids else {}
    told = [(row, *audit_sentences.sentence(row.entry, actors.get(row.entry.actor_id))) for row in page.items]
    kinds = sorted(((kind, audit_sentences.record_kind(kind)) for kind in entity_types(db.session)),
                   key=lambda pair: pair[1].lower())
    return render_template("admin/audit.html", page=page, told=told, filters=filters, problems=problems,
                           query=query, entity_types=kinds, as_json=_as_json, when=audit_sentences.when, zone=filters.zone,
                           record_kind=audit_sentences.record_kind)


def _as_json(value: object) -> str:
    """Plain text for the template to escape; the tojson filter would turn < into \\u003c."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _filters(args) -> tuple[AuditFilters, dict[str, bool]]:
    """Filters from the query string; a malformed date is reported and ignored, not a 400."""
    problems: dict[str, bool] = {}
    days: dict[str, date | None] = {}
    for name in ("from", "to"):
        try:
            days[name] = parse_day(args[name]) if args.get(name) else None
        except ValueError:
            problems[name], days[name] = True, None
    page = args.get("page", "1")
    filters = AuditFilters(
        entity_type=args.get("entity_type") or None, actor=(args.get("actor") or "").strip() or None,
        action=args.get("action") or None, date_from=days["from"], date_to=days["to"], zone=viewer_zone(),
        page=int(page) if page.isdigit() and len(page) < 7 else 1, page_size=PAGE_SIZE,
    )
    return filters, problems

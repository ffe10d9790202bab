"""Exporters' inspection requests: create, change and cancel them, and list them by owner."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from ..models import Inspection, InspectorBooking, InspectionRequest, RequestCount, User, utcnow
from .audit import record
from .pagination import Page
from .errors import ConflictError, WorkflowError
from .requests_input import REQUEST_FIELDS, InvalidRequest, RequestFacts, check_request

EDITABLE_STATUSES = ("requested",)
CANCELLABLE_STATUSES = ("requested", "scheduled")
STAFF_ROLES = ("coordinator", "supervisor", "admin")
MAX_PAGE_SIZE = 100

__all__ = [
    "InvalidRequest", "RequestConflict", "RequestFilters", "cancel_request", "create_request",
    "find_request", "find_request_row", "list_request_rows", "list_requests", "update_request",
]


class RequestConflict(ConflictError):
    """The request moved on (changed by someone else, or no longer open); the API answers 409."""


@dataclass(frozen=True)
class RequestFilters:
    status: str | None = None
    date_from: date | None = None  # on the ready time, whole UTC days, inclusive
    date_to: date | None = None
    page: int = 1
    page_size: int = 20


def _scope(actor: User) -> sa.ColumnElement[bool]:
    """Exporters see their company's requests only; agency staff see all."""
    if actor.role == "exporter":
        return InspectionRequest.exporter_id == actor.exporter_id
    if actor.role in STAFF_ROLES:
        return sa.true()
    return sa.false()


def find_request(session: Session, actor: User, request_id: int) -> InspectionRequest | None:
    """One request the actor may see; None for anyone else's, so callers answer "not found"."""
    return session.scalar(
        sa.select(InspectionRequest).where(InspectionRequest.id == request_id, _scope(actor))
        # What a request's page and API answer show, with the row: no query per relation afterwards.
        .options(joinedload(InspectionRequest.port), joinedload(InspectionRequest.exporter),
                 selectinload(InspectionRequest.sites))
    )


def _conditions(actor: User, filters: RequestFilters) -> list[Any]:
    conditions = [_scope(actor)]
    if filters.status:
        conditions.append(InspectionRequest.status == filters.status)
    if filters.date_from:
        conditions.append(InspectionRequest.ready >= datetime.combine(filters.date_from, time(), timezone.utc))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), timezone.utc)
        conditions.append(InspectionRequest.ready < end)
    return conditions


def _window(query: sa.Select, filters: RequestFilters) -> tuple[sa.Select, int, int]:
    """The query's page, newest ready time first, with the page number and size it was cut to."""
    size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    page = max(1, filters.page)
    ordered = query.order_by(InspectionRequest.ready.desc(), InspectionRequest.id.desc())
    return ordered.limit(size).offset((page - 1) * size), page, size


def list_requests(session: Session, actor: User, filters: RequestFilters) -> Page[InspectionRequest]:
    """A page of the actor's requests, newest ready time first, counted and sliced in SQL."""
    conditions = _conditions(actor, filters)
    # Everything a listed request shows comes with the page: one join for the many-to-one
    # relations and one query for the sites, instead of queries per relation or per row.
    query, page, size = _window(sa.select(InspectionRequest).where(*conditions).options(
        joinedload(InspectionRequest.port), joinedload(InspectionRequest.commodity),
        joinedload(InspectionRequest.exporter), selectinload(InspectionRequest.sites)), filters)
    return Page(list(session.scalars(query).all()), page, size, _total(session, actor, filters, conditions))


def list_request_rows(session: Session, actor: User, filters: RequestFilters, columns: sa.Select) -> Page[sa.Row]:
    """The same page as list_requests, as rows of the given columns (the API's lists, without ORM objects)."""
    conditions = _conditions(actor, filters)
    query, page, size = _window(columns.where(*conditions), filters)
    return Page(list(session.execute(query).all()), page, size, _total(session, actor, filters, conditions))


def find_request_row(session: Session, actor: User, request_id: int, columns: sa.Select) -> sa.Row | None:
    """find_request as one row of the given columns."""
    return session.execute(columns.where(InspectionRequest.id == request_id, _scope(actor))).first()


def _total(session: Session, actor: User, filters: RequestFilters, conditions: list[Any]) -> int:
    """How many requests match: summed from the per-company counts unless a date narrows the list."""
    if filters.date_from or filters.date_to or actor.role not in ("exporter", *STAFF_ROLES):
        return session.scalar(sa.select(sa.func.count()).select_from(InspectionRequest).where(*conditions)) or 0
    query = sa.select(sa.func.coalesce(sa.func.sum(RequestCount.requests), 0))
    if actor.role == "exporter":
        query = query.where(RequestCount.exporter_id == actor.exporter_id)
    if filters.status:
        query = query.where(RequestCount.status == filters.status)
    return int(session.scalar(query) or 0)


def snapshot(request: InspectionRequest) -> dict[str, Any]:
    """The request's fields as JSON for the audit log."""
    return {
        "reference": request.reference, "status": request.status, "commodity": request.commodity_code,
        "quantity": request.quantity, "quantity_unit": request.quantity_unit, "origin_state": request.origin_state,
        "packhouse": request.packhouse, "port_id": request.port_id, "ready": request.ready.isoformat(),
        "arrive_port": request.arrive_port.isoformat(), "cross_by": request.cross_by.isoformat(),
        "cross_by_offset_minutes": request.cross_by_offset_minutes, "priority": request.priority,
        "inspection_minutes": request.inspection_minutes, "sealable": request.sealable,
        "border_inspection_minutes": request.border_inspection_minutes, "sites": [s.code for s in request.sites],
    }


def _apply(request: InspectionRequest, facts: RequestFacts) -> None:
    for name in ("quantity", "quantity_unit", "origin_state", "packhouse", "ready", "arrive_port", "cross_by",
                 "cross_by_offset_minutes", "inspection_minutes", "border_inspection_minutes", "priority", "sealable"):
        setattr(request, name, getattr(facts, name))
    request.commodity = facts.commodity
    request.port = facts.port
    request.sites = list(facts.sites)


def _exporter_of(actor: User) -> int:
    if actor.role != "exporter" or actor.exporter_id is None:
        raise WorkflowError(str(_l("Only exporters request inspections.")), "exporter")
    return actor.exporter_id


def next_reference(session: Session, year: int) -> str:
    """JI-<year>-<six digits>, one more than the highest of that year."""
    prefix = f"JI-{year}-"
    highest = session.scalar(
        sa.select(sa.func.max(InspectionRequest.reference)).where(InspectionRequest.reference.like(f"{prefix}%"))
    )
    number = int(highest.rsplit("-", 1)[1]) + 1 if highest and highest.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{number:06d}"


def _insert(session: Session, request: InspectionRequest) -> None:
    """Insert under a fresh reference; a concurrent request taking the same number means try the next."""
    _take_reference_lock(session)
    for _attempt in range(5):
        request.reference = next_reference(session, request.requested_at.year)
        try:
            with session.begin_nested():
                session.add(request)
                session.flush()
            return
        except IntegrityError:
            taken = session.scalar(
                sa.select(InspectionRequest.id).where(InspectionRequest.reference == request.reference))
            if taken is None:
                raise
    raise RequestConflict(str(_l("Too many requests at once; please try again.")), "reference")


# Any fixed number: the key of the PostgreSQL advisory lock that numbers new requests one at a time.
REFERENCE_LOCK_KEY = 7_020_501


def _take_reference_lock(session: Session) -> None:
    """On PostgreSQL, creates take turns at numbering until they commit.

    Without it, concurrent creates read the same highest reference, and under sustained load
    (bench/api.py, 16 clients) some collided five times in a row and were refused with 409.
    SQLite writers take turns already (one writer at a time).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(REFERENCE_LOCK_KEY)))


def create_request(session: Session, actor: User, data: Mapping[str, Any],
                   now: datetime | None = None) -> InspectionRequest:
    """A new request for the actor's company in status requested; InvalidRequest names each bad field."""
    exporter_id = _exporter_of(actor)
    _refuse_unknown(data)
    now = now or utcnow()
    facts = check_request(session, data, now)
    request = InspectionRequest(exporter_id=exporter_id, status="requested", requested_at=now, created_by_id=actor.id)
    _apply(request, facts)
    _insert(session, request)
    record(session, actor, "request.created", request, after=snapshot(request))
    return request


def _refuse_unknown(data: Mapping[str, Any]) -> None:
    unknown = [name for name in data if name not in REQUEST_FIELDS]
    if unknown:
        raise InvalidRequest({name: _l("Unknown field.") for name in unknown})


def _check_version(request: InspectionRequest, version_id: int | None) -> None:
    if version_id is None or int(version_id) != request.version_id:
        raise RequestConflict(str(_l(
            "Someone changed this shipment since you opened it (now version %(version)s). Reload and try again.",
            version=request.version_id)), "version_id")


def _flush_or_conflict(session: Session, request: InspectionRequest) -> None:
    try:
        session.flush()
    except StaleDataError:
        session.rollback()  # the session is unusable until then, even for reading the reader's language
        raise RequestConflict(str(_l("Someone changed this shipment at the same time. Reload and try again.")),
                              "version_id") from None


def current_values(request: InspectionRequest) -> dict[str, Any]:
    """The request as input data: times in the port's zone (cross_by as written) with their offsets."""
    zone = ZoneInfo(request.port.timezone)
    return {
        "commodity": request.commodity_code, "quantity": request.quantity, "quantity_unit": request.quantity_unit,
        "origin_state": request.origin_state, "packhouse": request.packhouse, "port": request.port.code,
        "ready": request.ready.astimezone(zone), "arrive_port": request.arrive_port.astimezone(zone),
        "cross_by": request.cross_by_as_written, "inspection_minutes": request.inspection_minutes,
        "border_inspection_minutes": request.border_inspection_minutes, "priority": request.priority,
        "sites": [site.code for site in request.sites], "sealable": request.sealable,
    }


def update_request(session: Session, actor: User, request: InspectionRequest, changes: Mapping[str, Any],
                   version_id: int | None, now: datetime | None = None) -> InspectionRequest:
    """Change a request not yet scheduled; fields left out keep their values."""
    _require_owner(actor, request)
    if request.status not in EDITABLE_STATUSES:
        raise RequestConflict(str(_l("Only a request not yet scheduled can be changed.")), "status")
    _check_version(request, version_id)
    _refuse_unknown(changes)
    facts = check_request(session, {**current_values(request), **changes}, now or utcnow())
    before = snapshot(request)
    _apply(request, facts)
    # A change of preferred sites alone touches no column of the row; the version must still move.
    flag_modified(request, "packhouse")
    _flush_or_conflict(session, request)
    record(session, actor, "request.updated", request, before=before, after=snapshot(request))
    return request


def cancel_request(session: Session, actor: User, request: InspectionRequest, version_id: int | None,
                   reason: str | None = None) -> InspectionRequest:
    """Cancel a requested or scheduled shipment; its planned inspections are cancelled and their inspectors freed."""
    _require_owner(actor, request)
    if request.status not in CANCELLABLE_STATUSES:
        raise RequestConflict(str(_l("Only a requested or scheduled shipment can be cancelled.")), "status")
    _check_version(request, version_id)
    if reason is not None and len(reason) > 1000:
        raise InvalidRequest({"reason": _l("Use at most %(n)s characters.", n=1000)})
    freed = _cancel_inspections(session, request)
    before = {"status": request.status}
    request.status = "cancelled"
    request.cancelled_at = utcnow()
    request.status_reason = (reason or "").strip() or None
    _flush_or_conflict(session, request)
    record(session, actor, "request.cancelled", request, before=before,
           after={"status": "cancelled", "reason": request.status_reason, "inspections_cancelled": freed})
    return request


def _cancel_inspections(session: Session, request: InspectionRequest) -> list[int]:
    planned = session.scalars(
        sa.select(Inspection).where(Inspection.request_id == request.id, Inspection.status == "scheduled")
    ).all()
    for inspection in planned:
        inspection.status = "cancelled"
    if planned:
        session.execute(
            sa.update(InspectorBooking)
            .where(InspectorBooking.inspection_id.in_([i.id for i in planned]))
            .values(active=False)
        )
    return [inspection.id for inspection in planned]


def _require_owner(actor: User, request: InspectionRequest) -> None:
    # Views look requests up through find_request already; this keeps the service safe on its own.
    if actor.role != "exporter" or actor.exporter_id != request.exporter_id:
        raise LookupError("request not found")


"""Exporters' inspection requests: create, change and cancel them, and list them by owner."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from ...roles import PROGRAM_STAFF
from ...models import Inspection, InspectorBooking, Shipment, RequestCount, User, utcnow
from ..access.audit import record
from ..dashboard.periods import local_midnight
from ..pagination import Page
from ..errors import ConflictError, WorkflowError
from . import lifecycle
from .checks import REQUEST_FIELDS, InvalidRequest, RequestFacts, check_request
from .origins import origin_of

EDITABLE_STATUSES = (lifecycle.REQUESTED,)
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
    date_from: date | None = None  # on the ready time, whole days of `zone`, inclusive
    date_to: date | None = None
    page: int = 1
    page_size: int = 20
    zone: str = "UTC"


def find_request(session: Session, actor: User, request_id: int) -> Shipment | None:
    """One request the actor may see; None for anyone else's, so callers answer "not found"."""
    return session.scalar(
        sa.select(Shipment).where(Shipment.id == request_id, *_conditions(_shape(actor)))
        # What a request's page and API answer show, with the row: no query per relation afterwards.
        .options(joinedload(Shipment.port), joinedload(Shipment.exporter),
                 selectinload(Shipment.sites)),
        {"exporter_id": actor.exporter_id},
    )


# A list's statement depends only on its shape: whose requests, and which filters are set. The values
# travel as parameters, so the row-reading API builds each shape's statement once per process instead
# of on every call (building and keying a statement was a tenth of an API list's time).
Shape = tuple[str, bool, bool, bool]


def _shape(actor: User, filters: RequestFilters = RequestFilters()) -> Shape:
    """Exporters see their company's requests only; agency staff see all; anyone else none."""
    scope = "company" if actor.role == "exporter" else ("all" if actor.role in PROGRAM_STAFF else "none")
    return scope, bool(filters.status), bool(filters.date_from), bool(filters.date_to)


def _parameters(actor: User, filters: RequestFilters) -> dict[str, Any]:
    size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    page = max(1, filters.page)
    parameters: dict[str, Any] = {"exporter_id": actor.exporter_id, "status": filters.status,
                                  "page_size": size, "skip": (page - 1) * size}
    if filters.date_from:  # on the ready time, from local midnight to local midnight, inclusive
        parameters["ready_from"] = local_midnight(filters.date_from, filters.zone)
    if filters.date_to:
        parameters["ready_before"] = local_midnight(filters.date_to + timedelta(days=1), filters.zone)
    return parameters


@functools.cache
def _conditions(shape: Shape) -> tuple[sa.ColumnElement[bool], ...]:
    scope, status, date_from, date_to = shape
    conditions = [Shipment.exporter_id == sa.bindparam("exporter_id") if scope == "company"
                  else (sa.true() if scope == "all" else sa.false())]
    if status:
        conditions.append(Shipment.status == sa.bindparam("status"))
    if date_from:
        conditions.append(Shipment.ready >= sa.bindparam("ready_from"))
    if date_to:
        conditions.append(Shipment.ready < sa.bindparam("ready_before"))
    return tuple(conditions)


NEWEST_FIRST = (Shipment.ready.desc(), Shipment.id.desc())


def _window(query: sa.Select, shape: Shape) -> sa.Select:
    """The query's rows on the requested page (parameters page_size and skip), newest ready time first.

    The page's ids are picked first, from an index alone, and only those rows are read and joined:
    reading and joining every row the OFFSET skips made page 50 of a large exporter's list cost
    6.4 ms of PostgreSQL time instead of 0.9 (EXPLAIN ANALYZE on bench/api.py's database).
    """
    ids = (sa.select(Shipment.id).where(*_conditions(shape)).order_by(*NEWEST_FIRST)
           .limit(sa.bindparam("page_size", type_=sa.Integer)).offset(sa.bindparam("skip", type_=sa.Integer)))
    # correlate(None): the subquery reads the table on its own, not the row of the outer query.
    return query.where(Shipment.id.in_(ids.correlate(None).scalar_subquery())).order_by(*NEWEST_FIRST)


def _page(filters: RequestFilters, parameters: dict[str, Any], items: list, total: int) -> Page:
    return Page(items, max(1, filters.page), parameters["page_size"], total)


def list_requests(session: Session, actor: User, filters: RequestFilters) -> Page[Shipment]:
    """A page of the actor's requests, newest ready time first, counted and sliced in SQL."""
    shape, parameters = _shape(actor, filters), _parameters(actor, filters)
    # Everything a listed request shows comes with the page: one join for the many-to-one
    # relations and one query for the sites, instead of queries per relation or per row.
    query = _window(sa.select(Shipment).options(
        joinedload(Shipment.port), joinedload(Shipment.commodity),
        joinedload(Shipment.exporter), selectinload(Shipment.sites)), shape)
    items = list(session.scalars(query, parameters).all())
    return _page(filters, parameters, items, _total(session, shape, parameters))


def list_request_rows(session: Session, actor: User, filters: RequestFilters, columns: sa.Select) -> Page[sa.Row]:
    """The same page as list_requests, as rows of the given columns (the API's lists, without ORM objects)."""
    shape, parameters = _shape(actor, filters), _parameters(actor, filters)
    rows = session.connection().execute(_rows_statement(columns, shape), parameters).all()
    return _page(filters, parameters, list(rows), _total(session, shape, parameters))


@functools.lru_cache(maxsize=64)
def _rows_statement(columns: sa.Select, shape: Shape) -> sa.Select:
    return _window(columns, shape)


def find_request_row(session: Session, actor: User, request_id: int, columns: sa.Select) -> sa.Row | None:
    """find_request as one row of the given columns."""
    parameters = {"request_id": request_id, "exporter_id": actor.exporter_id}
    return session.connection().execute(_row_statement(columns, _shape(actor)), parameters).first()


@functools.lru_cache(maxsize=64)
def _row_statement(columns: sa.Select, shape: Shape) -> sa.Select:
    return columns.where(Shipment.id == sa.bindparam("request_id"), *_conditions(shape))


def _total(session: Session, shape: Shape, parameters: dict[str, Any]) -> int:
    """How many requests match: summed from the per-company counts unless a date narrows the list."""
    return int(session.connection().scalar(_total_statement(shape), parameters) or 0)


@functools.cache
def _total_statement(shape: Shape) -> sa.Select:
    scope, status, date_from, date_to = shape
    if date_from or date_to or scope == "none":
        return sa.select(sa.func.count()).select_from(Shipment).where(*_conditions(shape))
    query = sa.select(sa.func.coalesce(sa.func.sum(RequestCount.requests), 0))
    if scope == "company":
        query = query.where(RequestCount.exporter_id == sa.bindparam("exporter_id"))
    if status:
        query = query.where(RequestCount.status == sa.bindparam("status"))
    return query


def snapshot(request: Shipment) -> dict[str, Any]:
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


def _apply(request: Shipment, facts: RequestFacts) -> None:
    if request.origin_lat is None or request.origin_state != facts.origin_state:
        # No packhouse places are recorded: a request leaves from its state's centre.
        request.origin_lat, request.origin_lon = origin_of(facts.origin_state)
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
        sa.select(sa.func.max(Shipment.reference)).where(Shipment.reference.like(f"{prefix}%"))
    )
    number = int(highest.rsplit("-", 1)[1]) + 1 if highest and highest.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{number:06d}"


def _insert(session: Session, request: Shipment) -> None:
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
                sa.select(Shipment.id).where(Shipment.reference == request.reference))
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
                   now: datetime | None = None) -> Shipment:
    """A new request for the actor's company in status requested; InvalidRequest names each bad field."""
    exporter_id = _exporter_of(actor)
    _refuse_unknown(data)
    now = now or utcnow()
    facts = check_request(session, data, now)
    request = Shipment(exporter_id=exporter_id, requested_at=now, created_by_id=actor.id)
    _apply(request, facts)
    _insert(session, request)
    record(session, actor, "request.created", request, after=snapshot(request))
    return request


def _refuse_unknown(data: Mapping[str, Any]) -> None:
    unknown = [name for name in data if name not in REQUEST_FIELDS]
    if unknown:
        raise InvalidRequest({name: _l("Unknown field.") for name in unknown})


def _check_version(request: Shipment, version_id: int | None) -> None:
    if version_id is None or int(version_id) != request.version_id:
        raise RequestConflict(str(_l(
            "Someone changed this shipment since you opened it (now version %(version)s). Reload and try again.",
            version=request.version_id)), "version_id")


def _flush_or_conflict(session: Session, request: Shipment) -> None:
    try:
        session.flush()
    except StaleDataError:
        session.rollback()  # the session is unusable until then, even for reading the reader's language
        raise RequestConflict(str(_l("Someone changed this shipment at the same time. Reload and try again.")),
                              "version_id") from None


def current_values(request: Shipment) -> dict[str, Any]:
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


def update_request(session: Session, actor: User, request: Shipment, changes: Mapping[str, Any],
                   version_id: int | None, now: datetime | None = None) -> Shipment:
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


def cancel_request(session: Session, actor: User, request: Shipment, version_id: int | None,
                   reason: str | None = None, now: datetime | None = None) -> Shipment:
    """Cancel a requested or scheduled shipment; its planned inspections are cancelled and their inspectors freed."""
    _require_owner(actor, request)
    if not lifecycle.can(request, "cancel"):
        raise RequestConflict(str(_l("Only a requested or scheduled shipment can be cancelled.")), "status")
    _check_version(request, version_id)
    if reason is not None and len(reason) > 1000:
        raise InvalidRequest({"reason": _l("Use at most %(n)s characters.", n=1000)})
    freed = _cancel_inspections(session, request)
    lifecycle.take(session, actor, request, "cancel", now or utcnow(), reason=(reason or "").strip() or None,
                   details={"inspections_cancelled": freed})
    _flush_or_conflict(session, request)
    return request


def _cancel_inspections(session: Session, request: Shipment) -> list[int]:
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


def _require_owner(actor: User, request: Shipment) -> None:
    # Views look requests up through find_request already; this keeps the service safe on its own.
    if actor.role != "exporter" or actor.exporter_id != request.exporter_id:
        raise LookupError("request not found")


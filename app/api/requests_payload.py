"""Requests as the API answers them, read with SQLAlchemy Core.

A page of twenty requests through ORM objects and a marshmallow dump cost more Python time than
everything else in the request (bench/api.py); these rows carry exactly the columns the answer shows.
RequestOutSchema still documents the answer and dumps the one request a POST or PATCH returns;
tests/app/test_api_payload.py holds the two to the same output.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from ..models import Exporter, Inspection, InspectorBooking, Shipment, Site
from ..models.shipment import request_sites
from ..services.border.overview import exporter_view

PORT = aliased(Site, name="port")
R = Shipment
PLAIN = ("id", "reference", "status", "status_reason", "quantity", "quantity_unit", "origin_state", "packhouse",
         "inspection_minutes", "border_inspection_minutes", "priority", "sealable", "version_id")

COLUMNS = (sa.select(*(getattr(R, name) for name in PLAIN), R.commodity_code, R.ready, R.arrive_port, R.cross_by,
                     R.cross_by_offset_minutes, R.requested_at, R.arrived_at, Exporter.code.label("exporter_code"),
                     PORT.code.label("port_code"), PORT.timezone.label("port_timezone"))
           .join(Exporter, Exporter.id == R.exporter_id).join(PORT, PORT.id == R.port_id))

SITES = (sa.select(request_sites.c.request_id, Site.code).join(Site, Site.id == request_sites.c.site_id)
         .where(request_sites.c.request_id.in_(sa.bindparam("ids", expanding=True))))


def payloads(session: Session, rows: list[sa.Row]) -> list[dict[str, Any]]:
    """The rows as RequestOutSchema dumps them, with the page's sites from one more query.

    One query for the page's sites, not a subquery per row: PostgreSQL would compute that for the
    skipped rows of the OFFSET too (page 7 ran it 140 times for 20 rows).
    """
    sites: dict[int, list[str]] = defaultdict(list)
    if rows:
        for request_id, code in session.connection().execute(SITES, {"ids": [row.id for row in rows]}):
            sites[request_id].append(code)
    return [_payload(row, sites[row.id]) for row in rows]


def _payload(row: sa.Row, sites: list[str]) -> dict[str, Any]:
    zone = ZoneInfo(row.port_timezone)
    written = timezone(timedelta(minutes=row.cross_by_offset_minutes))
    data = {name: getattr(row, name) for name in PLAIN}
    return data | {
        "exporter": row.exporter_code, "commodity": row.commodity_code, "port": row.port_code,
        "ready": row.ready.astimezone(zone).isoformat(), "arrive_port": row.arrive_port.astimezone(zone).isoformat(),
        "cross_by": row.cross_by.astimezone(written).isoformat(), "sites": sites,
        "requested_at": row.requested_at.isoformat(),
        "arrived_at": row.arrived_at.astimezone(zone).isoformat() if row.arrived_at else None,
    }


def inspections(session: Session, request_id: int, for_exporter: bool = False) -> list[dict[str, Any]]:
    """One request's inspections, oldest first, in their sites' local time, with their inspectors' codes
    (for an exporter, as exporter_view shows them)."""
    rows = session.scalars(sa.select(Inspection).where(Inspection.request_id == request_id)
                           .options(selectinload(Inspection.site),
                                    selectinload(Inspection.bookings).selectinload(InspectorBooking.inspector))
                           .order_by(Inspection.start, Inspection.id)).all()
    if for_exporter:
        rows = exporter_view(session, session.get(Shipment, request_id), rows)
    result = []
    for inspection in rows:
        zone = ZoneInfo(inspection.site.timezone)
        result.append({
            "id": inspection.id, "kind": inspection.kind, "site": inspection.site.code,
            "start": inspection.start.astimezone(zone).isoformat(), "end": inspection.end.astimezone(zone).isoformat(),
            "inspectors": sorted(b.inspector.code for b in inspection.bookings if b.active or inspection.status == "cancelled"),
            "status": inspection.status, "result": inspection.result,
            "changed_at": inspection.changed_at.isoformat() if inspection.changed_at else None,
            "change": inspection.change_note, "cancel_reason": inspection.cancel_reason,
        })
    return result

"""From the database to the optimizer's scenario: what can be planned for a horizon."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from scheduling import domain as sd

from ...models import (
    Exporter, Inspection, Shipment, Inspector, InspectorBooking, Shift, Site, TravelTime, utcnow,
)
from ..recognition import border_required_ahead, certifications_of, planning_rules
from ..shipments.lifecycle import PLANNABLE
from ..shipments.origins import state_centre
from .calendar import closed_days, hours_around


@dataclass
class ScenarioIds:
    """Database ids behind the scenario's string ids, to write a plan back."""

    requests: dict[str, int] = field(default_factory=dict)
    sites: dict[str, int] = field(default_factory=dict)
    inspectors: dict[str, int] = field(default_factory=dict)


def build_scenario(session: Session, start: datetime, end: datetime, *,
                   not_before: datetime | None = None) -> tuple[sd.Scenario, ScenarioIds]:
    """Sites, available shifts, open requests and current rules for [start, end).

    A closed site stays in the scenario without opening hours: inspectors based there can still
    work elsewhere, and nothing is inspected there. A site closed on some days (a holiday it observes,
    a dated closure) is not open on them. Shift time an inspector already spends on
    inspections outside this plan (done, or for shipments past scheduling) is taken out of their
    shifts, and so is time before `not_before` (a plan made now cannot use the past).
    """
    ids = ScenarioIds()
    sites = _sites(session, ids, start, end)
    site_codes = {s.id for s in sites}
    requests = _requests(session, start, end, ids, site_codes)
    if not_before is not None:
        requests = _not_yet_started(session, requests, ids, not_before)
    busy = _busy_elsewhere(session, start, end, set(ids.requests.values()))
    inspectors = _inspectors(session, start, end, ids, busy, not_before)
    exporter_ids = {r.exporter for r in requests}
    scenario = sd.Scenario(
        horizon=sd.Horizon(start, end), sites=tuple(sites), inspectors=tuple(inspectors),
        exporters=tuple(_exporters(session, exporter_ids)), requests=tuple(requests),
        rules=planning_rules(session), travel_overrides=_travel(session, ids),
    )
    return scenario, ids


def _sites(session: Session, ids: ScenarioIds, start: datetime, end: datetime) -> list[sd.Site]:
    """Each site with its weekly hours, less the weekdays it is closed on in this horizon (calendar.py)."""
    rows = session.scalars(
        sa.select(Site).options(selectinload(Site.hours), selectinload(Site.commodities))
        .order_by(Site.code)
    ).all()
    # Local dates of every zone fall within a day of the UTC dates.
    closed = closed_days(session, list(rows), start.date() - timedelta(days=2), end.date() + timedelta(days=1))
    sites = []
    for site in rows:
        ids.sites[site.code] = site.id
        hours = tuple(sd.OpeningHours(tuple(h.days), h.open_time, h.close_time) for h in site.hours) \
            if site.active else ()
        if closed[site.id]:
            hours = hours_around(hours, site.timezone, start, end, set(closed[site.id]))
        sites.append(sd.Site(
            id=site.code, name=site.name, kind=site.kind, country=site.country, lat=site.lat, lon=site.lon,
            timezone=site.timezone, bays=site.bays, hours=hours,
            commodities=("*",) if site.inspects_any else tuple(sorted(c.code for c in site.commodities)),
        ))
    return sites


def _not_yet_started(session: Session, requests: list[sd.Request], ids: ScenarioIds,
                     not_before: datetime) -> list[sd.Request]:
    """Requests whose scheduled inspection has begun stay as they are: out of the plan, their time busy."""
    started = set(session.scalars(
        sa.select(Inspection.request_id).where(Inspection.status == "scheduled", Inspection.start < not_before,
                                               Inspection.request_id.in_(set(ids.requests.values())))))
    for request in requests:
        if ids.requests[request.id] in started:
            del ids.requests[request.id]
    return [r for r in requests if r.id in ids.requests]


def _busy_elsewhere(session: Session, start: datetime, end: datetime,
                    planned: set[int]) -> dict[int, list[tuple[datetime, datetime]]]:
    """Active bookings the plan may not move: all but the scheduled inspections of planned requests."""
    movable = sa.and_(Inspection.status == "scheduled", Inspection.request_id.in_(planned))
    rows = session.execute(
        sa.select(InspectorBooking.inspector_id, InspectorBooking.start, InspectorBooking.end)
        .join(Inspection, Inspection.id == InspectorBooking.inspection_id)
        .where(InspectorBooking.active, InspectorBooking.end > start, InspectorBooking.start < end,
               Inspection.status != "cancelled", sa.not_(movable))
    )
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for inspector_id, busy_start, busy_end in rows:
        busy.setdefault(inspector_id, []).append((busy_start, busy_end))
    return busy


def free_parts(shift: sd.Shift, busy: list[tuple[datetime, datetime]], not_before: datetime | None) -> list[sd.Shift]:
    """What is left of a shift once the busy periods, and the time before `not_before`, are taken out."""
    parts = [(max(shift.start, not_before) if not_before else shift.start, shift.end)]
    for busy_start, busy_end in sorted(busy):
        parts = [piece for s, e in parts
                 for piece in ((s, min(e, busy_start)), (max(s, busy_end), e)) if piece[1] > piece[0]]
    return [sd.Shift(s, e) for s, e in parts if e > s]


def _inspectors(session: Session, start: datetime, end: datetime, ids: ScenarioIds,
                busy: dict[int, list[tuple[datetime, datetime]]], not_before: datetime | None) -> list[sd.Inspector]:
    rows = session.scalars(
        sa.select(Inspector).where(Inspector.active)
        .options(selectinload(Inspector.qualifications), selectinload(Inspector.home_site))
        .order_by(Inspector.code)
    ).all()
    shifts_by_inspector: dict[int, list[sd.Shift]] = {}
    for shift in session.scalars(
        sa.select(Shift).where(Shift.available, Shift.end > start, Shift.start < end).order_by(Shift.start)
    ):
        parts = free_parts(sd.Shift(shift.start, shift.end), busy.get(shift.inspector_id, []), not_before)
        shifts_by_inspector.setdefault(shift.inspector_id, []).extend(parts)
    result = []
    for inspector in rows:
        ids.inspectors[inspector.code] = inspector.id
        qualifications = ("*",) if inspector.qualified_any else tuple(sorted(c.code for c in inspector.qualifications))
        result.append(sd.Inspector(
            id=inspector.code, agency=inspector.agency, home_site=inspector.home_site.code,
            commodities=qualifications, shifts=tuple(shifts_by_inspector.get(inspector.id, ())),
            max_minutes_per_day=inspector.max_minutes_per_day,
        ))
    return result


def _requests(session: Session, start: datetime, end: datetime, ids: ScenarioIds,
              site_codes: set[str]) -> list[sd.Request]:
    rows = session.scalars(
        sa.select(Shipment)
        .where(Shipment.status.in_(PLANNABLE), Shipment.ready < end,
               Shipment.cross_by > start)
        .options(selectinload(Shipment.port), selectinload(Shipment.sites),
                 selectinload(Shipment.exporter))
        .order_by(Shipment.reference)
    )
    rows = [request for request in rows if request.port.code in site_codes]
    # Drawn for verification or suspended: the port inspection is booked although the rules waive it.
    inspected_anyway = border_required_ahead(session, rows, utcnow())
    result = []
    for request in rows:
        ids.requests[request.reference] = request.id
        preferred = tuple(s.code for s in request.sites) if request.sites else None
        result.append(sd.Request(
            id=request.reference, exporter=request.exporter.code, commodity=request.commodity_code,
            origin_state=request.origin_state, port=request.port.code, ready=request.ready,
            arrive_port=request.arrive_port, cross_by=request.cross_by_as_written,
            inspection_minutes=request.inspection_minutes,
            border_inspection_minutes=request.border_inspection_minutes, priority=request.priority,
            sites=tuple(c for c in preferred if c in site_codes) if preferred is not None else None,
            sealable=request.sealable, border_required=inspected_anyway.get(request.id),
            origin=sd.Origin(request.origin_lat, request.origin_lon) if request.origin_lat is not None else None,
        ))
    return result


def for_export(scenario: sd.Scenario) -> sd.Scenario:
    """The scenario as the exchange format can write it: version 2 needs every request's origin.

    A request imported from a version 1 scenario has none (it is planned with version 1's meaning);
    beside requests that have one, it is written with its state's centre, as the format says of a load
    whose packhouse is unknown. When no request has an origin the document is written as version 1.
    """
    if all(r.origin is None for r in scenario.requests) or all(r.origin for r in scenario.requests):
        return scenario
    return replace(scenario, requests=tuple(r if r.origin else replace(r, origin=_centre_of(r.origin_state))
                                            for r in scenario.requests))


def _centre_of(origin_state: str) -> sd.Origin | None:
    centre = state_centre(origin_state)
    return sd.Origin(*centre) if centre else None


def _exporters(session: Session, codes: set[str]) -> list[sd.Exporter]:
    rows = session.scalars(sa.select(Exporter).where(Exporter.code.in_(codes)).order_by(Exporter.code))
    return [sd.Exporter(id=e.code, name=e.legal_name, certifications=certifications_of(session, e.id))
            for e in rows]


def _travel(session: Session, ids: ScenarioIds) -> tuple[tuple[str, str, int], ...]:
    code_of = {v: k for k, v in ids.sites.items()}
    rows = session.execute(sa.select(TravelTime.from_site_id, TravelTime.to_site_id, TravelTime.minutes))
    return tuple(sorted((code_of[a], code_of[b], m) for a, b, m in rows if a in code_of and b in code_of))


def published_assignments(session: Session, ids: ScenarioIds) -> tuple[sd.Assignment, ...]:
    """The scheduled, not yet done inspections of the planned requests: what a re-plan keeps."""
    request_ids = set(ids.requests.values())
    code_of_request = {v: k for k, v in ids.requests.items()}
    rows = session.scalars(
        sa.select(Inspection).where(Inspection.request_id.in_(request_ids), Inspection.status == "scheduled")
        .options(selectinload(Inspection.bookings), selectinload(Inspection.site))
    )
    inspector_code = {v: k for k, v in ids.inspectors.items()}
    result = []
    for inspection in rows:
        codes = tuple(inspector_code[b.inspector_id] for b in inspection.bookings
                      if b.active and b.inspector_id in inspector_code)
        result.append(sd.Assignment(
            request=code_of_request[inspection.request_id], type=inspection.kind, site=inspection.site.code,
            start=inspection.start, end=inspection.end, inspectors=codes,
        ))
    return tuple(result)

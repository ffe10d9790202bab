"""Importing an exchange-format scenario into the database: all of it, or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scheduling import domain as sd

from ...models import (
    Agreement, Certification, Commodity, Exporter, Shipment, Inspector, Rule, Shift, Site, SiteHours,
    TravelTime, User,
)
from ..access.audit import record
from ..errors import WorkflowError


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1


def import_scenario(session: Session, actor: User | None, scenario: sd.Scenario) -> ImportReport:
    """Sites, inspectors with shifts, exporters with certificates, rules and requests, by their ids.

    Existing rows with the same ids are updated; the caller commits once, so a failure part way
    leaves the database as it was.
    """
    report = ImportReport()
    sites = {s.id: _site(session, s, report) for s in scenario.sites}
    for a, b, minutes in scenario.travel_overrides:
        _travel(session, sites[a], sites[b], minutes)
    for inspector in scenario.inspectors:
        _inspector(session, inspector, sites, report)
    exporters = {e.id: _exporter(session, e, report) for e in scenario.exporters}
    for rule in scenario.rules:
        _rule(session, rule, report)
    for request in scenario.requests:
        if request.exporter not in exporters:
            raise WorkflowError(f"request {request.id} names unknown exporter {request.exporter}", field="exporter")
        _request(session, request, exporters[request.exporter], sites, report)
    session.flush()
    record(session, actor, "scenario.imported", Site(code="scenario"), after={"created": report.created,
                                                                            "updated": report.updated})
    return report


def _get(session: Session, model, **key):
    return session.scalar(sa.select(model).filter_by(**key))


def _commodity(session: Session, code: str) -> Commodity:
    commodity = session.get(Commodity, code)
    if commodity is None:
        commodity = Commodity(code=code, name_en=code.replace("_", " "), name_es=code.replace("_", " "), hs_heading="")
        session.add(commodity)
        session.flush()
    return commodity


def _site(session: Session, s: sd.Site, report: ImportReport) -> Site:
    site = _get(session, Site, code=s.id)
    report.count("sites", site is None)
    if site is None:
        site = Site(code=s.id, state="")
        session.add(site)
    site.name, site.kind, site.country, site.lat, site.lon = s.name, s.kind, s.country, s.lat, s.lon
    site.timezone, site.bays, site.inspects_any = s.timezone, s.bays, "*" in s.commodities
    site.hours = [SiteHours(days=list(h.days), open_time=h.open, close_time=h.close) for h in s.hours]
    site.commodities = [_commodity(session, c) for c in s.commodities if c != "*"]
    return site


def _travel(session: Session, a: Site, b: Site, minutes: int) -> None:
    session.flush()
    row = session.get(TravelTime, (a.id, b.id))
    if row is None:
        session.add(TravelTime(from_site_id=a.id, to_site_id=b.id, minutes=minutes))
    else:
        row.minutes = minutes


def _inspector(session: Session, i: sd.Inspector, sites: dict[str, Site], report: ImportReport) -> None:
    inspector = _get(session, Inspector, code=i.id)
    report.count("inspectors", inspector is None)
    if inspector is None:
        inspector = Inspector(code=i.id, name=i.id)
        session.add(inspector)
    inspector.agency, inspector.home_site, inspector.max_minutes_per_day = i.agency, sites[i.home_site], i.max_minutes_per_day
    inspector.qualified_any = "*" in i.commodities
    inspector.qualifications = [_commodity(session, c) for c in i.commodities if c != "*"]
    known = {s.start: s for s in inspector.shifts}
    for shift in i.shifts:
        if shift.start in known:
            known[shift.start].end = shift.end
        else:
            inspector.shifts.append(Shift(start=shift.start, end=shift.end))


def _exporter(session: Session, e: sd.Exporter, report: ImportReport) -> Exporter:
    exporter = _get(session, Exporter, code=e.id)
    report.count("exporters", exporter is None)
    if exporter is None:
        exporter = Exporter(code=e.id, tax_id=f"IMPORTED-{e.id}"[:20], country="MX")
        session.add(exporter)
    exporter.legal_name = e.name
    for c in e.certifications:
        certificate_id = c.certificate_id or f"{c.program}-{e.id}"
        existing = _get(session, Certification, program=c.program, certificate_id=certificate_id)
        if existing is None:
            exporter.certifications.append(Certification(program=c.program, certificate_id=certificate_id,
                                                         valid_from=c.valid_from, valid_until=c.valid_until))
        else:
            existing.valid_from, existing.valid_until = c.valid_from, c.valid_until
    return exporter


def _rule(session: Session, r, report: ImportReport) -> None:
    agreement = _get(session, Agreement, code=r.agreement)
    if agreement is None:
        agreement = Agreement(code=r.agreement, title=r.agreement, status="active", status_since=date.today())
        session.add(agreement)
    rule = _get(session, Rule, code=r.id, version=r.version)
    report.count("rules", rule is None)
    if rule is None:
        rule = Rule(code=r.id, version=r.version, agreement=agreement)
        session.add(rule)
    rule.commodities, rule.origin_states, rule.ports = list(r.commodities), list(r.origin_states), list(r.ports)
    rule.requires_certifications, rule.requires_seal = list(r.requires_certifications), r.requires_seal
    rule.max_hours_before_crossing, rule.valid_from, rule.valid_to, rule.active = (
        r.max_hours_before_crossing, r.valid_from or date(2000, 1, 1), r.valid_to, r.active)


def _request(session: Session, r: sd.Request, exporter: Exporter, sites: dict[str, Site], report: ImportReport) -> None:
    request = _get(session, Shipment, reference=r.id)
    report.count("requests", request is None)
    if request is None:
        request = Shipment(reference=r.id, packhouse="", quantity=1, quantity_unit="pallets")
        session.add(request)
    elif request.status not in ("requested", "scheduled"):
        raise WorkflowError(f"request {r.id} is already {request.status}; it cannot be replaced", field="requests")
    request.exporter, request.commodity = exporter, _commodity(session, r.commodity)
    request.origin_state, request.port = r.origin_state, sites[r.port]
    request.ready, request.arrive_port, request.cross_by = r.ready, r.arrive_port, r.cross_by
    request.cross_by_offset_minutes = int(r.cross_by.utcoffset().total_seconds() // 60)
    request.inspection_minutes, request.border_inspection_minutes = r.inspection_minutes, r.border_inspection_minutes
    request.priority, request.sealable = r.priority, r.sealable
    # Version 2 gives where the load is packed; a version 1 request has no origin and keeps version 1's meaning.
    request.origin_lat, request.origin_lon = (r.origin.lat, r.origin.lon) if r.origin else (None, None)
    request.sites = [sites[s] for s in r.sites] if r.sites else []

"""Seeding the reference data: commodities, sites, the agreement, exporters, inspectors, shifts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import (
    Agreement, Certification, Commodity, Exporter, Inspector, Milestone, PerformanceMeasure, Rule, Shift, Site,
    SiteHours,
)
from ...models.site import WEEKDAYS
from .common import SeedError, SeedReport, load_json, load_reference_csv, upsert

AGENCY_KEYS = ("APHIS", "SENASICA", "CBP")


def local_time(day: date, hhmm: str, zone: str) -> datetime:
    """A wall-clock time at a site ("24:00" is the next midnight), as an aware UTC datetime."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    extra_days, hours = divmod(hours, 24)
    local = datetime.combine(day + timedelta(days=extra_days), time(hours, minutes), ZoneInfo(zone))
    return local.astimezone(timezone.utc)


def shift_window(today: date) -> tuple[date, date]:
    """Shifts cover the previous, current and next week (Monday to Sunday), so the demo is never stale."""
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(days=7), this_monday + timedelta(days=14)


def seed_commodities(session: Session, report: SeedReport) -> None:
    for item in load_json("commodities.json")["commodities"]:
        values = {k: item[k] for k in ("name_en", "name_es", "hs_heading")}
        upsert(session, report, "commodity", Commodity, {"code": item["code"]}, values)


def seed_sites(session: Session, report: SeedReport) -> None:
    """Geography from reference/border-sites.csv, operations (bays, hours, commodities) from sites.json."""
    geography = {row["id"]: row for row in load_reference_csv("border-sites.csv")}
    operations = load_json("sites.json")
    for item in operations["sites"]:
        geo = geography.get(item["code"])
        if geo is None:
            raise SeedError(f"sites.json: {item['code']} is not in reference/border-sites.csv")
        values = {
            "name": item.get("name", geo["name"]), "kind": geo["kind"], "country": geo["country"],
            "state": geo["state"], "lat": float(geo["lat"]), "lon": float(geo["lon"]),
            "timezone": geo["timezone"], "bays": item["bays"], "inspects_any": item["commodities"] == ["*"],
            "notes": geo["notes"] or None,
        }
        site = upsert(session, report, "site", Site, {"code": item["code"]}, values)
        hours = item.get("hours", operations["inland_hours"])
        _set_hours(site, hours)
        codes = [] if site.inspects_any else item["commodities"]
        _set_site_commodities(session, site, codes)


def _set_hours(site: Site, hours: list[dict[str, Any]]) -> None:
    wanted = [(list(h["days"]), h["open"], h["close"]) for h in hours]
    for days, _open, _close in wanted:
        if not set(days) <= set(WEEKDAYS):
            raise SeedError(f"sites.json: {site.code} has unknown days {days}")
    if [(h.days, h.open_time, h.close_time) for h in site.hours] != wanted:
        site.hours = [SiteHours(days=days, open_time=o, close_time=c) for days, o, c in wanted]


def _set_site_commodities(session: Session, site: Site, codes: list[str]) -> None:
    if sorted(c.code for c in site.commodities) != sorted(codes):
        site.commodities = [_commodity(session, code) for code in codes]


def _commodity(session: Session, code: str) -> Commodity:
    commodity = session.get(Commodity, code)
    if commodity is None:
        raise SeedError(f"unknown commodity {code!r}")
    return commodity


def seed_agreement(session: Session, report: SeedReport) -> None:
    data = load_json("agreement.json")
    fields = dict(data["agreement"])
    code = fields.pop("code")
    for name in ("signed_on", "effective_from", "effective_to", "status_since"):
        fields[name] = _date(fields.get(name))
    agreement = upsert(session, report, "agreement", Agreement, {"code": code}, fields)
    session.flush()
    for rule in data["rules"]:
        _seed_rule(session, report, agreement, rule)
    for item in data["milestones"]:
        _seed_milestone(session, report, agreement, item)
    for item in data["measures"]:
        values = {k: item[k] for k in ("name", "name_es", "target", "unit", "direction", "period")}
        key = {"agreement_id": agreement.id, "metric": item["metric"]}
        upsert(session, report, "performance measure", PerformanceMeasure, key, values)


def _seed_rule(session: Session, report: SeedReport, agreement: Agreement, item: dict[str, Any]) -> None:
    values = {k: item[k] for k in (
        "commodities", "origin_states", "ports", "requires_certifications", "requires_seal",
        "max_hours_before_crossing", "active", "change_note",
    )}
    values["max_hours_before_crossing"] = _float(values["max_hours_before_crossing"])
    values.update(agreement_id=agreement.id, valid_from=_date(item["valid_from"]), valid_to=_date(item["valid_to"]))
    superseded = item.get("superseded_at")
    values["superseded_at"] = datetime.fromisoformat(superseded) if superseded else None
    upsert(session, report, "rule", Rule, {"code": item["code"], "version": item["version"]}, values)


def _seed_milestone(session: Session, report: SeedReport, agreement: Agreement, item: dict[str, Any]) -> None:
    """Due and completion dates count from the seeding date, so some work is always overdue."""
    completed = item.get("completed_in_days")
    values = {
        "title_es": item["title_es"], "owner_agency": item["owner_agency"], "status": item["status"],
        "due_on": report.today + timedelta(days=item["due_in_days"]),
        "completed_on": report.today + timedelta(days=completed) if completed is not None else None,
        "notes": item.get("notes"),
    }
    key = {"agreement_id": agreement.id, "title": item["title"]}
    upsert(session, report, "milestone", Milestone, key, values)


def seed_exporters(session: Session, report: SeedReport) -> None:
    for item in load_json("exporters.json")["exporters"]:
        values = {k: item[k] for k in ("legal_name", "tax_id", "country")}
        exporter = upsert(session, report, "exporter", Exporter, {"code": item["code"]}, values)
        session.flush()
        for cert in item["certifications"]:
            values = {
                "exporter_id": exporter.id,
                "valid_from": report.today + timedelta(days=cert["valid_from_days"]),
                "valid_until": report.today + timedelta(days=cert["valid_until_days"]),
            }
            key = {"program": cert["program"], "certificate_id": cert["certificate_id"]}
            upsert(session, report, "certification", Certification, key, values)


def seed_inspectors(session: Session, report: SeedReport) -> None:
    data = load_json("inspectors.json")
    patterns = data["shift_patterns"]
    sites = {site.code: site for site in session.scalars(sa.select(Site))}
    for group in data["groups"]:
        site = sites.get(group["site"])
        if site is None:
            raise SeedError(f"inspectors.json: unknown site {group['site']!r}")
        for agency in AGENCY_KEYS:
            for number, (name, pattern) in enumerate(group.get(agency, []), start=1):
                code = f"{agency}-{group['prefix']}-{number:02d}"
                inspector = _seed_inspector(session, report, code, name, agency, site, group["commodities"])
                _seed_shifts(session, report, inspector, site, patterns[pattern])


def _seed_inspector(session: Session, report: SeedReport, code: str, name: str, agency: str, site: Site,
                    commodities: list[str]) -> Inspector:
    qualified_any = commodities == ["*"]
    values = {"name": name, "agency": agency, "home_site_id": site.id, "qualified_any": qualified_any}
    inspector = upsert(session, report, "inspector", Inspector, {"code": code}, values)
    codes = [] if qualified_any else commodities
    if sorted(c.code for c in inspector.qualifications) != sorted(codes):
        inspector.qualifications = [_commodity(session, c) for c in codes]
    session.flush()
    return inspector


def _seed_shifts(session: Session, report: SeedReport, inspector: Inspector, site: Site,
                 pattern: dict[str, Any]) -> None:
    """8-hour shifts at the pattern's local start time; a shift is known by (inspector, start)."""
    first, last = shift_window(report.today)
    window_start = local_time(first, "00:00", site.timezone)
    existing = set(session.scalars(
        sa.select(Shift.start).where(Shift.inspector_id == inspector.id, Shift.start >= window_start)
    ))
    day = first
    while day < last:
        if WEEKDAYS[day.weekday()] in pattern["days"]:
            start = local_time(day, pattern["start"], site.timezone)
            if start in existing:
                report.count("shift", "unchanged")
            else:
                end = start + timedelta(hours=pattern["hours"])
                session.add(Shift(inspector_id=inspector.id, start=start, end=end))
                report.count("shift", "created")
        day += timedelta(days=1)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _float(value: Any) -> float | None:
    return None if value is None else float(value)

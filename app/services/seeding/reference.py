"""Seeding the reference data: commodities, sites, the agreement, exporters, inspectors, shifts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import (
    QuarantinePest,
    Agreement, Certification, Commodity, Exporter, Inspector, Milestone, MilestoneGate, PerformanceMeasure, Rule,
    Shift, Site, SiteHours,
)
from ...models.site import WEEKDAYS
from .common import SeedError, SeedReport, load_json, load_reference_csv, upsert

AGREEMENT_FILES = ("agreement.json", "aeo_work_plan.json")
REGISTER_DATES = {"valid_from": "valid_from_days", "valid_until": "valid_until_days", "applied_on": "applied_days",
                  "certified_on": "certified_days", "validation_planned_on": "validation_planned_days",
                  "last_validated_on": "last_validated_days", "revalidation_due": "revalidation_due_days",
                  "status_since": "status_since_days"}

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
    session.flush()
    for item in load_json("quarantine_pests.json")["pests"]:
        unknown = set(item["commodities"]) - {c.code for c in session.scalars(sa.select(Commodity))}
        if unknown:
            raise SeedError(f"quarantine_pests.json: {item['code']} names unknown commodities {sorted(unknown)}")
        values = {k: item[k] for k in ("scientific_name", "common_name_en", "common_name_es", "commodities")}
        upsert(session, report, "quarantine pest", QuarantinePest, {"code": item["code"]}, values)


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
            "notes": geo["notes"] or None, "planned": item.get("planned", False),
        }
        if values["planned"]:
            # A facility not built yet: closed, so nothing is planned there until it opens.
            values.update(active=False, closed_reason="Planned facility, not open yet.")
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
    """The agricultural agreement and the trusted-trader (AEO) work plan, each with its rules and plan."""
    for name in AGREEMENT_FILES:
        _seed_agreement_file(session, report, name)


def _seed_agreement_file(session: Session, report: SeedReport, name: str) -> None:
    data = load_json(name)
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
        values.update(baseline=item.get("baseline"), baseline_note=item.get("baseline_note"))
        key = {"agreement_id": agreement.id, "metric": item["metric"]}
        upsert(session, report, "performance measure", PerformanceMeasure, key, values)


def _seed_rule(session: Session, report: SeedReport, agreement: Agreement, item: dict[str, Any]) -> None:
    values = {k: item[k] for k in (
        "commodities", "origin_states", "ports", "requires_certifications", "requires_seal",
        "max_hours_before_crossing", "active", "change_note",
    )}
    values.update({flag: item.get(flag, False) for flag in ("requires_recognised_status", "requires_whole_chain")})
    values["max_hours_before_crossing"] = _float(values["max_hours_before_crossing"])
    values.update(agreement_id=agreement.id, valid_from=_date(item["valid_from"]), valid_to=_date(item["valid_to"]))
    superseded = item.get("superseded_at")
    values["superseded_at"] = datetime.fromisoformat(superseded) if superseded else None
    upsert(session, report, "rule", Rule, {"code": item["code"], "version": item["version"]}, values)


def _seed_milestone(session: Session, report: SeedReport, agreement: Agreement, item: dict[str, Any]) -> None:
    """Dates count from the seeding date, so some work is always overdue; a milestone gating rules has its own
    dates, on or before the day its rules start to waive."""
    values = {
        "title_es": item["title_es"], "owner_agency": item["owner_agency"], "status": item["status"],
        "due_on": _day(report, item, "due"), "completed_on": _day(report, item, "completed"),
        "notes": item.get("notes"),
    }
    key = {"agreement_id": agreement.id, "title": item["title"]}
    milestone = upsert(session, report, "milestone", Milestone, key, values)
    session.flush()
    gates = sorted(item.get("gates", []))
    if milestone.gated_rules != gates:
        milestone.gates = [MilestoneGate(rule_code=code) for code in gates]
        report.count("milestone gate", "updated")


def _day(report: SeedReport, item: dict[str, Any], name: str) -> date | None:
    if item.get(f"{name}_on"):
        return date.fromisoformat(item[f"{name}_on"])
    days = item.get(f"{name}_in_days")
    return report.today + timedelta(days=days) if days is not None else None


def seed_exporters(session: Session, report: SeedReport) -> None:
    for item in load_json("exporters.json")["exporters"]:
        values = {k: item[k] for k in ("legal_name", "tax_id", "country")}
        exporter = upsert(session, report, "exporter", Exporter, {"code": item["code"]}, values)
        session.flush()
        for cert in item["certifications"]:
            seed_register_entry(session, report, cert, exporter_id=exporter.id)


def seed_register_entry(session: Session, report: SeedReport, cert: dict[str, Any], **holder: int) -> None:
    """One entry of the trusted-trader register; `*_days` count from the seeding date."""
    values: dict[str, Any] = {"exporter_id": None, "party_id": None, **holder, "status": cert.get("status", "certified"),
                              "tier": cert.get("tier"), "validator": cert.get("validator"),
                              "status_reason": cert.get("status_reason")}
    for name, key in REGISTER_DATES.items():
        days = cert.get(key)
        values[name] = report.today + timedelta(days=days) if days is not None else None
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

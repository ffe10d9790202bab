"""Writing scenarios and schedules as exchange documents, exactly in the spec's shape."""

from __future__ import annotations

import json

from mr_agreements.domain import Rule
from scheduling.domain import (
    AVOIDED,
    JOINT_INLAND,
    Assignment,
    Inspector,
    Request,
    Scenario,
    Schedule,
    ScheduledBorderDecision,
    Site,
)
from scheduling.exchange.formats import SCENARIO_FORMAT, SCENARIO_FORMAT_V1, SCHEDULE_FORMAT


def scenario_to_dict(scenario: Scenario) -> dict:
    """The scenario as a jointinspect-scenario/2 document; load_scenario gives it back unchanged.

    Version 2 needs every request's origin. A scenario whose requests have none (read from a
    version 1 file, or built without origins) is written as version 1 so that it keeps version
    1's meaning; one where only some requests have an origin cannot be written either way.
    """
    document = {
        "format": _scenario_format(scenario),
        "horizon": {"start": scenario.horizon.start.isoformat(),
                    "end": scenario.horizon.end.isoformat()},
        "sites": [_site_dict(s) for s in scenario.sites],
        "inspectors": [_inspector_dict(i) for i in scenario.inspectors],
        "exporters": [
            {"id": e.id, "name": e.name,
             "certifications": [_certification_dict(c) for c in e.certifications]}
            for e in scenario.exporters
        ],
        "requests": [_request_dict(r) for r in scenario.requests],
        "rules": [_rule_dict(r) for r in scenario.rules],
    }
    if scenario.travel_overrides:
        travel: dict[str, dict[str, int]] = {}
        for a, b, minutes in scenario.travel_overrides:
            travel.setdefault(a, {})[b] = minutes
        document["travel_minutes"] = travel
    return document


def _scenario_format(scenario: Scenario) -> str:
    with_origin = sum(1 for r in scenario.requests if r.origin is not None)
    if with_origin == len(scenario.requests):
        return SCENARIO_FORMAT
    if with_origin == 0:
        return SCENARIO_FORMAT_V1
    missing = next(r.id for r in scenario.requests if r.origin is None)
    raise ValueError(f"{with_origin} of {len(scenario.requests)} requests have an origin: version 2 needs "
                     f"every one (request {missing} has none) and version 1 would drop them")


def _site_dict(site: Site) -> dict:
    return {
        "id": site.id,
        "name": site.name,
        "kind": site.kind,
        "country": site.country,
        "lat": site.lat,
        "lon": site.lon,
        "timezone": site.timezone,
        "bays": site.bays,
        "hours": [{"days": list(h.days), "open": h.open, "close": h.close} for h in site.hours],
        "commodities": list(site.commodities),
    }


def _inspector_dict(inspector: Inspector) -> dict:
    return {
        "id": inspector.id,
        "agency": inspector.agency,
        "home_site": inspector.home_site,
        "commodities": list(inspector.commodities),
        "shifts": [{"start": s.start.isoformat(), "end": s.end.isoformat()} for s in inspector.shifts],
        "max_minutes_per_day": inspector.max_minutes_per_day,
    }


def _certification_dict(certification) -> dict:
    out = {"program": certification.program, "valid_until": certification.valid_until.isoformat()}
    if certification.valid_from is not None:
        out["valid_from"] = certification.valid_from.isoformat()
    if certification.certificate_id is not None:
        out["certificate_id"] = certification.certificate_id
    return out


def _request_dict(request: Request) -> dict:
    out = {
        "id": request.id,
        "exporter": request.exporter,
        "commodity": request.commodity,
        "origin_state": request.origin_state,
        "port": request.port,
        "ready": request.ready.isoformat(),
        "arrive_port": request.arrive_port.isoformat(),
        "cross_by": request.cross_by.isoformat(),
        "inspection_minutes": request.inspection_minutes,
        "border_inspection_minutes": request.border_inspection_minutes,
        "priority": request.priority,
    }
    if request.sites is not None:
        out["sites"] = list(request.sites)
    out["sealable"] = request.sealable
    if request.origin is not None:
        out["origin"] = {"lat": request.origin.lat, "lon": request.origin.lon}
    if request.border_required:
        out["border_required"] = request.border_required
    return out


def _rule_dict(rule: Rule) -> dict:
    return {
        "id": rule.id,
        "agreement": rule.agreement,
        "commodities": list(rule.commodities),
        "origin_states": list(rule.origin_states),
        "ports": list(rule.ports),
        "requires_certifications": list(rule.requires_certifications),
        "requires_seal": rule.requires_seal,
        "max_hours_before_crossing": rule.max_hours_before_crossing,
        "valid_from": rule.valid_from.isoformat() if rule.valid_from else None,
        "valid_to": rule.valid_to.isoformat() if rule.valid_to else None,
        "active": rule.active,
        "version": rule.version,
    }


def schedule_to_dict(schedule: Schedule) -> dict:
    """The schedule as a jointinspect-schedule/1 document, exactly in the spec's shape."""
    return {
        "format": SCHEDULE_FORMAT,
        "assignments": [_assignment_dict(a) for a in schedule.assignments],
        "border_decisions": [_decision_dict(d) for d in schedule.border_decisions],
        "unscheduled": [{"request": u.request, "reason": u.reason} for u in schedule.unscheduled],
        "stats": _stats(schedule),
    }


def _assignment_dict(assignment: Assignment) -> dict:
    out = {
        "request": assignment.request,
        "type": assignment.type,
        "site": assignment.site,
        "start": assignment.start.isoformat(),
        "end": assignment.end.isoformat(),
        "inspectors": list(assignment.inspectors),
    }
    if assignment.pinned:
        out["pinned"] = True
    return out


def _decision_dict(decision: ScheduledBorderDecision) -> dict:
    out = {"request": decision.request, "decision": decision.decision}
    if decision.decision in AVOIDED:
        out["rule"] = decision.rule
    else:
        out["reasons"] = list(decision.reasons)
    return out


def _stats(schedule: Schedule) -> dict:
    """The spec's stats keys first (counts derived from the schedule when the solver gave none)."""
    served = {a.request for a in schedule.assignments if a.type == JOINT_INLAND}
    served -= {u.request for u in schedule.unscheduled}
    waived = {d.request for d in schedule.border_decisions if d.decision in AVOIDED} & served
    derived = {
        "status": "UNKNOWN",
        "objective": None,
        "bound": None,
        "wall_seconds": None,
        "requests": len(served) + len({u.request for u in schedule.unscheduled}),
        "served": len(served),
        "border_inspections_avoided": len(waived),
    }
    return {**derived, **(schedule.stats or {})}


def dump_json(obj, path) -> None:
    """Write a document the way the project writes all exchange files (UTF-8, indent 1)."""
    with open(path, "w", encoding="utf-8") as out:
        json.dump(obj, out, indent=1, ensure_ascii=False)
        out.write("\n")

"""One-line builders of tiny scheduling scenarios, and readers of the schedules solved from them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from mr_agreements.domain import Certification, Rule
from scheduling.domain import (BORDER, JOINT_INLAND, Exporter, Horizon, Inspector, OpeningHours,
                               Origin, Request, Scenario, Shift, Site)
from scheduling.solver import SolverSettings, solve
from scheduling.validation import validate

EXAMPLE = Path(__file__).parent / "data" / "example-scenario.json"  # version 2
EXAMPLE_V1 = Path(__file__).parent / "data" / "example-scenario-v1.json"  # the spec's version 1 example
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TRAVEL = (("URU", "GUZ", 120), ("URU", "PHARR", 600), ("GUZ", "PHARR", 700),
          ("PHARR", "NJIS", 30), ("URU", "NJIS", 630), ("GUZ", "NJIS", 730))
# Every builder site stands at one point: a packhouse there is 0 min from each, one degree north 145 min.
PACKHOUSE = Origin(19.4, -102.0)
AWAY = Origin(20.4, -102.0)


def at(day: int, hhmm: str) -> datetime:
    """A time on day `day` of March 2027 (1 = Monday) at UTC-6, Mexico City's and Chicago's offset."""
    return datetime.fromisoformat(f"2027-03-{day:02d}T{hhmm}:00-06:00")


def make_site(id: str, kind: str = "inland", bays: int = 1, open: str = "06:00", close: str = "20:00",
              days=ALL_DAYS, commodities=("*",), timezone: str = "America/Mexico_City",
              country: str | None = None) -> Site:
    return Site(id=id, name=id.title(), kind=kind, country=country or ("MX" if kind == "inland" else "US"),
                lat=19.4, lon=-102.0, timezone=timezone, bays=bays,
                hours=(OpeningHours(tuple(days), open, close),), commodities=tuple(commodities))


def make_port(bays: int = 2) -> Site:
    """Pharr: a US port open around the clock."""
    return make_site("PHARR", "port", bays=bays, open="00:00", close="24:00", timezone="America/Chicago")


def make_inspector(id: str, agency: str, home: str = "URU", shifts=((1, "06:00", "14:00"),),
                   commodities=("*",), cap: int = 480) -> Inspector:
    return Inspector(id=id, agency=agency, home_site=home, commodities=tuple(commodities),
                     shifts=tuple(Shift(at(d, a), at(d, b)) for d, a, b in shifts),
                     max_minutes_per_day=cap)


def make_team(suffix: str = "1", home: str = "URU", shifts=((1, "06:00", "14:00"),), **kwargs):
    """An APHIS and a SENASICA inspector with the same home and shifts."""
    return (make_inspector(f"APHIS-{suffix}", "APHIS", home, shifts, **kwargs),
            make_inspector(f"SENASICA-{suffix}", "SENASICA", home, shifts, **kwargs))


def make_cbp(suffix: str = "1", shifts=((1, "00:00", "23:59"), (2, "00:00", "23:59"),
                                        (3, "00:00", "23:59"))) -> Inspector:
    return make_inspector(f"CBP-{suffix}", "CBP", "PHARR", shifts)


def make_request(id: str, ready: datetime | None = None, cross_by: datetime | None = None,
                 minutes: int = 60, border: int = 30, priority: int = 3, commodity: str = "avocado",
                 sites=None, arrive_port: datetime | None = None, origin: str = "MIC",
                 exporter: str = "EXP-1", sealable: bool = True, packhouse: Origin | None = None,
                 border_required: str | None = None) -> Request:
    """A request; with a `packhouse` it follows version 2 (rules 1 and 1b), without one version 1."""
    ready = ready or at(1, "06:00")
    return Request(id=id, exporter=exporter, commodity=commodity, origin_state=origin, port="PHARR",
                   ready=ready, arrive_port=arrive_port or ready, cross_by=cross_by or at(3, "12:00"),
                   inspection_minutes=minutes, border_inspection_minutes=border, priority=priority,
                   sites=tuple(sites) if sites else None, sealable=sealable, origin=packhouse,
                   border_required=border_required)


def make_north_site(id: str = "NJIS", **kwargs) -> Site:
    """A joint inspection facility north of the border, 30 min from Pharr (rule 1b in version 2)."""
    return make_site(id, country="US", timezone="America/Chicago", **kwargs)


def make_rule(id: str = "MR-1", commodities=("avocado",), max_hours: float | None = 24,
              certifications=("OEA",), **kwargs) -> Rule:
    return Rule(id=id, agreement="MR", commodities=tuple(commodities),
                requires_certifications=tuple(certifications), requires_seal=True,
                max_hours_before_crossing=max_hours, valid_from=date(2027, 1, 1), **kwargs)


def make_scenario(requests, inspectors=None, sites=None, rules=(), travel=TRAVEL,
                  certifications=("OEA", "CTPAT")) -> Scenario:
    sites = sites or (make_site("URU"), make_site("GUZ"), make_port())
    inspectors = inspectors if inspectors is not None else (*make_team(), make_cbp())
    exporter = Exporter("EXP-1", "Exportadora 1",
                        tuple(Certification(p, date(2028, 12, 31)) for p in certifications))
    return Scenario(horizon=Horizon(at(1, "00:00"), at(8, "00:00")), sites=tuple(sites),
                    inspectors=tuple(inspectors), exporters=(exporter,), requests=tuple(requests),
                    rules=tuple(rules), travel_overrides=tuple(travel))


def solved(scenario: Scenario, seconds: float = 5.0, **kwargs):
    """Solve and insist the independent validator accepts the result."""
    schedule = solve(scenario, SolverSettings(time_limit_s=seconds), **kwargs)
    assert validate(scenario, schedule) == []
    return schedule


def inland_of(schedule, request_id: str):
    return next(a for a in schedule.assignments if a.request == request_id and a.type == JOINT_INLAND)


def border_of(schedule, request_id: str):
    return next((a for a in schedule.assignments if a.request == request_id and a.type == BORDER), None)


def served(schedule) -> set[str]:
    return {a.request for a in schedule.assignments if a.type == JOINT_INLAND}


def reason_code(schedule, request_id: str) -> str:
    return schedule.stats["reason_codes"][request_id]

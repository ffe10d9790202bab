"""A valid scenario and schedule pair, and the one-line changes the validator tests break it with."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from mr_agreements.domain import Certification, Rule
from scheduling.domain import (
    BORDER,
    JOINT_INLAND,
    Assignment,
    Exporter,
    Horizon,
    Inspector,
    OpeningHours,
    Origin,
    Request,
    Scenario,
    Schedule,
    ScheduledBorderDecision,
    Shift,
    Site,
    Unscheduled,
)
from scheduling.validation import Violation, validate

ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def t(text: str, offset: str = "-06:00") -> datetime:
    """A time written the way the exchange format writes it (Mexico City / Chicago winter offset)."""
    return datetime.fromisoformat(f"{text}{offset}")


def make_site(id: str, kind: str = "inland", timezone: str = "America/Mexico_City", bays: int = 1,
              open: str = "06:00", close: str = "20:00", days=ALL_DAYS[:6], commodities=("avocado",),
              country: str | None = None) -> Site:
    country = country or ("MX" if kind == "inland" else "US")
    return Site(id=id, name=id.title(), kind=kind, country=country, lat=19.4,
                lon=-102.0, timezone=timezone, bays=bays, hours=(OpeningHours(tuple(days), open, close),),
                commodities=tuple(commodities))


def make_inspector(id: str, agency: str, home: str, shifts=(("2027-03-01T06:00", "2027-03-01T14:00"),),
                   commodities=("*",), cap: int = 360) -> Inspector:
    return Inspector(id=id, agency=agency, home_site=home, commodities=tuple(commodities),
                     shifts=tuple(Shift(t(a), t(b)) for a, b in shifts), max_minutes_per_day=cap)


def make_request(id: str, **changes) -> Request:
    base = Request(id=id, exporter="EXP-1", commodity="avocado", origin_state="MIC", port="US-PHARR",
                   ready=t("2027-03-01T06:00"), arrive_port=t("2027-03-01T12:00"),
                   cross_by=t("2027-03-02T00:00"), inspection_minutes=60, border_inspection_minutes=30,
                   priority=4)
    return replace(base, **changes)


def make_scenario(**changes) -> Scenario:
    """Two inland sites 45 min apart, Pharr 10 h away, one team, one CBP officer, one avocado rule."""
    base = Scenario(
        horizon=Horizon(t("2027-03-01T00:00"), t("2027-03-08T00:00")),
        sites=(make_site("MX-URU"), make_site("MX-TAN"),
               make_site("US-PHARR", kind="port", timezone="America/Chicago", open="06:00", close="24:00",
                         days=ALL_DAYS, commodities=("*",))),
        inspectors=(make_inspector("APHIS-1", "APHIS", "MX-URU"), make_inspector("SEN-1", "SENASICA", "MX-URU"),
                    make_inspector("CBP-1", "CBP", "US-PHARR", shifts=(("2027-03-01T14:00", "2027-03-01T22:00"),))),
        exporters=(Exporter("EXP-1", "Exportadora", (Certification("OEA", date(2028, 1, 1)),)),),
        requests=(make_request("R1", cross_by=t("2027-03-01T23:00")),
                  make_request("R2", origin_state="JAL"),
                  make_request("R3")),
        rules=(Rule(id="MR-AVO", agreement="MR", commodities=("avocado",), origin_states=("MIC",),
                    requires_certifications=("OEA",), requires_seal=True, max_hours_before_crossing=24,
                    valid_from=date(2027, 1, 1)),),
        travel_overrides=(("MX-URU", "MX-TAN", 45), ("MX-URU", "US-PHARR", 600), ("MX-TAN", "US-PHARR", 600)),
    )
    return replace(base, **changes)


def inland(request: str, start: str, minutes: int = 60, site: str = "MX-URU",
           team=("APHIS-1", "SEN-1")) -> Assignment:
    begin = t(start)
    return Assignment(request, JOINT_INLAND, site, begin, begin + _minutes(minutes), tuple(team))


def border(request: str, start: str, minutes: int = 30, site: str = "US-PHARR", team=("CBP-1",)) -> Assignment:
    begin = t(start)
    return Assignment(request, BORDER, site, begin, begin + _minutes(minutes), tuple(team))


def _minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def make_schedule(**changes) -> Schedule:
    """R1 waived after its joint inspection, R2 (origin not covered) inspected at Pharr, R3 unscheduled."""
    base = Schedule(
        assignments=(inland("R1", "2027-03-01T06:00"), inland("R2", "2027-03-01T07:00"),
                     border("R2", "2027-03-01T18:00")),
        border_decisions=(ScheduledBorderDecision("R1", "waived", rule="MR-AVO"),
                          ScheduledBorderDecision("R2", "required", reasons=("origin state JAL is not covered",))),
        unscheduled=(Unscheduled("R3", "no team free"),),
    )
    return replace(base, **changes)


def replace_assignment(schedule: Schedule, index: int, new: Assignment | None) -> Schedule:
    items = list(schedule.assignments)
    if new is None:
        del items[index]
    else:
        items[index] = new
    return replace(schedule, assignments=tuple(items))


def with_request(scenario: Scenario, request_id: str, **changes) -> Scenario:
    requests = tuple(replace(r, **changes) if r.id == request_id else r for r in scenario.requests)
    return replace(scenario, requests=requests)


def with_inspector(scenario: Scenario, inspector_id: str, **changes) -> Scenario:
    inspectors = tuple(replace(i, **changes) if i.id == inspector_id else i for i in scenario.inspectors)
    return replace(scenario, inspectors=inspectors)


def with_site(scenario: Scenario, site_id: str, **changes) -> Scenario:
    return replace(scenario, sites=tuple(replace(s, **changes) if s.id == site_id else s for s in scenario.sites))


# Version 2: every site at the same point, so the packhouse at PACKHOUSE is 0 min from each of
# them; US-NJIS is a joint facility north of the border, 30 min from Pharr.
PACKHOUSE = Origin(19.4, -102.0)
AWAY = Origin(20.4, -102.0)  # one degree north: 145 min from every site


def make_v2_scenario(**changes) -> Scenario:
    """The valid pair's scenario in version 2, with R4 to be inspected north of the border."""
    base = make_scenario()
    requests = tuple(replace(r, origin=PACKHOUSE) for r in base.requests)
    return replace(base, sites=(*base.sites, make_site("US-NJIS", country="US", timezone="America/Chicago")),
                   inspectors=(*base.inspectors,
                               make_inspector("APHIS-2", "APHIS", "US-NJIS", (("2027-03-01T12:00", "2027-03-01T20:00"),)),
                               make_inspector("SEN-2", "SENASICA", "US-NJIS", (("2027-03-01T12:00", "2027-03-01T20:00"),))),
                   requests=(*requests, make_request("R4", origin=PACKHOUSE)),
                   travel_overrides=(*base.travel_overrides, ("US-PHARR", "US-NJIS", 30)), **changes)


def make_v2_schedule(**changes) -> Schedule:
    """The valid pair's schedule plus R4 inspected at US-NJIS after crossing at Pharr at 12:00."""
    base = make_schedule()
    return replace(base, assignments=(*base.assignments, inland("R4", "2027-03-01T13:00", site="US-NJIS",
                                                                team=("APHIS-2", "SEN-2"))),
                   border_decisions=(*base.border_decisions,
                                     ScheduledBorderDecision("R4", "joint_us_site", rule="MR-AVO")), **changes)


def assert_named(rule: str, breaking, pair=None) -> None:
    """Breaking the valid pair one way gives a violation of `rule`, each in words."""
    scenario, schedule = breaking(*(pair or (make_scenario(), make_schedule())))
    violations = validate(scenario, schedule)
    assert rule in {v.rule for v in violations}, violations
    assert all(isinstance(v, Violation) and v.message for v in violations)

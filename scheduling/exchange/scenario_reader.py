"""Reads a jointinspect-scenario/1 or /2 document into domain objects, noting every problem found."""

from __future__ import annotations

from dataclasses import dataclass

from mr_agreements.domain import Certification, Rule
from scheduling.domain import (
    AGENCIES,
    WEEKDAYS,
    Exporter,
    Horizon,
    Inspector,
    OpeningHours,
    Origin,
    Request,
    Scenario,
    Shift,
    Site,
)
from scheduling.exchange.errors import Problem, ScenarioError
from scheduling.exchange.fields import Reader, kind_of
from scheduling.exchange.formats import COUNTRIES, SCENARIO_FORMAT, SCENARIO_FORMAT_V1, SCENARIO_FORMATS, SITE_KINDS


@dataclass(frozen=True)
class _Known:
    """Ids declared in the document, gathered first so cross-references can be checked."""

    site_kinds: dict[str, str]
    exporters: frozenset[str]
    version: int  # 2 reads each request's origin; 1 keeps version 1's meaning


def read_scenario(data) -> Scenario:
    """The scenario in `data`, or ScenarioError listing every problem."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ScenarioError([Problem("(document)", f"must be a JSON object, got {kind_of(data)}")])
    top = Reader(problems, "", data)
    if data.get("format") not in SCENARIO_FORMATS:
        top.note("format", f"must be {SCENARIO_FORMAT!r} (or {SCENARIO_FORMAT_V1!r}), got {data.get('format')!r}")
    known = _known(data)
    horizon = _horizon(top.child("horizon"))
    sites = _entities(top, "sites", "site", _site)
    travel = _travel(top, known)
    inspectors = _entities(top, "inspectors", "inspector", lambda r: _inspector(r, known))
    exporters = _entities(top, "exporters", "exporter", _exporter)
    requests = _entities(top, "requests", "request", lambda r: _request(r, known))
    rules = _entities(top, "rules", "rule", _rule)
    if problems:
        raise ScenarioError(problems)
    return Scenario(horizon, sites, inspectors, exporters, requests, rules, travel)


def _known(data: dict) -> _Known:
    def ids(key):
        items = data.get(key)
        if not isinstance(items, list):
            return []
        return [x for x in items if isinstance(x, dict) and isinstance(x.get("id"), str)]

    return _Known(
        site_kinds={s["id"]: s.get("kind") for s in ids("sites")},
        exporters=frozenset(e["id"] for e in ids("exporters")),
        version=1 if data.get("format") == SCENARIO_FORMAT_V1 else 2,
    )


def _entities(top: Reader, key: str, label: str, read_one) -> tuple:
    """Every well-formed entity of the list under `key`; duplicate ids are problems."""
    items, seen = [], {}
    for reader in top.children(key):
        ident = reader.obj.get("id")
        if isinstance(ident, str) and ident in seen:
            reader.note("id", f"duplicate {label} id {ident!r} (first at {seen[ident]})")
        elif isinstance(ident, str):
            seen[ident] = reader.path
        item = read_one(reader)
        if item is not None:
            items.append(item)
    return tuple(items)


def _horizon(r: Reader | None) -> Horizon | None:
    if r is None:
        return None
    start, end = r.time("start"), r.time("end")
    if start and end and start >= end:
        r.note("end", f"must be after start ({start.isoformat()}), got {end.isoformat()}")
    return r.result(Horizon(start, end))


def _site(r: Reader) -> Site | None:
    site = Site(
        id=r.text("id"),
        name=r.text("name"),
        kind=r.choice("kind", SITE_KINDS),
        country=r.choice("country", COUNTRIES),
        lat=r.number("lat", -90, 90),
        lon=r.number("lon", -180, 180),
        timezone=r.timezone("timezone"),
        bays=r.integer("bays", low=1),
        hours=tuple(_hours(h) for h in r.children("hours")),
        commodities=r.texts("commodities"),
    )
    return r.result(site)


def _hours(r: Reader) -> OpeningHours | None:
    days = r.texts("days", nonempty=True)
    for day in days or ():
        if day not in WEEKDAYS:
            r.note("days", f"{day!r} is not a day; use {', '.join(WEEKDAYS)}")
    opens, closes = r.clock("open"), r.clock("close", allow_midnight_end=True)
    # zero-padded HH:MM strings sort like the times they name, "24:00" last
    if opens and closes and closes <= opens:
        r.note("close", f"must be after open ({opens}), got {closes!r}")
    return r.result(OpeningHours(days, opens, closes))


def _inspector(r: Reader, known: _Known) -> Inspector | None:
    home = r.text("home_site")
    if home and home not in known.site_kinds:
        r.note("home_site", f"no site has id {home!r}")
    inspector = Inspector(
        id=r.text("id"),
        agency=r.choice("agency", AGENCIES),
        home_site=home,
        commodities=r.texts("commodities"),
        shifts=tuple(_shift(s) for s in r.children("shifts")),
        max_minutes_per_day=r.integer("max_minutes_per_day", low=1),
    )
    return r.result(inspector)


def _shift(r: Reader) -> Shift | None:
    start, end = r.time("start"), r.time("end")
    if start and end and end <= start:
        r.note("end", f"must be after start ({start.isoformat()}), got {end.isoformat()}")
    return r.result(Shift(start, end))


def _exporter(r: Reader) -> Exporter | None:
    exporter = Exporter(
        id=r.text("id"),
        name=r.text("name"),
        certifications=tuple(_certification(c) for c in r.children("certifications", default=[])),
    )
    return r.result(exporter)


def _certification(r: Reader) -> Certification | None:
    certification = Certification(
        program=r.text("program"),
        valid_until=r.day("valid_until"),
        valid_from=r.day("valid_from", nullable=True, default=None),
        certificate_id=r.text("certificate_id", default=None),
    )
    return r.result(certification)


def _request(r: Reader, known: _Known) -> Request | None:
    exporter, port = r.text("exporter"), r.text("port")
    if exporter and exporter not in known.exporters:
        r.note("exporter", f"no exporter has id {exporter!r}")
    _check_site_kind(r, "port", port, known, "port")
    sites = r.texts("sites", default=None)
    for site in sites or ():
        _check_site_kind(r, "sites", site, known, "inland")
    ready, cross_by = r.time("ready"), r.time("cross_by")
    if ready and cross_by and ready > cross_by:
        r.note("cross_by", f"must not be before ready ({ready.isoformat()}), got {cross_by.isoformat()}")
    request = Request(
        id=r.text("id"),
        exporter=exporter,
        commodity=r.text("commodity"),
        origin_state=r.text("origin_state"),
        port=port,
        ready=ready,
        arrive_port=r.time("arrive_port"),
        cross_by=cross_by,
        inspection_minutes=r.minutes("inspection_minutes"),
        border_inspection_minutes=r.minutes("border_inspection_minutes"),
        priority=r.integer("priority", low=1, high=5),
        sites=sites,
        sealable=r.flag("sealable", default=True),
        origin=_origin(r.child("origin")) if known.version == 2 else None,
        border_required=r.text("border_required", default=None),
    )
    return r.result(request)


def _origin(r: Reader | None) -> Origin | None:
    """Version 2: where the load is packed, required (a version 1 document has no origins)."""
    if r is None or r.failed:  # missing, or not an object: already noted
        return None
    return r.result(Origin(lat=r.number("lat", -90, 90), lon=r.number("lon", -180, 180)))


def _check_site_kind(r: Reader, key: str, site_id: str | None, known: _Known, kind: str) -> None:
    if site_id is None:
        return
    if site_id not in known.site_kinds:
        r.note(key, f"no site has id {site_id!r}")
    elif known.site_kinds[site_id] != kind:
        r.note(key, f"site {site_id!r} is of kind {known.site_kinds[site_id]!r}, not {kind!r}")


def _rule(r: Reader) -> Rule | None:
    valid_from, valid_to = r.day("valid_from"), r.day("valid_to", nullable=True, default=None)
    if valid_from and valid_to and valid_to < valid_from:
        r.note("valid_to", f"must not be before valid_from ({valid_from}), got {valid_to}")
    version = r.integer("version", low=1) if "version" in r.obj else 1
    rule = Rule(
        id=r.text("id"),
        agreement=r.text("agreement"),
        commodities=r.texts("commodities", nonempty=True),
        origin_states=r.texts("origin_states", default=()),
        ports=r.texts("ports", default=()),
        requires_certifications=r.texts("requires_certifications", default=()),
        requires_seal=r.flag("requires_seal", default=True),
        max_hours_before_crossing=r.number("max_hours_before_crossing", 0, nullable=True, default=None),
        valid_from=valid_from,
        valid_to=valid_to,
        active=r.flag("active", default=True),
        version=version,
    )
    return r.result(rule)


def _travel(top: Reader, known: _Known) -> tuple[tuple[str, str, int], ...]:
    """Travel overrides as (from, to, minutes), sorted so equal documents give equal scenarios."""
    table = top.child("travel_minutes", default=None)
    if table is None:
        return ()
    overrides = []
    for a, row in table.obj.items():
        if a not in known.site_kinds:
            table.note(a, f"no site has id {a!r}")
        if not isinstance(row, dict):
            table.note(a, f"must be an object of site id to minutes, got {kind_of(row)}")
            continue
        for b, minutes in row.items():
            overrides.append((a, b, minutes))
            _check_travel_entry(table, a, b, minutes, known)
    return tuple(sorted(overrides))


def _check_travel_entry(table: Reader, a: str, b: str, minutes, known: _Known) -> None:
    key = f"{a}.{b}"
    if b not in known.site_kinds:
        table.note(key, f"no site has id {b!r}")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
        table.note(key, f"must be a whole number of minutes >= 0, got {minutes!r}")
    elif a == b and minutes != 0:
        table.note(key, f"travel from a site to itself is always 0, got {minutes}")

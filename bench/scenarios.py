"""Realistic benchmark scenarios in the exchange format: real ports, inland sites and produce flows.

Usage: python bench/scenarios.py SIZE OUT.json [SEED]   (SIZE is S, M, L, XL, national or a number of requests)
"""

from __future__ import annotations

import csv
import math
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bench` and the packages importable
    sys.path.insert(0, str(ROOT))

from bench import _scenario_facts as facts  # noqa: E402
from bench import _staffing as staffing  # noqa: E402
from bench._staffing import at  # noqa: E402
from scheduling.domain import great_circle_travel_minutes  # noqa: E402

REFERENCE = ROOT / "seed_data" / "reference"
SIZES = {"S": 60, "M": 400, "L": 1500, "XL": 4000}
NATIONAL = 20_000  # a national week: every port and site of the seed data, staffing in proportion
DEFAULT_WEEK = date(2027, 3, 1)
HORIZON_ZONE = "America/Mexico_City"


@dataclass
class _Draft:
    """A request before ids and exporters are given out."""

    commodity: str
    state: str
    port: str
    site: str  # where the load would normally be inspected
    sites: tuple[str, ...] | None
    origin: tuple[float, float]  # the packhouse
    ready: datetime  # when it leaves the packhouse
    reaches_site: datetime  # when it would reach `site` (staffing follows it)
    arrive_port: datetime
    cross_by: datetime
    minutes: int
    border_minutes: int
    priority: int
    sealable: bool
    exporter: str = ""


def generate(requests: int, seed: int = 1, week_start: date | None = None, national: bool = False) -> dict:
    """A jointinspect-scenario/2 document: `requests` loads in the week from the Monday of week_start.

    `national` draws from every port of the seed data and staffs in proportion to the work with
    the national margin (bench/_staffing.py); otherwise the four pilot ports of S to XL.
    """
    rng = random.Random(f"jointinspect-bench/{seed}/{requests}" + ("/national" if national else ""))
    monday = (week_start or DEFAULT_WEEK) - timedelta(days=(week_start or DEFAULT_WEEK).weekday())
    flows = facts.NATIONAL_FLOWS if national else facts.FLOWS
    places = _reference_sites(flows)
    drafts = sorted((_draft(rng, places, monday, flows, tied=national) for _ in range(requests)),
                    key=lambda d: (d.ready, d.port))
    exporters = _exporters(rng, drafts, monday)
    margin = staffing.NATIONAL_MARGIN if national else 1.0
    inland_staff, inland_bays = staffing.staff(rng, places, staffing.demand(drafts, places, monday, inland=True),
                                               monday, inland=True, margin=margin)
    port_staff, port_bays = staffing.staff(rng, places, staffing.demand(drafts, places, monday, inland=False),
                                           monday, inland=False, margin=margin)
    used = {d.site for d in drafts} | {d.port for d in drafts} | {s for d in drafts for s in d.sites or ()}
    zone = ZoneInfo(HORIZON_ZONE)
    return {
        "format": "jointinspect-scenario/2",
        "generator": {"program": "bench/scenarios.py", "requests": requests, "seed": seed, "national": national},
        "horizon": {"start": at(monday, 0, zone).isoformat(),
                    "end": at(monday + timedelta(days=7), 0, zone).isoformat()},
        "sites": [_site_dict(places[s], {**inland_bays, **port_bays}.get(s, 1)) for s in places if s in used],
        "inspectors": staffing.number_inspectors(inland_staff + port_staff),
        "exporters": exporters,
        "requests": [_request_dict(i, d) for i, d in enumerate(drafts, start=1)],
        "rules": facts.rules(monday),
    }


def _reference_sites(flows) -> dict[str, dict]:
    """The real ports and inland sites of the reference data the flows use, by id."""
    wanted = {f.port for f in flows} | {f.near_border_site for f in flows if f.near_border_site}
    wanted |= {s for f in flows for state in f.states for s in facts.INLAND_SITES[(f.commodity, state)]}
    with open(REFERENCE / "border-sites.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["id"] in wanted]
    places = {}
    for row in rows:
        row["lat"], row["lon"] = float(row["lat"]), float(row["lon"])
        row["zone"] = ZoneInfo(row["timezone"])
        places[row["id"]] = row
    commodities = {c for c, _ in facts.INLAND_SITES}
    with open(REFERENCE / "commodities.csv", encoding="utf-8") as f:
        missing = commodities - {r["code"] for r in csv.DictReader(f)}
    assert not missing, f"commodities missing from the reference data: {missing}"
    return places


def _travel(places: dict, a, b) -> int:
    """Minutes between two sites (by id) or packhouses (as (lat, lon)), as the format computes them."""
    return great_circle_travel_minutes(_Point(places, a), _Point(places, b))


class _Point:
    def __init__(self, places: dict, where):
        self.lat, self.lon = (places[where]["lat"], places[where]["lon"]) if isinstance(where, str) else where


def _packhouse(rng: random.Random, area: str) -> tuple[float, float]:
    """A point drawn evenly in the packing area's disc."""
    lat, lon, radius = facts.PACKING_AREAS[area]
    distance, bearing = radius * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    north, east = distance * math.cos(bearing) / 111.2, distance * math.sin(bearing) / (111.2 * math.cos(math.radians(lat)))
    return round(lat + north, 4), round(lon + east, 4)


def _draft(rng: random.Random, places: dict, monday: date, flows, tied: bool = False) -> _Draft:
    """One shipment: a flow drawn by port volume, a packhouse, a site, and times a truck can keep.

    A Mexican site is reached from the packhouse; a US joint facility after crossing the port.
    """
    trucks = facts.NATIONAL_PORT_TRUCKS
    flow = rng.choices(flows, weights=[trucks[f.port] * f.share for f in flows])[0]
    state = rng.choices(flow.states, weights=[len(flow.states) - i for i in range(len(flow.states))])[0]
    usual = facts.INLAND_SITES[(flow.commodity, state)]
    candidates = (flow.near_border_site, *usual) if flow.near_border_site else usual
    site = rng.choices(candidates, weights=[len(candidates) - i for i in range(len(candidates))])[0]
    # most exporters may use any fitting site; some are tied to the sites they contract with. In
    # the national week every exporter is registered with its corridor's sites: version 2 lets a
    # load without `sites` reach any fitting site its window allows (Sonora tomatoes via San
    # Jeronimo to Nogales), which joins every corridor into one problem.
    sites = candidates if flow.near_border_site or tied or rng.random() < 0.35 else None
    origin = _packhouse(rng, flow.area or state)
    north = site in facts.NEAR_BORDER_SITES
    drive = (_travel(places, origin, flow.port) + _travel(places, flow.port, site) if north
             else _travel(places, origin, site))
    reaches = _ready(rng, site, places[site]["zone"], monday)
    # elapsed-time arithmetic in UTC: adding to a zoneinfo time adds wall-clock time across DST
    start = max(reaches.astimezone(timezone.utc) - timedelta(minutes=drive),
                at(monday, 0, ZoneInfo(HORIZON_ZONE)).astimezone(timezone.utc))
    minutes = min(120, facts.INSPECTION_MINUTES[flow.commodity] + rng.choice((0, 0, 15, 30, 45)))
    border_minutes = rng.choice(range(30, 61, 5))
    to_port = (_travel(places, origin, flow.port) if north
               else drive + minutes + _travel(places, site, flow.port))
    arrive = (start + timedelta(minutes=to_port + rng.choice(range(0, 91, 5)))).astimezone(places[flow.port]["zone"])
    perishable = flow.commodity in facts.PERISHABLE
    # a day or two to cross, shorter for perishables, and always a few hours at the port
    to_cross = timedelta(minutes=15 * rng.randint(72, 144 if perishable else 192))
    at_port = timedelta(minutes=border_minutes + 15 * rng.randint(12, 40))
    cross_by = max(start + to_cross, arrive + at_port).astimezone(places[flow.port]["zone"])
    ready = start.astimezone(places[site]["zone"])
    return _Draft(flow.commodity, state, flow.port, site, sites, origin, ready,
                  reaches.astimezone(places[site]["zone"]), arrive, cross_by, minutes, border_minutes,
                  _priority(rng, perishable), sealable=rng.random() < 0.75)


def _priority(rng: random.Random, perishable: bool) -> int:
    if perishable:
        return rng.choices((5, 4, 3), weights=(45, 40, 15))[0]
    return rng.choices((4, 3, 2, 1), weights=(20, 40, 30, 10))[0]


def _ready(rng: random.Random, site: str, zone: ZoneInfo, monday: date) -> datetime:
    """When a load is ready: an open day of its site, on the quarter hour, at least 3 h before closing."""
    open_days = facts.open_days(site)
    day = rng.choices(open_days, weights=[(1, 1, 1, 1, 1, 0.6, 0.3)[d] for d in open_days])[0]
    periods = [(a, b) for days, a, b in facts.hours_of(site) if facts.EVERY_DAY[day] in days]
    opens, closes = int(periods[0][0][:2]), int(periods[0][1][:2])
    hour = rng.randint(max(5, opens - 1), closes - 3)
    return at(monday + timedelta(days=day), hour, zone, rng.choice((0, 15, 30, 45)))


def _exporters(rng: random.Random, drafts: list[_Draft], monday: date) -> list[dict]:
    """Exporters by commodity (each request gets one); ~70% hold OEA/CTPAT, a few expiring mid-week."""
    by_commodity = Counter(d.commodity for d in drafts)
    total = max(6, len(drafts) // 6)
    out, pools = [], defaultdict(list)
    for commodity, count in sorted(by_commodity.items()):
        for _ in range(max(1, round(total * count / len(drafts)))):
            exporter_id = f"EXP-{len(out) + 1:04d}"
            pools[commodity].append(exporter_id)
            words = facts.EXPORTER_WORDS
            name = f"{rng.choice(words[0])} {rng.choice(words[1])} {rng.choice(words[2])}"
            out.append({"id": exporter_id, "name": name, "certifications": _certifications(rng, monday)})
    for draft in drafts:
        draft.exporter = rng.choice(pools[draft.commodity])
    return out


def _certifications(rng: random.Random, monday: date) -> list[dict]:
    if rng.random() >= 0.7:
        # some uncertified exporters let a certificate lapse before this week
        lapsed = monday - timedelta(days=rng.randint(20, 300))
        return [{"program": "OEA", "valid_until": lapsed.isoformat()}] if rng.random() < 0.3 else []
    programs = [p for p, share in (("OEA", 0.85), ("CTPAT", 0.6)) if rng.random() < share] or ["OEA"]
    out = []
    for program in programs:
        days = rng.randint(1, 4) if rng.random() < 0.12 else rng.randint(120, 900)
        out.append({"program": program, "valid_until": (monday + timedelta(days=days)).isoformat()})
    return out


def _site_dict(place: dict, bays: int) -> dict:
    return {
        "id": place["id"],
        "name": place["name"],
        "kind": place["kind"],
        "country": place["country"],
        "lat": place["lat"],
        "lon": place["lon"],
        "timezone": place["timezone"],
        "bays": bays,
        "hours": [{"days": list(days), "open": a, "close": b} for days, a, b in facts.hours_of(place["id"])],
        "commodities": facts.site_commodities(place["id"]),
    }


def _request_dict(number: int, d: _Draft) -> dict:
    out = {
        "id": f"REQ-{number:05d}",
        "exporter": d.exporter,
        "commodity": d.commodity,
        "origin_state": d.state,
        "port": d.port,
        "ready": d.ready.isoformat(),
        "arrive_port": d.arrive_port.isoformat(),
        "cross_by": d.cross_by.isoformat(),
        "inspection_minutes": d.minutes,
        "border_inspection_minutes": d.border_minutes,
        "priority": d.priority,
        "sealable": d.sealable,
        "origin": {"lat": d.origin[0], "lon": d.origin[1]},
    }
    if d.sites is not None:
        out["sites"] = list(d.sites)
    return out


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    size, out = argv[0], argv[1]
    national = size.lower() == "national"
    requests = NATIONAL if national else SIZES.get(size.upper()) or (int(size) if size.isdigit() else None)
    if requests is None:
        print(f"unknown size {size!r}: use {', '.join(SIZES)} or a number", file=sys.stderr)
        return 2
    from scheduling.exchange import dump_json

    dump_json(generate(requests, seed=int(argv[2]) if len(argv) == 3 else 1, national=national), out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

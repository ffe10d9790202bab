"""A year of data for the web and API benchmarks: fresh database, migrate, seed, then bulk-load shipments.

The bulk load writes rows directly (PostgreSQL COPY, SQLite executemany through SQLAlchemy Core) with ids
chosen here, so 250,000 shipments with their inspections, bookings, seals, seal events, border decisions,
audit entries and weekly optimizer runs take about a minute rather than an hour through the ORM.

Realistic where the pages look: shipments spread over the last 52 weeks (and the coming week), every
seeded exporter, inland site, port and commodity used, a status mix that follows time (released long
ago, sealed or at the border in the last days, requested or scheduled ahead), current and superseded
border decisions naming their rule version, and no inspector booked twice at once (PostgreSQL's
exclusion constraint holds: extra bench inspectors are added per inland site and port so a year fits).
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.db import make_engine  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import Base  # noqa: E402

OUT = ROOT / "bench" / "out"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "jointinspect_bench"
CHUNK = 10_000
MIN = timedelta(minutes=1)

# Which ports each inland site's loads cross at (by the site's region).
PORTS_BY_SITE = {
    "MX-URUAPAN": ("US-PHARR", "US-LAREDO-WTB", "US-COLOMBIA"),
    "MX-TANCITARO": ("US-PHARR", "US-LAREDO-WTB", "US-COLOMBIA"),
    "MX-ZIRACUARETIRO": ("US-PHARR", "US-LAREDO-WTB"),
    "MX-CDGUZMAN": ("US-PHARR", "US-LAREDO-WTB", "US-OTAY"),
    "MX-CULIACAN": ("US-NOGALES", "US-NOGALES", "US-SANTA-TERESA"),
    "MX-HERMOSILLO": ("US-NOGALES",),
    "MX-IRAPUATO": ("US-LAREDO-WTB", "US-PHARR", "US-COLOMBIA"),
    "MX-TECOMAN": ("US-PHARR", "US-LAREDO-WTB"),
    "MX-MESA-OTAY": ("US-OTAY", "US-CALEXICO-E"),
    "MX-SAN-JERONIMO": ("US-SANTA-TERESA", "US-YSLETA"),
    "US-MCALLEN-JIS": ("US-PHARR",),
    "US-NOGALES-JIS": ("US-NOGALES",),
}
# Share of the year's shipments per inland site (avocado country carries the most).
SITE_WEIGHTS = {
    "MX-URUAPAN": 18, "MX-TANCITARO": 9, "MX-ZIRACUARETIRO": 7, "MX-CDGUZMAN": 8, "MX-CULIACAN": 14,
    "MX-HERMOSILLO": 10, "MX-IRAPUATO": 8, "MX-TECOMAN": 6, "MX-MESA-OTAY": 6, "MX-SAN-JERONIMO": 4,
    "US-MCALLEN-JIS": 5, "US-NOGALES-JIS": 5,
}
PAIRS_PER_SITE = 12  # APHIS+SENASICA pairs at each inland site, seeded ones included
OFFICERS_PER_PORT = 6
INSPECTION_MINUTES = (60, 90, 90, 120)
BORDER_MINUTES = 45


def say(message: str) -> None:
    print(message, flush=True)


class Bar:
    """A one-line progress bar on the terminal: label, count, rate."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done, self.started = label, max(total, 1), 0, time.perf_counter()

    def add(self, count: int) -> None:
        self.done += count
        elapsed = time.perf_counter() - self.started
        share = self.done / self.total
        filled = int(30 * share)
        rate = self.done / elapsed if elapsed else 0
        sys.stdout.write(f"\r  {self.label:<18} [{'#' * filled}{'.' * (30 - filled)}] {self.done:>9,}/{self.total:,}"
                         f"  {rate:>9,.0f} rows/s")
        sys.stdout.flush()

    def close(self) -> None:
        self.add(0)
        sys.stdout.write(f"  {time.perf_counter() - self.started:.1f}s\n")
        sys.stdout.flush()


# --- databases ---------------------------------------------------------------------------------


def fresh_database(kind: str) -> str:
    """An empty database of that kind for the benchmark; returns its URL."""
    if kind == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{PG_BENCH_DB}"')
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_BENCH_DB}"


def prepare(kind: str, shipments: int, today: date | None = None, seed: int = 2026) -> str:
    """Fresh database, migrations, seed with demo accounts, then a year of shipments. Returns the URL."""
    started = time.perf_counter()
    url = fresh_database(kind)
    say(f"[{kind}] migrating {url}")
    upgrade(url)
    say(f"[{kind}] seeding reference data, demo accounts and demo shipments")
    seed_demo(url, today)
    engine = make_engine(url)
    load_year(engine, shipments, today or datetime.now(timezone.utc).date(), seed)
    engine.dispose()
    say(f"[{kind}] ready in {time.perf_counter() - started:.0f}s")
    return url


def seed_demo(url: str, today: date | None) -> None:
    from sqlalchemy.orm import Session

    from app.services.seeding import seed

    engine = make_engine(url)
    with Session(engine) as session:
        seed(session, demo_accounts=True, today=today)
        session.commit()
    engine.dispose()


# --- the year ------------------------------------------------------------------------------------


@dataclass
class Reference:
    sites: dict[str, dict[str, Any]]
    exporters: list[int]
    exporter_users: dict[int, int]
    commodities_by_site: dict[str, list[str]]
    rules: list[dict[str, Any]]
    inspectors: dict[tuple[int, str], list[int]]
    busy: dict[int, list[tuple[datetime, datetime]]]
    next_ids: dict[str, int]
    inspector_users: dict[int, int]


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def read_reference(connection: sa.Connection) -> Reference:
    t = Base.metadata.tables
    sites = {row.code: dict(row._mapping) for row in connection.execute(sa.select(t["sites"]))}
    exporters = list(connection.scalars(sa.select(t["exporters"].c.id).order_by(t["exporters"].c.id)))
    users = t["users"]
    exporter_users = dict(connection.execute(
        sa.select(users.c.exporter_id, sa.func.min(users.c.id)).where(users.c.exporter_id.is_not(None))
        .group_by(users.c.exporter_id)).all())
    sc = t["site_commodities"]
    commodities_by_site: dict[str, list[str]] = {}
    all_commodities = list(connection.scalars(sa.select(t["commodities"].c.code)))
    by_id = {s["id"]: code for code, s in sites.items()}
    for site_id, code in connection.execute(sa.select(sc.c.site_id, sc.c.commodity_code)):
        commodities_by_site.setdefault(by_id[site_id], []).append(code)
    for code, site in sites.items():
        if site["inspects_any"]:
            commodities_by_site[code] = all_commodities
    rules = [dict(row._mapping) for row in connection.execute(
        sa.select(t["rules"]).where(t["rules"].c.superseded_at.is_(None), t["rules"].c.active))]
    inspectors: dict[tuple[int, str], list[int]] = {}
    inspector_users: dict[int, int] = {}
    ins = t["inspectors"]
    for row in connection.execute(sa.select(ins.c.id, ins.c.home_site_id, ins.c.agency, ins.c.user_id)
                                  .order_by(ins.c.code)):
        inspectors.setdefault((row.home_site_id, row.agency), []).append(row.id)
        if row.user_id:
            inspector_users[row.id] = row.user_id
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    bk = t["inspector_bookings"]
    for inspector_id, start, end in connection.execute(
            sa.select(bk.c.inspector_id, bk.c.start, bk.c.end).where(bk.c.active)):
        busy.setdefault(inspector_id, []).append((_aware(start), _aware(end)))
    next_ids = {}
    for name in ("inspection_requests", "inspections", "seals", "seal_events", "border_decisions", "audit_log",
                 "schedule_runs", "inspectors", "users"):
        next_ids[name] = (connection.scalar(sa.select(sa.func.max(t[name].c.id))) or 0) + 1
    return Reference(sites, exporters, exporter_users, commodities_by_site, rules, inspectors, busy, next_ids,
                     inspector_users)


class Tables:
    """Rows gathered per table, written in chunks as they fill."""

    def __init__(self, connection: sa.Connection, totals: dict[str, int]) -> None:
        self.connection = connection
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.written: dict[str, int] = {}
        self.bar = Bar("rows", sum(totals.values()))

    def add(self, table: str, row: dict[str, Any]) -> None:
        rows = self.rows.setdefault(table, [])
        rows.append(row)
        if len(rows) >= CHUNK:
            self.flush()

    def flush(self, table: str | None = None) -> None:
        """Parents before children, so foreign keys hold at every chunk."""
        order = [t.name for t in Base.metadata.sorted_tables]
        for name in ([table] if table else sorted(self.rows, key=order.index)):
            rows = self.rows.get(name) or []
            if rows:
                write_rows(self.connection, name, rows)
                self.written[name] = self.written.get(name, 0) + len(rows)
                self.bar.add(len(rows))
                self.rows[name] = []


def write_rows(connection: sa.Connection, name: str, rows: list[dict[str, Any]]) -> None:
    table = Base.metadata.tables[name]
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    cursor = connection.connection.driver_connection.cursor()
    quoted = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns and row[c] is not None else row[c]
                            for c in columns])


def _free_slot(busy: dict[int, list[tuple[datetime, datetime]]], people: Iterable[int], start: datetime,
               end: datetime) -> bool:
    return not any(s < end and start < e for person in people for s, e in busy.get(person, ()))


def add_bench_staff(tables: Tables, ref: Reference) -> None:
    """Inspectors enough for a year: PAIRS_PER_SITE pairs per inland site, OFFICERS_PER_PORT per port."""
    ins = ref.next_ids["inspectors"]
    for code, site in sorted(ref.sites.items()):
        wanted = [("APHIS", PAIRS_PER_SITE), ("SENASICA", PAIRS_PER_SITE)] if site["kind"] == "inland" else [
            ("CBP", OFFICERS_PER_PORT)]
        for agency, count in wanted:
            have = ref.inspectors.setdefault((site["id"], agency), [])
            for number in range(len(have) + 1, count + 1):
                tables.add("inspectors", {
                    "id": ins, "code": f"{agency}-B{site['id']:02d}-{number:02d}", "name": f"Bench {agency} {number}",
                    "user_id": None, "agency": agency, "home_site_id": site["id"], "max_minutes_per_day": 480,
                    "qualified_any": True, "active": True})
                have.append(ins)
                ins += 1
    tables.flush("inspectors")
    ref.next_ids["inspectors"] = ins


def pick_status(rng: random.Random, start: datetime, now: datetime) -> str:
    """The status a shipment whose joint inspection starts at `start` would have by now."""
    ahead = (start - now).total_seconds() / 3600
    r = rng.random()
    if ahead > 0:
        if ahead < 48:
            return "scheduled" if r < 0.7 else ("requested" if r < 0.97 else "cancelled")
        return "requested" if r < 0.6 else ("scheduled" if r < 0.97 else "cancelled")
    if ahead > -72:
        for status, cut in (("sealed", 0.3), ("at_border", 0.4), ("inspected", 0.55), ("released", 0.95),
                            ("rejected", 0.97)):
            if r < cut:
                return status
        return "cancelled"
    for status, cut in (("released", 0.88), ("cancelled", 0.95), ("rejected", 0.995)):
        if r < cut:
            return status
    return "inspected"  # held at the inland site, never sent on: it stays in the port's queue


def matching_rule(ref: Reference, commodity: str, port: str) -> dict[str, Any] | None:
    for rule in ref.rules:
        if commodity in rule["commodities"] and (not rule["ports"] or port in rule["ports"]):
            return rule
    return None


def load_year(engine: sa.Engine, shipments: int, today: date, seed: int = 2026) -> None:
    """Bulk-load `shipments` shipments over the 52 weeks before `today` and the week after."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    span_start = datetime.combine(today - timedelta(weeks=52), datetime.min.time(), timezone.utc)
    span_end = datetime.combine(today + timedelta(days=7), datetime.min.time(), timezone.utc)
    started = time.perf_counter()
    with engine.begin() as connection:
        ref = read_reference(connection)
        totals = {"requests": shipments * 10}  # rough row count for the bar: ~9.5 rows per shipment
        tables = Tables(connection, totals)
        say(f"  loading {shipments:,} shipments from {span_start:%Y-%m-%d} to {span_end:%Y-%m-%d}")
        add_bench_staff(tables, ref)
        _load_shipments(tables, ref, rng, shipments, span_start, span_end, now)
        _load_runs(tables, ref, span_start, now)
        tables.flush()
        tables.bar.close()
        _reset_sequences(connection)
    _analyze(engine)
    counts = ", ".join(f"{name} {count:,}" for name, count in sorted(tables.written.items()))
    say(f"  loaded in {time.perf_counter() - started:.0f}s: {counts}")


def _site_plan(ref: Reference, shipments: int) -> list[tuple[str, int]]:
    """(site, shipments there): the weights split the total, the remainder to the busiest."""
    total_weight = sum(SITE_WEIGHTS.values())
    wanted = shipments + shipments // 500 + 50  # spare slots for those a demo booking takes
    plan = [(code, wanted * weight // total_weight) for code, weight in SITE_WEIGHTS.items() if code in ref.sites]
    plan[0] = (plan[0][0], plan[0][1] + wanted - sum(n for _c, n in plan))
    return plan


def _load_shipments(tables: Tables, ref: Reference, rng: random.Random, shipments: int, span_start: datetime,
                    span_end: datetime, now: datetime) -> None:
    """Each inland site's pairs work one inspection after another; shipments are written in time order."""
    span = (span_end - span_start).total_seconds() / 60
    slots: list[tuple[datetime, int, str, tuple[int, int]]] = []
    for site_code, count in _site_plan(ref, shipments):
        site = ref.sites[site_code]
        pairs = list(zip(ref.inspectors[(site["id"], "APHIS")], ref.inspectors[(site["id"], "SENASICA")]))
        step = span / -(-count // len(pairs))  # minutes between one pair's inspections
        if step < max(INSPECTION_MINUTES):
            raise SystemExit(f"{site_code}: {count} shipments do not fit {len(pairs)} pairs; raise PAIRS_PER_SITE")
        for index in range(count):
            offset = (index // len(pairs)) * step + rng.uniform(0, step - max(INSPECTION_MINUTES))
            start = (span_start + timedelta(minutes=offset)).replace(second=0, microsecond=0)
            slots.append((start, rng.choice(INSPECTION_MINUTES), site_code, pairs[index % len(pairs)]))
    # Where a demo shipment's booking already is, the slot goes (never a double booking); a few spare
    # slots, dropped at random, keep the total exact.
    slots = [slot for slot in slots if _free_slot(ref.busy, slot[3], slot[0], slot[0] + slot[1] * MIN)]
    for index in sorted(rng.sample(range(len(slots)), max(0, len(slots) - shipments)), reverse=True):
        del slots[index]
    slots.sort()
    officer_cursor: dict[int, dict[int, datetime]] = {}
    zones: dict[str, ZoneInfo] = {}
    for serial, (start, minutes, site_code, pair) in enumerate(slots, start=1):
        site = ref.sites[site_code]
        port = ref.sites[rng.choice(PORTS_BY_SITE[site_code])]
        zone = zones.setdefault(port["timezone"], ZoneInfo(port["timezone"]))
        _one_shipment(tables, ref, rng, serial, site, port, zone, rng.choice(ref.commodities_by_site[site_code]),
                      pair, start, minutes, now, officer_cursor)


def _one_shipment(tables: Tables, ref: Reference, rng: random.Random, serial: int, site: dict, port: dict,
                  zone: ZoneInfo, commodity: str, pair: tuple[int, int], start: datetime, minutes: int,
                  now: datetime, officer_cursor: dict) -> None:
    ids = ref.next_ids
    request_id = ids["inspection_requests"]
    ids["inspection_requests"] += 1
    status = pick_status(rng, start, now)
    end = start + minutes * MIN
    exporter = ref.exporters[serial % len(ref.exporters)]
    ready = start - 120 * MIN
    arrive = end + timedelta(hours=rng.choice((6, 8, 10, 14)))
    cross_by = arrive + timedelta(hours=6)
    requested_at = ready - timedelta(days=2)
    rule = matching_rule(ref, commodity, port["code"])
    sealable = rng.random() < 0.95
    cancelled_early = status == "cancelled" and rng.random() < 0.6
    inspected = status in ("inspected", "sealed", "at_border", "released", "rejected")
    sealed = status in ("sealed", "at_border", "released") and sealable and rule is not None
    seal_problem = sealed and status in ("at_border", "released") and rng.random() < 0.01
    border_needed = status in ("at_border", "released") and (rule is None or not sealable or seal_problem)
    border_start = arrive + (30 * MIN if seal_problem else timedelta(0))
    released_at = (border_start + (BORDER_MINUTES + 30) * MIN) if border_needed else arrive + 30 * MIN
    tables.add("inspection_requests", {
        "id": request_id, "reference": f"JI-{requested_at.year}-{serial:06d}", "exporter_id": exporter,
        "commodity_code": commodity, "origin_state": site["state"], "packhouse": f"Empacadora {serial % 97:02d}",
        "quantity": rng.choice((18, 20, 22, 24, 26)), "quantity_unit": "pallets", "port_id": port["id"],
        "ready": ready, "arrive_port": arrive, "cross_by": cross_by,
        "cross_by_offset_minutes": int(cross_by.astimezone(zone).utcoffset().total_seconds() // 60),
        "inspection_minutes": minutes, "border_inspection_minutes": BORDER_MINUTES, "priority": rng.randint(2, 4),
        "sealable": sealable, "status": status,
        "status_reason": "Buyer cancelled the order." if status == "cancelled" else None,
        "created_by_id": ref.exporter_users.get(exporter), "requested_at": requested_at,
        "scheduled_at": requested_at + 180 * MIN if status != "requested" and not cancelled_early else None,
        "inspected_at": end if inspected else None, "sealed_at": end + 15 * MIN if sealed else None,
        "at_border_at": arrive if status in ("at_border", "released") else None,
        "released_at": released_at if status == "released" else None,
        "cancelled_at": requested_at + timedelta(days=1) if status == "cancelled" else None,
        "rejected_at": end + 10 * MIN if status == "rejected" else None, "version_id": 1,
    })
    tables.add("request_sites", {"request_id": request_id, "site_id": site["id"]})
    tables.add("audit_log", {
        "id": _next(ids, "audit_log"), "occurred_at": requested_at, "actor_id": ref.exporter_users.get(exporter),
        "action": "request.created", "entity_type": "Shipment", "entity_id": str(request_id),
        "before": None, "after": {"status": "requested", "commodity": commodity, "port_id": port["id"]}})
    if status == "requested" or cancelled_early:
        return
    inspection_status = "done" if inspected else ("cancelled" if status == "cancelled" else "scheduled")
    result = {"rejected": "fail", "inspected": "hold" if not sealed and status == "inspected" and rng.random() < .3
              else "pass"}.get(status, "pass") if inspected else None
    inspection_id = _next(ids, "inspections")
    recorder = ref.inspector_users.get(pair[0])
    tables.add("inspections", {
        "id": inspection_id, "request_id": request_id, "kind": "joint_inland", "site_id": site["id"], "start": start,
        "end": end, "status": inspection_status, "result": result,
        "findings": "No pests found." if result == "pass" else ("Live larvae found." if result else None),
        "recorded_by_id": recorder if inspected else None, "recorded_at": end + 5 * MIN if inspected else None,
        "schedule_run_id": None, "version_id": 1})
    for inspector in pair:
        tables.add("inspector_bookings", {"inspection_id": inspection_id, "inspector_id": inspector, "start": start,
                                          "end": end, "active": inspection_status != "cancelled"})
    seal_status = None
    if sealed:
        seal_status = ("intact" if not seal_problem else rng.choice(("broken", "missing", "mismatch"))) if status in (
            "at_border", "released") else "applied"
        _seal(tables, ref, rng, request_id, inspection_id, serial, site, port, end, arrive, seal_status, recorder)
    if status == "cancelled":
        return
    decisions = []
    basis = "plan" if status == "scheduled" else "inspection"
    first_at = requested_at + 180 * MIN if basis == "plan" else end + 5 * MIN
    decisions.append((rule is not None and sealable, basis, first_at))
    if seal_status in ("intact", "broken", "missing", "mismatch"):
        decisions.append((seal_status == "intact", "seal_verification", arrive + 15 * MIN))
    if status == "rejected":
        decisions = [(False, "inspection", end + 5 * MIN)]
    for index, (waived, basis, at) in enumerate(decisions):
        tables.add("border_decisions", _decision(ids, ref, request_id, waived and rule is not None, rule, basis, at,
                                                 commodity, port, seal_status, index == len(decisions) - 1))
    if border_needed:
        _border_inspection(tables, ref, port, request_id, border_start, status, officer_cursor)


def _next(ids: dict[str, int], name: str) -> int:
    value = ids[name]
    ids[name] += 1
    return value


def _seal(tables: Tables, ref: Reference, rng: random.Random, request_id: int, inspection_id: int, serial: int,
          site: dict, port: dict, end: datetime, arrive: datetime, status: str, recorder: int | None) -> None:
    seal_id = _next(ref.next_ids, "seals")
    applied = end + 10 * MIN
    verified = arrive + 15 * MIN if status != "applied" else None
    kind = "electronic" if serial % 5 == 0 else "mechanical"
    tables.add("seals", {
        "id": seal_id, "number": f"BN{serial:09d}", "kind": kind, "request_id": request_id,
        "inspection_id": inspection_id, "applied_by_id": recorder, "applied_at": applied, "verified_by_id": None,
        "verified_at": verified, "status": status, "version_id": 1})
    tables.add("seal_events", {
        "id": _next(ref.next_ids, "seal_events"), "seal_id": seal_id, "kind": "applied", "occurred_at": applied,
        "recorded_at": applied, "place": site["name"], "lat": site["lat"], "lon": site["lon"], "source": "inspector",
        "recorded_by_id": recorder, "details": {"number": f"BN{serial:09d}"}})
    if verified is not None:
        tables.add("seal_events", {
            "id": _next(ref.next_ids, "seal_events"), "seal_id": seal_id, "kind": "verified", "occurred_at": verified,
            "recorded_at": verified, "place": port["name"], "lat": port["lat"], "lon": port["lon"],
            "source": "officer", "recorded_by_id": None, "details": {"found": status}})


def _decision(ids: dict[str, int], ref: Reference, request_id: int, waived: bool, rule: dict | None, basis: str,
              at: datetime, commodity: str, port: dict, seal_status: str | None, current: bool) -> dict[str, Any]:
    if waived:
        reasons: list[dict[str, Any]] = []
    elif rule is None:
        reasons = [{"code": "no_rule_for_commodity", "rule": None, "params": {"commodity": commodity}}]
    elif seal_status in ("broken", "missing", "mismatch"):
        reasons = [{"code": f"seal_{seal_status}", "rule": rule["code"], "params": {}}]
    else:
        reasons = [{"code": "seal_not_possible", "rule": rule["code"], "params": {}}]
    return {
        "id": _next(ids, "border_decisions"), "request_id": request_id, "decision": "waived" if waived else "required",
        "rule_id": rule["id"] if waived else None, "rule_code": rule["code"] if rule else None,
        "rule_version": rule["version"] if rule else None, "reasons": reasons, "basis": basis, "decided_at": at,
        "decided_by_id": None, "current": current}


def _border_inspection(tables: Tables, ref: Reference, port: dict, request_id: int, earliest: datetime,
                       status: str, officer_cursor: dict) -> None:
    """A CBP officer of the port, each officer's bookings one after another (never overlapping)."""
    officers = ref.inspectors[(port["id"], "CBP")]
    state = officer_cursor.setdefault(port["id"], {o: earliest for o in officers})
    officer = min(officers, key=lambda o: state[o])
    start = max(earliest, state[officer])
    end = start + BORDER_MINUTES * MIN
    while not _free_slot(ref.busy, (officer,), start, end):
        start, end = start + 60 * MIN, end + 60 * MIN
    state[officer] = end
    done = status == "released"
    inspection_id = _next(ref.next_ids, "inspections")
    tables.add("inspections", {
        "id": inspection_id, "request_id": request_id, "kind": "border", "site_id": port["id"], "start": start,
        "end": end, "status": "done" if done else "scheduled", "result": "pass" if done else None,
        "findings": "No pests found; load released." if done else None, "recorded_by_id": None,
        "recorded_at": end + 5 * MIN if done else None, "schedule_run_id": None, "version_id": 1})
    tables.add("inspector_bookings", {"inspection_id": inspection_id, "inspector_id": officer, "start": start,
                                      "end": end, "active": True})


def _load_runs(tables: Tables, ref: Reference, span_start: datetime, now: datetime) -> None:
    """One published optimizer run per week, as a coordinator would have made."""
    week = span_start
    while week < now - timedelta(days=7):
        run_id = _next(ref.next_ids, "schedule_runs")
        served = 4600 + (run_id * 37) % 300
        tables.add("schedule_runs", {
            "id": run_id, "created_by_id": None, "created_at": week - timedelta(days=2),
            "horizon_start": week, "horizon_end": week + timedelta(days=7), "settings": {"time_limit": 60},
            "status": "succeeded", "progress": {"served": served}, "started_at": week - timedelta(days=2),
            "finished_at": week - timedelta(days=2) + 60 * MIN / 60, "solver_status": "FEASIBLE",
            "objective": float(served * 3), "bound": float(served * 3 + 40),
            "stats": {"served": served, "requests": served + 40, "waived": served // 2}, "error": None,
            "parent_run_id": None, "published_at": week - timedelta(days=1), "published_by_id": None,
            "version_id": 1})
        week += timedelta(days=7)


def _reset_sequences(connection: sa.Connection) -> None:
    """Ids were chosen here: move PostgreSQL's sequences past them so the app's inserts get new ones."""
    if connection.dialect.name != "postgresql":
        return
    for name, table in Base.metadata.tables.items():
        if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, sa.Integer):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), GREATEST((SELECT max(id) FROM \"{name}\"), 1))")


def _analyze(engine: sa.Engine) -> None:
    """Statistics as a running database would have them (autovacuum on PostgreSQL, ANALYZE on SQLite)."""
    say("  analyzing")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")


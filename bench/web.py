"""Page speed with a year of data: p50/p95 of each main page on SQLite and PostgreSQL against 200 ms.

    python bench/web.py                                  # both databases, 250,000 shipments, 30 requests a page
    python bench/web.py --db postgresql --shipments 50000 --requests-per-page 10
    python bench/web.py --db sqlite --reuse              # measure again without reloading bench/out/bench.db

Each run makes fresh databases (bench/out/bench.db and the PostgreSQL database jointinspect_bench),
migrates, seeds the demo, bulk-loads a year (bench/_load_year.py), then requests every page through
Flask's test client in this process, signed in as the demo user of the page's role. The test client
runs the whole app (routing, sign-in, queries, templates) but no network or HTTP server, so the
figures are the server's own time per page. Two warm-up requests per page are not counted.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import _load_year  # noqa: E402

TARGET_MS = 200.0
WARM_UP = 2
DEMO_PASSWORD = "jointinspect-demo"


@dataclass(frozen=True)
class PageCase:
    label: str
    user: str
    path: str


@dataclass(frozen=True)
class Measured:
    case: PageCase
    times_ms: list[float]
    rows: int
    status: int

    def quantile(self, q: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]

    @property
    def passed(self) -> bool:
        return self.status == 200 and self.quantile(0.95) < TARGET_MS


def cases(url: str, today: date) -> list[PageCase]:
    """The main pages, with ids and filters taken from the loaded data."""
    from app.db import make_engine
    from app.models import Agreement, Exporter, Shipment, Seal, User

    engine = make_engine(url)
    with engine.connect() as connection:
        exporter_id = connection.scalar(sa.select(User.exporter_id).where(User.username == "exporter"))
        shipment = connection.scalar(
            sa.select(Shipment.id).join(Seal, Seal.request_id == Shipment.id)
            .where(Shipment.exporter_id == exporter_id, Shipment.status == "released")
            .order_by(Shipment.id.desc()).limit(1))
        agreement = connection.scalar(sa.select(Agreement.code).order_by(Agreement.id).limit(1))
        assert connection.scalar(sa.select(Exporter.id).where(Exporter.id == exporter_id)) is not None
    engine.dispose()
    month_ago, two_months_ago = today - timedelta(days=30), today - timedelta(days=60)
    return [
        PageCase("exporter home, page 1", "exporter", "/exporter/"),
        PageCase("exporter home, filtered p2", "exporter",
                 f"/exporter/?status=released&from={two_months_ago}&to={month_ago}&page=2"),
        PageCase("exporter home, page 200", "exporter", "/exporter/?page=200"),
        PageCase("exporter shipment page", "exporter", f"/exporter/shipments/{shipment}"),
        PageCase("coordinator home", "coordinator", "/coordinator/"),
        PageCase("coordinator queue", "coordinator", "/coordinator/queue"),
        PageCase("coordinator queue, any status", "coordinator", f"/coordinator/queue?status=all&date_from={month_ago}"),
        PageCase("inspector home", "inspector", "/inspector/"),
        PageCase("officer home", "officer", "/officer/"),
        PageCase("supervisor dashboard", "supervisor", "/supervisor/"),
        PageCase("supervisor dashboard, year", "supervisor", f"/supervisor/?period=year&on={today}"),
        PageCase("dashboard CSV by_port", "supervisor", "/supervisor/export/by_port.csv"),
        PageCase("dashboard CSV seal_exceptions", "supervisor", "/supervisor/export/seal_exceptions.csv"),
        PageCase("agreement detail", "coordinator", f"/agreements/{agreement}"),
        PageCase("audit log, page 1", "supervisor", "/audit"),
        PageCase("audit log, filtered", "supervisor", f"/audit?entity_type=Shipment&from={month_ago}"),
    ]


def make_app(url: str, dashboard_cache: bool):
    from app import create_app

    config = {"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
              "DASHBOARD_CACHE_SECONDS": 60 if dashboard_cache else 0}
    return create_app(config)


def signed_in(app, username: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"sign-in as {username} failed: {response.status_code}")
    return client


TABLE_ROW = re.compile(rb"<tr[\s>]")


def rows_on(body: bytes, path: str) -> int:
    """Data rows: table rows without header rows (CSV: lines without the header)."""
    if path.endswith(".csv"):
        return max(0, body.count(b"\r\n") - 1)
    return len(TABLE_ROW.findall(body)) - body.count(b"<thead")


def measure(app, case: PageCase, clients: dict, requests: int) -> Measured:
    client = clients.get(case.user) or clients.setdefault(case.user, signed_in(app, case.user))
    times, status, body = [], 0, b""
    for index in range(WARM_UP + requests):
        started = time.perf_counter()
        response = client.get(case.path)
        body = response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        if status != 200:
            print(f"\n  ! {case.label}: HTTP {status} for {case.path}", flush=True)
            break
        if index >= WARM_UP:
            times.append(elapsed)
    return Measured(case, times or [0.0], rows_on(body, case.path), status)


class StatementTimer:
    """The SQL statements one request ran, with their times: what to EXPLAIN when a page is slow."""

    def __init__(self, engine: sa.Engine) -> None:
        self.statements: list[tuple[float, str, object]] = []
        self.active = False
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, _cursor, statement, parameters, _context, _many) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, _cursor, statement, parameters, _context, _many) -> None:
        if self.active:
            elapsed = (time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())) * 1000
            self.statements.append((elapsed, statement, parameters))

    def slowest(self, app, case: PageCase, clients: dict, count: int = 3) -> list[tuple[float, str, object]]:
        self.statements, self.active = [], True
        clients[case.user].get(case.path)
        self.active = False
        return sorted(self.statements, key=lambda item: -item[0])[:count]


def run(kind: str, url: str, requests: int, today: date, dashboard_cache: bool, show_queries: bool,
        only: str | None = None) -> list[Measured]:
    app = make_app(url, dashboard_cache)
    timer = StatementTimer(app.extensions["jointinspect_db"].engine) if show_queries else None
    clients: dict = {}
    results = []
    all_cases = [case for case in cases(url, today) if not only or only in case.label]
    print(f"[{kind}] measuring {len(all_cases)} pages x {requests} requests (test client, in process)", flush=True)
    for number, case in enumerate(all_cases, start=1):
        print(f"  {number:>2}/{len(all_cases)} {case.label:<34}", end="", flush=True)
        result = measure(app, case, clients, requests)
        results.append(result)
        print(f" p50 {result.quantile(0.5):8.1f} ms  p95 {result.quantile(0.95):8.1f} ms", flush=True)
        if timer is not None and result.status == 200:
            statements = timer.slowest(app, case, clients)
            print(f"       {len(timer.statements)} statements, {sum(t for t, _s, _p in timer.statements):.1f} ms in SQL;"
                  " the slowest:", flush=True)
            for elapsed, statement, parameters in statements:
                text = " ".join(statement.split())
                print(f"       {elapsed:7.1f} ms  {text[:400]}  {str(parameters)[:160]}", flush=True)
    app.extensions["jointinspect_db"].engine.dispose()
    return results


def table(kind: str, results: list[Measured]) -> str:
    lines = [f"\n{kind}: p95 target {TARGET_MS:.0f} ms",
             f"| {'page':<34} | {'p50 ms':>8} | {'p95 ms':>8} | {'max ms':>8} | {'rows':>5} | result |",
             f"|{'-' * 36}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 7}|--------|"]
    for r in results:
        verdict = "pass" if r.passed else ("FAIL" if r.status == 200 else f"HTTP {r.status}")
        lines.append(f"| {r.case.label:<34} | {r.quantile(0.5):8.1f} | {r.quantile(0.95):8.1f} | "
                     f"{max(r.times_ms):8.1f} | {r.rows:>5} | {verdict:<6} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--shipments", type=int, default=250_000)
    parser.add_argument("--requests-per-page", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="measure the databases of the last run again")
    parser.add_argument("--only", help="measure only the pages whose label contains this text")
    parser.add_argument("--queries", action="store_true", help="print each page's three slowest SQL statements")
    parser.add_argument("--dashboard-cache", action="store_true",
                        help="keep the dashboard's 60 s cache on (default off: every request computes)")
    args = parser.parse_args(argv)
    today = datetime.now(timezone.utc).date()
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    import platform
    import os

    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    tables = []
    failed = 0
    for kind in kinds:
        if args.reuse:
            url = (f"sqlite:///{_load_year.OUT / 'bench.db'}" if kind == "sqlite"
                   else f"postgresql+psycopg://postgres@127.0.0.1:5432/{_load_year.PG_BENCH_DB}")
        else:
            url = _load_year.prepare(kind, args.shipments, today)
        results = run(kind, url, args.requests_per_page, today, args.dashboard_cache, args.queries, args.only)
        failed += sum(not r.passed for r in results)
        tables.append(table(f"{kind}, {args.shipments:,} shipments", results))
    print("\n".join(tables))
    print(f"\n{failed} page(s) miss the target." if failed else "\nEvery page meets the target.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""API load: concurrent clients against gunicorn on PostgreSQL; throughput and p50/p95/p99 for reads and writes.

    python bench/api.py                                   # load a year, 16 clients for 30 s, 10% writes
    python bench/api.py --reuse --clients 32 --seconds 60
    python bench/api.py --reuse --soak 300                # five minutes, figures per minute too

Loads the PostgreSQL database jointinspect_bench with a year of data (bench/_load_year.py; --reuse keeps
the last one), issues bearer tokens with `jointinspect token create`, starts
`gunicorn -w 4 -k sync -b 127.0.0.1:PORT 'app:create_app()'` (docs/deployment.md's setup; --threads N
above 1 runs the threaded worker instead), then drives it from client threads, each with its own
connection (http.client, loopback only; the sync worker closes it after each answer and the client
opens a new one, as a reverse proxy does):

    reads   GET /api/v1/requests?page=N           (the exporter's list, pages 1-50)
            GET /api/v1/requests/<id>             (any request, as the coordinator)
            GET /api/v1/sites
    writes  POST /api/v1/requests                 (a new request of the exporter)

Targets: at least 300 reads/s, read and write p95 under 100 ms, no errors under a 5-minute soak.
Gunicorn is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import _load_year  # noqa: E402

READ_TARGET_PER_S = 300
P95_TARGET_MS = 100
KINDS = ("list", "item", "sites", "create")
VENV_BIN = Path(sys.executable).parent


@dataclass
class Sample:
    kind: str
    at: float
    ms: float
    ok: bool


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, error: str | None = None) -> None:
        with self.lock:
            self.samples.append(sample)
            if error:
                self.errors[error] += 1


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


# --- setup ------------------------------------------------------------------------------------------


def token_for(url: str, username: str) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run([str(VENV_BIN / "jointinspect"), "token", "create", username, "--name", "bench"],
                          env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout.strip().splitlines()[-1]


def ids_to_read(url: str) -> tuple[list[int], int]:
    """Request ids to fetch one by one, and how many list pages the exporter has."""
    from app.db import make_engine
    from app.models import Shipment, User

    engine = make_engine(url)
    with engine.connect() as connection:
        # Existing ids only: rolled-back creates leave gaps in the sequence, which would answer 404.
        ids = list(connection.scalars(sa.select(Shipment.id).order_by(sa.func.random()).limit(20_000)))
        exporter_id = connection.scalar(sa.select(User.exporter_id).where(User.username == "exporter"))
        own = connection.scalar(sa.select(sa.func.count()).where(Shipment.exporter_id == exporter_id))
    engine.dispose()
    return ids, max(1, own // 20)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 24}
    log = open(_load_year.OUT / "gunicorn.log", "w")
    worker = ["-k", "sync"] if threads == 1 else ["-k", "gthread", "--threads", str(threads), "--keep-alive", "30"]
    command = [str(VENV_BIN / "gunicorn"), "-w", str(workers), *worker, "-b", f"127.0.0.1:{port}", "app:create_app()"]
    print(f"starting {' '.join(command)}", flush=True)
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see bench/out/gunicorn.log")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/openapi.json")
            if connection.getresponse().status == 200:
                connection.close()
                return process
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)  # the master stops its own workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    print("gunicorn stopped", flush=True)


# --- clients ----------------------------------------------------------------------------------------


def new_request_body(rng: random.Random) -> dict:
    """A valid new avocado shipment via Pharr, a few days ahead, in the port's local time."""
    zone = ZoneInfo("America/Chicago")
    day = datetime.now(zone) + timedelta(days=rng.randint(2, 6))
    ready = day.replace(hour=rng.randint(6, 12), minute=0, second=0, microsecond=0)
    return {
        "commodity": "avocado", "quantity": rng.randint(10, 26), "quantity_unit": "pallets", "origin_state": "MIC",
        "packhouse": "Empacadora Bench", "port": "US-PHARR", "ready": ready.isoformat(),
        "arrive_port": (ready + timedelta(hours=14)).isoformat(), "cross_by": (ready + timedelta(hours=20)).isoformat(),
        "sites": ["MX-URUAPAN"], "sealable": True,
    }


class Client(threading.Thread):
    def __init__(self, number: int, port: int, tokens: dict[str, str], ids: list[int], pages: int,
                 write_share: float, recorder: Recorder, stop_at: list[float], counting_from: float) -> None:
        super().__init__(daemon=True)
        self.port, self.tokens, self.ids, self.pages = port, tokens, ids, pages
        self.write_share, self.recorder, self.stop_at, self.counting_from = write_share, recorder, stop_at, counting_from
        self.rng = random.Random(number)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def run(self) -> None:
        while time.monotonic() < self.stop_at[0]:
            kind = self.pick()
            method, path, body, token, expected = self.request_for(kind)
            started = time.monotonic()
            error = None
            try:
                status = self.send(method, path, body, token)
                if status != expected:
                    error = f"{kind}: HTTP {status}"
            except (OSError, http.client.HTTPException) as problem:
                error = f"{kind}: {type(problem).__name__}"
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            finished = time.monotonic()
            if started >= self.counting_from:
                self.recorder.add(Sample(kind, finished, (finished - started) * 1000, error is None), error)
        self.connection.close()

    def pick(self) -> str:
        if self.rng.random() < self.write_share:
            return "create"
        r = self.rng.random()
        return "list" if r < 0.4 else ("item" if r < 0.8 else "sites")

    def request_for(self, kind: str) -> tuple[str, str, bytes | None, str, int]:
        if kind == "list":
            return "GET", f"/api/v1/requests?page={self.rng.randint(1, min(self.pages, 50))}", None, "exporter", 200
        if kind == "item":
            return "GET", f"/api/v1/requests/{self.rng.choice(self.ids)}", None, "coordinator", 200
        if kind == "sites":
            return "GET", "/api/v1/sites", None, "exporter", 200
        body = json.dumps(new_request_body(self.rng)).encode()
        return "POST", "/api/v1/requests", body, "exporter", 201

    def send(self, method: str, path: str, body: bytes | None, token: str) -> int:
        headers = {"Authorization": f"Bearer {self.tokens[token]}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        response.read()
        return response.status


def drive(port: int, tokens: dict[str, str], ids: list[int], pages: int, clients: int, seconds: float,
          write_share: float, warm_up: float = 3.0, label: str = "run") -> tuple[Recorder, float, float]:
    recorder = Recorder()
    begin = time.monotonic()
    counting_from = begin + warm_up
    stop_at = [counting_from + seconds]
    threads = [Client(n, port, tokens, ids, pages, write_share, recorder, stop_at, counting_from)
               for n in range(clients)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        time.sleep(1)
        now = time.monotonic()
        if now > counting_from:
            with recorder.lock:
                done, errors = len(recorder.samples), sum(recorder.errors.values())
            elapsed = min(now, stop_at[0]) - counting_from
            sys.stdout.write(f"\r  {label}: {elapsed:6.0f}/{seconds:.0f} s  {done:>8,} requests "
                             f"({done / max(elapsed, 1e-9):6.0f}/s)  errors {errors}")
            sys.stdout.flush()
        if now > stop_at[0] + 60:
            break  # a client stuck beyond its 30 s timeout; its request is not counted
    print(flush=True)
    return recorder, counting_from, stop_at[0]


def report(recorder: Recorder, start: float, end: float, title: str) -> tuple[str, bool]:
    seconds = end - start
    by_kind: dict[str, list[float]] = defaultdict(list)
    for sample in recorder.samples:
        by_kind[sample.kind].append(sample.ms)
    reads = [ms for kind in ("list", "item", "sites") for ms in by_kind[kind]]
    writes = by_kind["create"]
    errors = sum(recorder.errors.values())
    lines = [f"\n{title}: {seconds:.0f} s, {len(recorder.samples):,} requests, {errors} errors",
             f"  reads {len(reads) / seconds:8.1f}/s   writes {len(writes) / seconds:7.1f}/s",
             f"  | {'kind':<26} | {'count':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} | {'max ms':>7} |",
             f"  |{'-' * 28}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|"]
    rows = [("reads (all)", reads), ("  GET /requests?page=N", by_kind["list"]),
            ("  GET /requests/<id>", by_kind["item"]), ("  GET /sites", by_kind["sites"]),
            ("writes POST /requests", writes)]
    for name, values in rows:
        lines.append(f"  | {name:<26} | {len(values):>7,} | {quantile(values, .5):7.1f} | {quantile(values, .95):7.1f} "
                     f"| {quantile(values, .99):7.1f} | {max(values, default=float('nan')):7.1f} |")
    for message, count in sorted(recorder.errors.items()):
        lines.append(f"  error: {message} x{count}")
    passed = (len(reads) / seconds >= READ_TARGET_PER_S and quantile(reads, .95) < P95_TARGET_MS
              and (not writes or quantile(writes, .95) < P95_TARGET_MS) and errors == 0)
    lines.append(f"  targets (>= {READ_TARGET_PER_S} reads/s, p95 < {P95_TARGET_MS} ms, no errors): "
                 f"{'pass' if passed else 'FAIL'}")
    return "\n".join(lines), passed


def per_minute(recorder: Recorder, start: float, end: float) -> str:
    lines = ["\n  per minute:",
             f"  | {'minute':>6} | {'reads/s':>8} | {'writes/s':>8} | {'read p95':>8} | {'read p99':>8} | "
             f"{'write p95':>9} | {'errors':>6} |"]
    minutes = max(1, int(-(-(end - start) // 60)))
    for minute in range(minutes):
        low, high = start + 60 * minute, min(end, start + 60 * (minute + 1))
        window = [s for s in recorder.samples if low <= s.at < high]
        reads = [s.ms for s in window if s.kind != "create"]
        writes = [s.ms for s in window if s.kind == "create"]
        span = max(high - low, 1e-9)
        lines.append(f"  | {minute + 1:>6} | {len(reads) / span:8.1f} | {len(writes) / span:8.1f} | "
                     f"{quantile(reads, .95):8.1f} | {quantile(reads, .99):8.1f} | {quantile(writes, .95):9.1f} | "
                     f"{sum(not s.ok for s in window):>6} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--soak", type=float, default=0, help="then a soak of this many seconds (e.g. 300)")
    parser.add_argument("--write-share", type=float, default=0.1)
    parser.add_argument("--shipments", type=int, default=250_000)
    parser.add_argument("--reuse", action="store_true", help="keep the jointinspect_bench database of the last run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="1: sync workers (default); more: threaded workers")
    args = parser.parse_args(argv)
    if not 0 <= args.write_share <= 1 or args.clients < 1 or args.clients > 256:
        parser.error("--write-share in 0..1 and --clients in 1..256")
    import platform

    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{_load_year.PG_BENCH_DB}"
    if not args.reuse:
        url = _load_year.prepare("postgresql", args.shipments)
    _load_year.OUT.mkdir(parents=True, exist_ok=True)
    tokens = {user: token_for(url, user) for user in ("exporter", "coordinator")}
    ids, pages = ids_to_read(url)
    port = free_port()
    gunicorn = start_gunicorn(url, port, args.workers, args.threads)
    outputs, passed = [], True
    try:
        print(f"driving {args.clients} clients for {args.seconds:.0f} s, {args.write_share:.0%} writes", flush=True)
        recorder, start, end = drive(port, tokens, ids, pages, args.clients, args.seconds, args.write_share)
        text, ok = report(recorder, start, end, f"load, {args.clients} clients")
        outputs.append(text)
        passed &= ok
        if args.soak:
            print(f"soak: {args.clients} clients for {args.soak:.0f} s", flush=True)
            recorder, start, end = drive(port, tokens, ids, pages, args.clients, args.soak, args.write_share,
                                         warm_up=0, label="soak")
            text, ok = report(recorder, start, end, f"soak, {args.clients} clients")
            outputs.append(text + per_minute(recorder, start, end))
            passed &= ok
    finally:
        stop_gunicorn(gunicorn)
    print("\n".join(outputs))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

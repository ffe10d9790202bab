"""Faults under load: kill PostgreSQL connections, a web worker, the solver and Redis; count what clients and logs saw.

    python bench/faults.py                 # the single-machine executor (runs in gunicorn's workers)
    python bench/faults.py --queue         # runs on the RQ queue, solved by a `jointinspect worker`

Sets up a scratch PostgreSQL database (jointinspect_bench_faults, seeded with the demo), its own
redis-server on 127.0.0.1:6391 (so stopping it touches nobody else), and
`gunicorn -w 2 'app:create_app()'` as docs/deployment.md runs it, with the app's JSON logs in a file.
Client threads (loopback only) then read shipment lists and readiness and start short optimizer
runs, while one fault after another is injected:

    baseline     nothing
    pg-kill      pg_terminate_backend on every connection of the database, three times
    web-kill     SIGKILL to every gunicorn worker (gunicorn starts new ones)
    solver-kill  SIGKILL to the solver: gunicorn's workers (thread mode) or the worker's work horse
    redis-down   redis-server stopped for the phase, then started again

It prints, per phase, the statuses clients got (a 500, or a 409 on a read, is a wrong status),
the runs still queued or running 90 s after the last fault (stuck), and the error log lines of
each fault. Everything it started is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "jointinspect_bench_faults"
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
REDIS_PORT = 6391
PORT = 8791
PHASES = ("baseline", "pg-kill", "web-kill", "solver-kill", "redis-down")


def prepare() -> str:
    """A seeded scratch database and a coordinator's bearer token."""
    from app.db import make_engine
    from app.migrate import upgrade
    from app.models import User
    from app.services.access.tokens import issue_token
    from app.services.seeding import seed

    admin = make_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{DATABASE}"')
    admin.dispose()
    upgrade(URL)
    engine = make_engine(URL)
    with sa.orm.Session(engine) as session:
        seed(session, demo_accounts=True)
        coordinator = session.scalar(sa.select(User).where(User.username == "coordinator"))
        _token, secret = issue_token(session, coordinator, "bench-faults")
        session.commit()
    engine.dispose()
    return secret


class Processes:
    """What the bench started, stopped at the end whatever happens."""

    def __init__(self, queue: bool, log_dir: Path) -> None:
        self.env = {**os.environ, "DATABASE_URL": URL, "SECRET_KEY": "bench-faults", "LOG_JSON": "1",
                    "PYTHONPATH": str(ROOT), "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{REDIS_PORT}/0"}
        if queue:
            self.env["RUN_QUEUE_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/1"
        self.queue, self.log_dir = queue, log_dir
        self.redis = self.gunicorn = self.worker = None

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--save", "",
                                       "--appendonly", "no"], stdout=subprocess.DEVNULL)
        time.sleep(0.5)

    def start(self) -> None:
        self.start_redis()
        web_log = (self.log_dir / "web.log").open("w")
        self.gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{PORT}", "--graceful-timeout", "10",
             "app:create_app()"], cwd=ROOT, env=self.env, stdout=web_log, stderr=subprocess.STDOUT)
        if self.queue:
            worker_log = (self.log_dir / "worker.log").open("w")
            command = [str(Path(sys.executable).parent / "jointinspect"), "worker"]
            self.worker = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=worker_log, stderr=subprocess.STDOUT)
        _wait_for(lambda: _get("/health")[0] == 200, 30)

    def children(self, parent) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        for process in (self.worker, self.gunicorn, self.redis):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def _get(path: str, token: str | None = None, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data.startswith(b"{") else {})
    except (OSError, http.client.HTTPException) as error:
        return 0, {"error": type(error).__name__}
    finally:
        connection.close()


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


class Load:
    """Client threads: reads (must never be 500 or 409) and a run started every few seconds."""

    def __init__(self, token: str) -> None:
        self.token, self.phase, self.done = token, "baseline", threading.Event()
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.runs: list[int] = []

    def reader(self) -> None:
        while not self.done.is_set():
            for path in ("/api/v1/requests?page=1", "/ready"):
                status, _ = _get(path, self.token)
                self.statuses[self.phase][f"GET {path.split('?')[0]} {status}"] += 1

    def planner(self) -> None:
        start = datetime.now(timezone.utc).replace(hour=6, minute=0, second=0, microsecond=0) + timedelta(days=1)
        while not self.done.wait(3):
            status, body = _get("/api/v1/runs", self.token, "POST", {
                "horizon_start": start.isoformat(), "horizon_end": (start + timedelta(days=3)).isoformat(),
                "time_limit_s": 5})
            self.statuses[self.phase][f"POST /api/v1/runs {status}"] += 1
            if status == 202:
                self.runs.append(body["id"])


def inject(phase: str, processes: Processes) -> None:
    if phase == "pg-kill":
        for _ in range(3):
            engine = sa.create_engine(ADMIN_URL)
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                           "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": DATABASE})
            engine.dispose()
            time.sleep(4)
    elif phase == "web-kill":
        for pid in processes.children(processes.gunicorn):
            os.kill(pid, signal.SIGKILL)
    elif phase == "solver-kill":
        parent = processes.worker if processes.queue else processes.gunicorn
        _wait_for(lambda: _running_runs() > 0, 15)
        for pid in processes.children(parent):
            os.kill(pid, signal.SIGKILL)
    elif phase == "redis-down":
        processes.redis.terminate()
        processes.redis.wait()


def _running_runs() -> int:
    engine = sa.create_engine(URL)
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM schedule_runs WHERE status = 'running'")).scalar()
    engine.dispose()
    return count


def stuck_runs() -> dict[str, int]:
    engine = sa.create_engine(URL)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT status, count(*) FROM schedule_runs GROUP BY status")).all()
    engine.dispose()
    return dict(rows)


def error_lines(log_dir: Path) -> Counter:
    """Error (and gunicorn's worker-death) lines by event, from the JSON logs."""
    found: Counter = Counter()
    for path in log_dir.glob("*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if "[ERROR]" in line:  # the gunicorn master's own lines are text
                found[line.split("[ERROR]", 1)[1].strip()[:90]] += 1
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("level") in ("error", "critical") or "SIGKILL" in str(record.get("event", "")):
                found[str(record.get("event", ""))[:90]] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queue", action="store_true", help="runs on the RQ queue with a solver worker")
    parser.add_argument("--seconds", type=float, default=15, help="load per phase")
    args = parser.parse_args()
    log_dir = ROOT / "test-artifacts" / ("faults-queue" if args.queue else "faults-thread")
    log_dir.mkdir(parents=True, exist_ok=True)
    token = prepare()
    processes = Processes(args.queue, log_dir)
    load = Load(token)
    try:
        processes.start()
        threads = [threading.Thread(target=load.reader, daemon=True) for _ in range(3)]
        threads.append(threading.Thread(target=load.planner, daemon=True))
        for thread in threads:
            thread.start()
        for phase in PHASES:
            load.phase = phase
            inject(phase, processes)
            time.sleep(args.seconds)
            if phase == "redis-down":
                processes.start_redis()
        load.done.set()
        settled = _wait_for(lambda: not ({"queued", "running"} & set(stuck_runs())), 120)
        report(load, stuck_runs(), settled, error_lines(log_dir), args.queue)
    finally:
        load.done.set()
        processes.stop()


def report(load: Load, runs: dict[str, int], settled: bool, errors: Counter, queue: bool) -> None:
    print(f"mode: {'queue' if queue else 'thread'}; runs started: {len(load.runs)}; runs by status: {runs}")
    print(f"stuck (queued or running 120 s after the last fault): {0 if settled else runs}")
    for phase in PHASES:
        wrong = {k: v for k, v in load.statuses[phase].items() if k.endswith(" 500") or
                 (k.startswith("GET /api") and k.endswith(" 409"))}
        print(f"{phase:12} {dict(sorted(load.statuses[phase].items()))}  wrong: {wrong or 'none'}")
    print("error log lines:")
    for event, count in errors.most_common():
        print(f"  {count:4}  {event}")


if __name__ == "__main__":
    main()

"""Who a bearer token belongs to, remembered per process and forgotten the moment it may have changed.

Looking a token up costs a query and an ORM load per API call: a third of a short read's time under
load (bench/api.py). Each process keeps the users of the tokens it has seen for up to a minute, and
only while it listens on PostgreSQL's `jointinspect_auth` channel: migration 0007's triggers notify it
when a token is revoked, expires sooner or is deleted, or when a user changes or is deleted, and every
process then forgets everything it holds. A revocation therefore takes effect everywhere within the
time a notification takes (milliseconds), not at the end of the minute.

Without a listener (SQLite, the connection lost and not yet back, or TOKEN_CACHE_SECONDS=0) nothing
is remembered and every call looks its token up, as before. The minute also bounds how long a lost
notification could matter, and how often a token's last use is written (tokens.LAST_USED_RESOLUTION).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ...models import User

CHANNEL = "jointinspect_auth"
MAX_ENTRIES = 1024  # distinct tokens remembered per process; more clears the lot
RECONNECT_SECONDS = (1, 2, 5, 10, 30)
CHECK_SECONDS = 5  # how often the listener proves it still hears announcements, and how long it waits
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    user: User  # detached; each request merges a copy into its own session
    expires_at: datetime | None
    stored: float


class TokenCache:
    """Token hash -> user, valid while this process hears every change notification."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.seconds = seconds
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()
        self._generation = 0  # bumped whenever everything is forgotten
        self._listening = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    # --- used by requests --------------------------------------------------------------------------

    def generation(self) -> int:
        """Taken before a lookup: `store` keeps its result only if nothing was forgotten meanwhile."""
        self._ensure_listener()
        return self._generation

    def get(self, key: str, now: datetime) -> User | None:
        """The remembered user of a token, or None to look it up (unknown, old, expired, not listening)."""
        if not self._listening.is_set():
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry.stored >= self.seconds or (entry.expires_at is not None and entry.expires_at <= now):
            self._entries.pop(key, None)
            return None
        return entry.user

    def store(self, key: str, user: User, expires_at: datetime | None, generation: int) -> None:
        with self._lock:
            if not self._listening.is_set() or generation != self._generation:
                return  # a change may have been announced after the lookup read the token
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = Entry(user, expires_at, time.monotonic())

    def forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()

    # --- the listener --------------------------------------------------------------------------------

    def _ensure_listener(self) -> None:
        """One listener thread per process, started on first use (after a fork, in the worker itself)."""
        if self._pid == os.getpid() or self._stop.is_set():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._listening.clear()
            self._entries.clear()
            self._thread = threading.Thread(target=self._listen, name="token-cache-listener", daemon=True)
            self._thread.start()

    def _listen(self) -> None:
        import psycopg

        failures = 0
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as connection:
                    self._hear(connection)
                    failures = 0
            except Exception as problem:  # noqa: BLE001 - any failure: stop remembering, then reconnect
                self._listening.clear()
                self.forget()
                if self._stop.is_set():
                    break
                delay = RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)]
                failures += 1
                log.warning("token cache: not hearing changes (%s); looking tokens up until back, "
                            "retrying in %s s", problem, delay)
                self._stop.wait(delay)
        self._listening.clear()

    def _hear(self, connection: Any) -> None:
        """Forget on every announcement; prove every few seconds that announcements still arrive.

        The proof is a notification this process sends to a channel of its own and must hear back.
        It fails where LISTEN cannot work (a transaction-pooling proxy between app and database),
        and when the connection has silently died; either way the cache turns off until it passes.
        """
        own = f"{CHANNEL}_check_{os.getpid()}_{id(self)}"
        connection.execute(f"LISTEN {CHANNEL}")
        connection.execute(f"LISTEN {own}")
        sent = heard = 0.0
        while not self._stop.is_set():
            if sent > heard and time.monotonic() - sent > CHECK_SECONDS:
                raise RuntimeError("the database's change notifications do not arrive")
            if sent <= heard and time.monotonic() - heard > CHECK_SECONDS:
                connection.execute("SELECT pg_notify(%s, '')", (own,))
                sent = time.monotonic()
            for notice in connection.notifies(timeout=1):
                if notice.channel == own:
                    heard = time.monotonic()
                    if not self._listening.is_set():
                        self.forget()  # whatever changed before the first proof
                        self._listening.set()
                else:
                    self.forget()

    def listening(self, wait: float = 0) -> bool:
        """Whether changes are being heard (waiting up to `wait` seconds for the listener to start)."""
        self._ensure_listener()
        return self._listening.wait(wait) if wait else self._listening.is_set()

    def close(self) -> None:
        self._stop.set()
        self._listening.clear()
        self.forget()
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join(timeout=10)


def cache_for(app: Any) -> TokenCache | None:
    """The app's token cache, or None where it is off (SQLite, TOKEN_CACHE_SECONDS=0)."""
    return app.extensions.get("token_cache")


def init_app(app: Any) -> None:
    seconds = app.config.get("TOKEN_CACHE_SECONDS")
    if seconds is None:
        # Tests roll their transactions back, so the changes they make are never announced.
        seconds = 0 if app.testing else 60
    if seconds > 0 and app.config["DATABASE_URL"].startswith("postgresql"):
        app.extensions["token_cache"] = TokenCache(app.config["DATABASE_URL"], seconds)

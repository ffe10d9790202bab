"""Field readers for the exchange format that collect every problem instead of stopping at the first."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduling.exchange.errors import Problem

MISSING = object()
_HHMM = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def kind_of(value) -> str:
    """A JSON-ish name for a value's type, for messages people read."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def is_int(value) -> bool:
    # bool is a subclass of int in Python, but `true` is not a number in JSON
    return isinstance(value, int) and not isinstance(value, bool)


class Reader:
    """Reads the fields of one JSON object at `path`, noting each problem in a shared list.

    Every typed reader returns the value, or None when it is missing or wrong (the problem is
    noted); `result(x)` then gives x only if this object had no problem, so callers can build
    a dataclass first and drop it afterwards.
    """

    def __init__(self, problems: list[Problem], path: str, obj):
        self.problems = problems
        self.path = path
        self._start = len(problems)
        self.obj = obj if isinstance(obj, dict) else {}
        if not isinstance(obj, dict):
            self.note("", f"must be an object, got {kind_of(obj)}")

    def note(self, key: str, message: str) -> None:
        path = ".".join(p for p in (self.path, key) if p)
        self.problems.append(Problem(path, message))

    @property
    def failed(self) -> bool:
        return len(self.problems) > self._start

    def result(self, value):
        return None if self.failed else value

    def _present(self, key: str, default):
        if key in self.obj:
            return True, self.obj[key]
        if default is MISSING:
            self.note(key, "is missing")
            return False, None
        return False, default

    def text(self, key: str, default=MISSING) -> str | None:
        there, value = self._present(key, default)
        if there and (not isinstance(value, str) or not value.strip()):
            self.note(key, f"must be a non-empty string, got {value!r}")
            return None
        return value

    def choice(self, key: str, options: tuple[str, ...], default=MISSING) -> str | None:
        there, value = self._present(key, default)
        if there and value not in options:
            self.note(key, f"must be one of {', '.join(options)}, got {value!r}")
            return None
        return value

    def integer(self, key: str, low: int | None = None, high: int | None = None) -> int | None:
        there, value = self._present(key, MISSING)
        if not there:
            return None
        if not is_int(value) or (low is not None and value < low) or (high is not None and value > high):
            bounds = _bounds(low, high)
            self.note(key, f"must be a whole number{bounds}, got {value!r}")
            return None
        return value

    def minutes(self, key: str) -> int | None:
        there, value = self._present(key, MISSING)
        if there and (not is_int(value) or value <= 0):
            self.note(key, f"must be a positive whole number of minutes, got {value!r}")
            return None
        return value

    def number(self, key: str, low: float, high: float | None = None, nullable: bool = False,
               default=MISSING):
        there, value = self._present(key, default)
        if not there or (value is None and nullable):
            return value
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
        if not ok or value < low or (high is not None and value > high):
            null = " or null" if nullable else ""
            self.note(key, f"must be a number{_bounds(low, high)}{null}, got {value!r}")
            return None
        return value

    def flag(self, key: str, default=MISSING) -> bool | None:
        there, value = self._present(key, default)
        if there and not isinstance(value, bool):
            self.note(key, f"must be true or false, got {value!r}")
            return None
        return value

    def time(self, key: str) -> datetime | None:
        there, value = self._present(key, MISSING)
        if not there:
            return None
        message = time_problem(value)
        if message:
            self.note(key, message)
            return None
        return datetime.fromisoformat(value)

    def day(self, key: str, nullable: bool = False, default=MISSING) -> date | None:
        there, value = self._present(key, default)
        if not there or (value is None and nullable):
            return value
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.note(key, f"must be a date YYYY-MM-DD{' or null' if nullable else ''}, got {value!r}")
        return None

    def clock(self, key: str, allow_midnight_end: bool = False) -> str | None:
        there, value = self._present(key, MISSING)
        if not there:
            return None
        midnight = allow_midnight_end and value == "24:00"
        if isinstance(value, str) and (_HHMM.fullmatch(value) or midnight):
            return value
        hint = " (00:00 to 24:00)" if allow_midnight_end else " (00:00 to 23:59)"
        self.note(key, f"must be a time of day HH:MM{hint}, got {value!r}")
        return None

    def timezone(self, key: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            self.note(key, f"is not a known IANA time zone: {value!r}")
            return None
        return value

    def texts(self, key: str, nonempty: bool = False, default=MISSING) -> tuple[str, ...] | None:
        there, value = self._present(key, default)
        if not there:
            return None if value is None else tuple(value)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.note(key, f"must be a list of non-empty strings, got {value!r}")
            return None
        if nonempty and not value:
            self.note(key, "must not be empty")
            return None
        return tuple(value)

    def child(self, key: str, default=MISSING) -> Reader | None:
        """A reader for the nested object under `key` (None when it is missing)."""
        there, value = self._present(key, default)
        if not there:
            return None
        return Reader(self.problems, ".".join(p for p in (self.path, key) if p), value)

    def children(self, key: str, default=MISSING) -> list[Reader]:
        """Readers for the objects of the list under `key`, each path naming the entity's id."""
        there, value = self._present(key, default)
        if not there:
            return []
        if not isinstance(value, list):
            self.note(key, f"must be a list, got {kind_of(value)}")
            return []
        base = ".".join(p for p in (self.path, key) if p)
        readers = []
        for i, item in enumerate(value):
            ident = item.get("id") if isinstance(item, dict) else None
            label = f"{base}[{i}] ({ident})" if isinstance(ident, str) and ident else f"{base}[{i}]"
            readers.append(Reader(self.problems, label, item))
        return readers


def time_problem(value) -> str | None:
    """Why a value is not an ISO 8601 time with a UTC offset, or None when it is one."""
    if not isinstance(value, str):
        return f"must be an ISO 8601 time with a UTC offset, got {kind_of(value)} {value!r}"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return f"is not an ISO 8601 time: {value!r}"
    if parsed.tzinfo is None:
        return f"time has no UTC offset: {value!r}"
    return None


def _bounds(low, high) -> str:
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" >= {low}"
    if high is not None:
        return f" <= {high}"
    return ""

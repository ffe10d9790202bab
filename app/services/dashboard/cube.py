"""Border inspections avoided and done by week, port and commodity, from the daily tallies, cached briefly."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import BorderDecision, Commodity, DecisionTally, Inspection, Seal, Site
from .avoided import AvoidedRow
from .localdays import weekly_tallies
from .periods import Period, week_of

T = TypeVar("T")
BREAKDOWNS = ("port", "commodity", "week")


@dataclass(frozen=True)
class Cell:
    """Current decisions of one week (its Monday), port and commodity."""

    week: str
    port: str
    commodity: str
    waived: int
    required: int
    waived_minutes: int


@dataclass(frozen=True)
class Cube:
    """The period's decisions grouped once; every breakdown and total is summed from these few rows."""

    cells: list[Cell]
    port_names: dict[str, str]
    commodity_names: dict[str, tuple[str, str]]

    def by(self, dimension: str, language: str = "en") -> list[AvoidedRow]:
        """Border inspections avoided and done by port, commodity or week (its Monday), ordered by key."""
        if dimension not in BREAKDOWNS:
            raise ValueError(f"unknown breakdown {dimension!r}; expected one of {', '.join(BREAKDOWNS)}")
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for cell in self.cells:
            total = totals[getattr(cell, dimension)]
            total[0] += cell.waived
            total[1] += cell.required
            total[2] += cell.waived_minutes
        return [AvoidedRow(key, self._label(dimension, key, language), w, r, round(m / 60, 2))
                for key, (w, r, m) in sorted(totals.items())]

    def _label(self, dimension: str, key: str, language: str) -> str:
        if dimension == "port":
            return self.port_names.get(key, key)
        if dimension == "commodity":
            english, spanish = self.commodity_names.get(key, (key, key))
            return spanish if language == "es" and spanish else english
        return key

    @property
    def waived(self) -> int:
        return sum(cell.waived for cell in self.cells)

    @property
    def required(self) -> int:
        return sum(cell.required for cell in self.cells)

    @property
    def inspector_hours(self) -> float:
        return round(sum(cell.waived_minutes for cell in self.cells) / 60, 2)


def build_cube(session: Session, period: Period) -> Cube:
    """One GROUP BY over the period's daily tallies; names come after, for the few ports and commodities.

    A period in a zone other than UTC reads its local days and weeks through localdays."""
    if period.zone == "UTC":
        week = week_of(session.get_bind().dialect.name, DecisionTally.day)
        query = (sa.select(week, DecisionTally.port_id, DecisionTally.commodity_code,
                           sa.func.sum(DecisionTally.waived), sa.func.sum(DecisionTally.required),
                           sa.func.sum(DecisionTally.waived_minutes))
                 .where(DecisionTally.day.between(period.first, period.last))
                 .group_by(week, DecisionTally.port_id, DecisionTally.commodity_code))
        rows = [row for row in session.execute(query).all() if row[3] or row[4]]
    else:
        rows = [(w, p, c, *numbers) for (w, p, c), numbers in sorted(weekly_tallies(session, period).items())
                if numbers[0] or numbers[1]]
    ports = {port_id: (code, name) for port_id, code, name in session.execute(
        sa.select(Site.id, Site.code, Site.name).where(Site.id.in_({row[1] for row in rows})))}
    commodities = {code: (en, es) for code, en, es in session.execute(
        sa.select(Commodity.code, Commodity.name_en, Commodity.name_es)
        .where(Commodity.code.in_({row[2] for row in rows})))}
    cells = [Cell(str(w), ports[p][0], c, int(wa or 0), int(r or 0), int(m or 0)) for w, p, c, wa, r, m in rows]
    return Cube(cells, {code: name for code, name in ports.values()}, commodities)


_cache: dict[tuple, tuple[float, Any]] = {}
_lock = threading.Lock()
CACHE_ENTRIES = 64


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def fingerprint(session: Session) -> tuple:
    """Newest decision, inspection and seal ids: any new record changes it (a primary-key lookup each)."""
    return tuple(session.scalar(sa.select(sa.func.max(model.id))) for model in (BorderDecision, Inspection, Seal))


def cached(session: Session, key: tuple, seconds: float, compute: Callable[[], T]) -> T:
    """`compute()` again when the data's fingerprint changed or the entry is older than `seconds` (0: never cache)."""
    if seconds <= 0:
        return compute()
    full_key = (str(session.get_bind().engine.url), key, fingerprint(session))
    now = time.monotonic()
    with _lock:
        hit = _cache.get(full_key)
    if hit is not None and now - hit[0] < seconds:
        return hit[1]
    value = compute()
    with _lock:
        if len(_cache) >= CACHE_ENTRIES:
            _cache.pop(min(_cache, key=lambda k: _cache[k][0]))
        _cache[full_key] = (now, value)
    return value

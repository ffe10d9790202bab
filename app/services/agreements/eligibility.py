"""An agreement's own figures: which crossings it waived, and which it could have ("eligible").

Eligible means matched on the day by a rule of the agreement in force then: active, valid, for the commodity,
origin state and port (recognition.rule_covers), whatever the certificates, seal or timing; the agreement in
force that day too. A truck counts on the UTC day it was done with the border (dashboard.avoided.crossed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Agreement, BorderDecision, Rule, Shipment, Site
from ..dashboard.avoided import crossed
from ..dashboard.periods import Period
from ..recognition import rule_covers


@dataclass(frozen=True)
class Scope:
    """Whose figures: one agreement's (None: the whole program's), in some ports only (a pilot's corridor)."""

    agreement: Agreement | None = None
    ports: tuple[str, ...] = ()


@dataclass
class AgreementCrossings:
    waived: int = 0
    eligible: int = 0
    waived_minutes: int = 0
    by_port: dict[str, list[int]] = field(default_factory=dict)


class RuleMatcher:
    """The agreement's rule versions, asked day after day whether one of them covered a shipment."""

    def __init__(self, session: Session, agreement: Agreement) -> None:
        self.agreement = agreement
        self.versions: dict[str, list[Rule]] = {}
        for rule in session.scalars(sa.select(Rule).where(Rule.agreement_id == agreement.id)
                                    .order_by(Rule.code, Rule.version)):
            self.versions.setdefault(rule.code, []).append(rule)
        self._cache: dict[tuple[date, str, str, str], bool] = {}

    def covers(self, day: date, commodity: str, origin_state: str, port: str) -> bool:
        key = (day, commodity, origin_state, port)
        if key not in self._cache:
            self._cache[key] = self._in_force(day) and any(
                rule_covers(rule, commodity, origin_state, port, day) for rule in self._rules_on(day))
        return self._cache[key]

    def _rules_on(self, day: date) -> Iterable[Rule]:
        """Of every rule, the version recorded by the end of the day (else its first: seeded after the fact)."""
        end = datetime.combine(day + timedelta(days=1), time(), timezone.utc)
        for versions in self.versions.values():
            recorded = [rule for rule in versions if rule.created_at < end]
            yield recorded[-1] if recorded else versions[0]

    def _in_force(self, day: date) -> bool:
        a = self.agreement
        if a.status == "draft" or (a.effective_from and day < a.effective_from) or (a.effective_to and day > a.effective_to):
            return False
        return a.status == "active" or (a.status_since is not None and day < a.status_since)


_memo: ContextVar[dict | None] = ContextVar("crossings_memo", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Within it, a period's crossings are read once per scope (three measures and a trend read the same)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def in_period(column: Any, period: Period) -> Any:
    return sa.and_(column >= period.start, column < period.end)


def crossings(session: Session, period: Period, scope: Scope) -> AgreementCrossings:
    """The period's trucks done with the border, grouped so that each group is matched once."""
    memo = _memo.get()
    key = (period, getattr(scope.agreement, "id", None), scope.ports)
    if memo is not None and key in memo:
        return memo[key]
    found = _crossings(session, period, scope)
    if memo is not None:
        memo[key] = found
    return found


def _crossings(session: Session, period: Period, scope: Scope) -> AgreementCrossings:
    dialect = session.get_bind().dialect.name
    moment = sa.func.coalesce(Shipment.released_at, Shipment.rejected_at)
    day = sa.cast(sa.func.timezone("UTC", moment), sa.Date) if dialect == "postgresql" else sa.func.date(moment)
    waived = BorderDecision.decision == "waived"
    query = (sa.select(day, Site.code, Shipment.commodity_code, Shipment.origin_state, waived, Rule.agreement_id,
                       sa.func.count(), sa.func.sum(Shipment.border_inspection_minutes))
             .select_from(Shipment)
             .join(BorderDecision, sa.and_(BorderDecision.request_id == Shipment.id, BorderDecision.current))
             .outerjoin(Rule, Rule.id == BorderDecision.rule_id).join(Site, Site.id == Shipment.port_id)
             .where(crossed(), sa.or_(in_period(Shipment.released_at, period), sa.and_(
                 Shipment.released_at.is_(None), in_period(Shipment.rejected_at, period))))
             .group_by(day, Site.code, Shipment.commodity_code, Shipment.origin_state, waived, Rule.agreement_id))
    if scope.ports:
        query = query.where(Site.code.in_(scope.ports))
    matcher = RuleMatcher(session, scope.agreement) if scope.agreement is not None else None
    totals = AgreementCrossings()
    for day_value, port, commodity, origin, is_waived, agreement_id, count, minutes in session.execute(query):
        on = day_value if isinstance(day_value, date) else date.fromisoformat(str(day_value))
        here = bool(is_waived) and (matcher is None or agreement_id == scope.agreement.id)
        if not (here or matcher is None or matcher.covers(on, commodity, origin, port)):
            continue
        cell = totals.by_port.setdefault(port, [0, 0])
        totals.eligible += count
        cell[1] += count
        if here:
            totals.waived += count
            totals.waived_minutes += int(minutes or 0)
            cell[0] += count
    return totals

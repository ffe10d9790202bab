"""What a waived load's draw for a verification inspection rests on: its risk factors, the secret, earlier draws.

A load is drawn once, the first time its border inspection is waived; its later decisions carry the
same draw. The chance and the draw are kept with the decision so that an auditor holding the server
secret can recompute them; exporters never see them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import BorderDecision, Interception, RiskFlag, Seal, Shipment

# The risk factors mr_agreements.verification knows (the door turns them into a chance and a draw).
NEW_EXPORTER, RECENT_INTERCEPTION, FLAGGED, SEAL_HISTORY = (
    "new_exporter", "recent_interception", "flagged", "seal_history")
# Outside an app (a service called on its own, in a test) there is no server secret: a fixed one.
DEVELOPMENT_SECRET = b"jointinspect development sampling secret"
SECRET_INFO_KEY = "verification_secret"  # where the app's sessions carry it (Session.info)
NEW_EXPORTER_LOADS = 20  # recognised loads before an exporter is no longer new to the program
RECENT_DAYS = 90
SEAL_PROBLEMS = ("broken", "missing", "mismatch", "removed")


@dataclass(frozen=True)
class Selection:
    selected: bool
    probability: float
    draw: float
    basis: dict[str, object]


_fixed_secret: ContextVar[bytes | None] = ContextVar("fixed_verification_secret", default=None)


@contextmanager
def fixed_secret(value: bytes) -> Iterator[None]:
    """Draw with a known secret for a while: the demo seeding, so that every install tells the same story."""
    token = _fixed_secret.set(value)
    try:
        yield
    finally:
        _fixed_secret.reset(token)


def configured_secret(config: Mapping[str, object]) -> bytes:
    """The app's secret of the draws: VERIFICATION_SECRET, else one derived from SECRET_KEY."""
    configured = config.get("VERIFICATION_SECRET")
    if configured:
        return str(configured).encode()
    return hmac.new(str(config["SECRET_KEY"]).encode(), b"verification sampling", hashlib.sha256).digest()


def secret(session: Session) -> bytes:
    """The secret a draw is made with: the demo's fixed one while it is seeded; else the one the app gave
    its sessions (create_app), so that a web request, the optimizer's thread and a queue worker all draw
    alike; a session made outside any app (a service tried on its own) draws with a development secret."""
    fixed = _fixed_secret.get()
    if fixed is not None:
        return fixed
    return session.info.get(SECRET_INFO_KEY, DEVELOPMENT_SECRET)


def drawn_before(session: Session, shipment: Shipment) -> BorderDecision | None:
    """The decision that drew the load, if it was drawn already."""
    return session.scalar(sa.select(BorderDecision).where(
        BorderDecision.request_id == shipment.id, BorderDecision.verification_probability.is_not(None))
        .order_by(BorderDecision.id).limit(1))


@dataclass(frozen=True)
class RiskPicture:
    """What the risk factors of some loads rest on, read at once: one load's decision, or every load of a
    scenario the optimizer is about to plan."""

    waived_loads: dict[int, int]  # exporter id -> its loads waived so far
    waived_ids: frozenset[int]  # of the loads asked about, those already waived once
    intercepted_exporters: frozenset[int]
    intercepted_packhouses: frozenset[str]  # lower case
    flags: tuple[tuple[str | None, str | None], ...]  # (commodity, origin state) of the flags raised
    seal_trouble: frozenset[int]  # exporters with seal problems or late trucks lately

    def factors(self, shipment: Shipment) -> tuple[str, ...]:
        """The risk factors that apply to the load (mr_agreements.verification names them)."""
        factors = []
        earlier = self.waived_loads.get(shipment.exporter_id, 0) - (shipment.id in self.waived_ids)
        if earlier < NEW_EXPORTER_LOADS:
            factors.append(NEW_EXPORTER)
        if (shipment.exporter_id in self.intercepted_exporters
                or (shipment.packhouse or "").lower() in self.intercepted_packhouses):
            factors.append(RECENT_INTERCEPTION)
        # A flag names a commodity, an origin state or both; it applies when every part it names matches.
        if any(commodity in (None, shipment.commodity_code) and origin in (None, shipment.origin_state)
               for commodity, origin in self.flags):
            factors.append(FLAGGED)
        if shipment.exporter_id in self.seal_trouble:
            factors.append(SEAL_HISTORY)
        return tuple(factors)


def risk_picture(session: Session, shipments: Sequence[Shipment], at: datetime) -> RiskPicture:
    """Five queries, however many loads: the optimizer asks for every load of a week at once."""
    since = at - timedelta(days=RECENT_DAYS)
    exporters = {s.exporter_id for s in shipments}
    packhouses = {(s.packhouse or "").lower() for s in shipments}
    ids = {s.id for s in shipments if s.id is not None}
    if not exporters:
        return RiskPicture({}, frozenset(), frozenset(), frozenset(), (), frozenset())
    waived = (sa.select(Shipment.exporter_id, BorderDecision.request_id).join(
        Shipment, Shipment.id == BorderDecision.request_id)
        .where(Shipment.exporter_id.in_(exporters), BorderDecision.decision == "waived").distinct())
    waived_loads: dict[int, int] = {}
    waived_ids = set()
    for exporter_id, request_id in session.execute(waived):
        waived_loads[exporter_id] = waived_loads.get(exporter_id, 0) + 1
        if request_id in ids:
            waived_ids.add(request_id)
    intercepted = session.execute(
        sa.select(Shipment.exporter_id, sa.func.lower(Shipment.packhouse)).join(
            Interception, Interception.request_id == Shipment.id)
        .where(Interception.recorded_at >= since, Interception.actionable,
               sa.or_(Shipment.exporter_id.in_(exporters), sa.func.lower(Shipment.packhouse).in_(packhouses)))
        .distinct()).all()
    flags = tuple((commodity, origin) for commodity, origin in session.execute(
        sa.select(RiskFlag.commodity_code, RiskFlag.origin_state).where(RiskFlag.lowered_at.is_(None))))
    seal_trouble = set(session.scalars(
        sa.select(Shipment.exporter_id).join(Seal, Seal.request_id == Shipment.id)
        .where(Shipment.exporter_id.in_(exporters), Seal.status.in_(SEAL_PROBLEMS), Seal.verified_at >= since)))
    seal_trouble |= set(session.scalars(
        sa.select(Shipment.exporter_id).join(BorderDecision, BorderDecision.request_id == Shipment.id)
        .where(Shipment.exporter_id.in_(exporters), BorderDecision.decided_at >= since,
               BorderDecision.has_reason("arrived_too_late"))))
    return RiskPicture(waived_loads, frozenset(waived_ids), frozenset(e for e, _ in intercepted),
                       frozenset(p for _, p in intercepted if p), flags, frozenset(seal_trouble))


def risk_factors(session: Session, shipment: Shipment, at: datetime) -> tuple[str, ...]:
    """The risk factors that apply to the load now."""
    return risk_picture(session, [shipment], at).factors(shipment)

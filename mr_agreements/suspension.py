"""Suspensions of recognition after repeated pest finds: one exporter, packhouse, or origin and commodity."""

# state and commodity under an agreement. A suspended shipment's border inspection is required.

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mr_agreements.domain import Rule, Shipment
from mr_agreements.reasons import Reason

EXPORTER, PACKHOUSE, ORIGIN = "exporter", "packhouse", "origin"
SCOPES = (EXPORTER, PACKHOUSE, ORIGIN)


@dataclass(frozen=True)
class Suspension:
    """Recognition paused under one agreement for whatever `scope` names, since a date, and why."""

    agreement: str
    scope: str  # exporter, packhouse or origin (origin state and commodity)
    since: date
    reason: str
    exporter: str | None = None
    packhouse: str | None = None
    origin_state: str | None = None
    commodity: str | None = None

    def covers(self, shipment: Shipment) -> bool:
        if self.scope == EXPORTER:
            return shipment.exporter == self.exporter
        if self.scope == PACKHOUSE:
            return _same_place(shipment.packhouse, self.packhouse)
        return shipment.origin_state == self.origin_state and shipment.commodity == self.commodity


def _same_place(a: str | None, b: str | None) -> bool:
    # Packhouses are typed by people: case and spacing do not make another packhouse.
    return bool(a and b) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def not_suspended(rule: Rule, shipment: Shipment) -> list[Reason]:
    """No suspension of the rule's agreement covers the shipment's exporter, packhouse or origin."""
    reasons = []
    for suspension in shipment.suspensions:
        if suspension.agreement == rule.agreement and suspension.covers(shipment):
            reasons.append(Reason.of(f"suspended_{suspension.scope}", rule=rule.id, since=suspension.since,
                                     reason=suspension.reason))
    return reasons

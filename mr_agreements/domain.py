"""Facts the mutual-recognition rules engine reasons about, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

WAIVED = "waived"
REQUIRED = "required"


@dataclass(frozen=True)
class Certification:
    """A trusted-trader certificate (OEA, CTPAT, ...) held by an exporter."""

    program: str
    valid_until: date
    valid_from: date | None = None
    certificate_id: str | None = None


@dataclass(frozen=True)
class Agreement:
    """A mutual-recognition agreement between APHIS and SENASICA and where it stands."""

    id: str
    status: str = "active"  # draft, active, suspended, expired
    effective_from: date | None = None
    effective_to: date | None = None
    status_since: date | None = None
    status_reason: str | None = None


@dataclass(frozen=True)
class Rule:
    """One recognition rule: which shipments an agreement lets cross without a border inspection."""

    id: str
    agreement: str
    commodities: tuple[str, ...]
    origin_states: tuple[str, ...] = ()
    ports: tuple[str, ...] = ()
    requires_certifications: tuple[str, ...] = ()
    requires_seal: bool = True
    max_hours_before_crossing: float | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool = True
    version: int = 1


@dataclass(frozen=True)
class Shipment:
    """The facts of one shipment that the rules look at.

    `cross_by` keeps the offset it was written with: dates are compared as written. Once the truck
    has reached the port, `arrived_at` is when it did: the rules then judge what happened (the hours
    from the joint inspection to the arrival, the date of the arrival) instead of the declared deadline.
    """

    id: str
    commodity: str
    origin_state: str
    port: str
    cross_by: datetime
    sealable: bool = True
    certifications: tuple[Certification, ...] = field(default=())
    arrived_at: datetime | None = None

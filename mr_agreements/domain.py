"""Facts the mutual-recognition rules engine reasons about, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mr_agreements.gates import Gate
    from mr_agreements.suspension import Suspension
    from mr_agreements.trusted_traders import Arrangement, ChainLink

WAIVED = "waived"
REQUIRED = "required"


@dataclass(frozen=True)
class Certification:
    """A trusted-trader certificate (OEA, CTPAT, FAST, ...) held by the exporter or a link of its chain.

    `valid_until` is date.max for a program without expiry (CTPAT). Its status (mr_agreements.trusted_traders)
    is certified or validated in good standing, suspended or removed from `status_since`. A carrier's,
    driver's, importer's, broker's or packhouse's certificate names its `holder` link and the `shipment`
    it vouches for.
    """

    program: str
    valid_until: date
    valid_from: date | None = None
    certificate_id: str | None = None
    status: str = "certified"
    status_since: date | None = None
    status_reason: str | None = None
    holder: str = "exporter"
    holder_name: str | None = None
    shipment: str | None = None


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
    # The share of the rule's waived loads drawn for a verification inspection anyway, before risk
    # raises it (mr_agreements.verification); it does not change whether the rule waives.
    verification_rate: float = 0.02
    # A trusted-trader status recognised by both administrations, under these arrangements
    # (mr_agreements.trusted_traders); the whole logistics chain in good standing; the Joint Work Plan
    # milestones the rule waits for (mr_agreements.gates).
    requires_recognised_status: bool = False
    recognised_under: tuple[Arrangement, ...] = ()
    requires_whole_chain: bool = False
    chain: tuple[ChainLink, ...] = ()
    gates: tuple[Gate, ...] = ()


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
    # Who and where, for suspensions of recognition (mr_agreements.suspension), and those in force.
    exporter: str | None = None
    packhouse: str | None = None
    suspensions: tuple[Suspension, ...] = field(default=())

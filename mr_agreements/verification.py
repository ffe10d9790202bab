"""Verification sampling of waived loads: how likely a load is to be inspected anyway, and the draw."""

# The draw is an HMAC of the shipment's reference under a server secret, read as a number in [0, 1):
# the exporter cannot predict it, an auditor holding the secret can recompute it, and it never changes
# for a shipment. The probability is the rule's base rate raised by the risk factors that apply.

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

# Risk factors and the rate each raises a load to at least (a factor never lowers the rate).
NEW_EXPORTER = "new_exporter"  # fewer than a season of recognised loads
RECENT_INTERCEPTION = "recent_interception"  # the exporter or packhouse had a pest found lately
FLAGGED = "flagged"  # a commodity or origin the supervisors flagged
SEAL_HISTORY = "seal_history"  # broken, missing or mismatched seals, or late trucks, lately
FACTOR_RATES: dict[str, float] = {NEW_EXPORTER: 0.10, RECENT_INTERCEPTION: 0.50, FLAGGED: 0.20, SEAL_HISTORY: 0.25}


@dataclass(frozen=True)
class SamplingBasis:
    """Why a load has the chance it has: the base rate, the factors that applied, the result."""

    base_rate: float
    factors: tuple[str, ...]
    probability: float

    def as_dict(self) -> dict[str, object]:
        return {"base_rate": self.base_rate, "factors": list(self.factors), "probability": self.probability}


def basis(base_rate: float, factors: tuple[str, ...] = ()) -> SamplingBasis:
    """The base rate raised to the highest rate of the factors that apply, never above 1; a zero base stays zero."""
    if not 0 <= base_rate <= 1:
        raise ValueError(f"a verification rate is between 0 and 1, not {base_rate}")
    unknown = [f for f in factors if f not in FACTOR_RATES]
    if unknown:
        raise ValueError(f"unknown risk factors {unknown}")
    # A rule verified at no rate is one the program chose not to sample: risk does not turn it on.
    probability = max([base_rate, *(FACTOR_RATES[f] for f in factors)]) if base_rate > 0 else 0.0
    return SamplingBasis(base_rate, tuple(sorted(set(factors))), round(min(1.0, probability), 6))


def draw(secret: bytes, key: str) -> float:
    """A number in [0, 1) derived from the key under the secret: the same key always gives the same draw."""
    digest = hmac.new(secret, key.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def selected(secret: bytes, key: str, sampling: SamplingBasis) -> tuple[bool, float]:
    """Whether the load is selected for a verification inspection, and the draw that decided it."""
    value = draw(secret, key)
    return value < sampling.probability, value

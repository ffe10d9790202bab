"""Milestones a rule waits for: a rule gated by the Joint Work Plan waives nothing before they are done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from mr_agreements.reasons import Reason

if TYPE_CHECKING:
    from mr_agreements.domain import Rule


@dataclass(frozen=True)
class Gate:
    """A Joint Work Plan milestone the rule depends on; done_on is None while it is not done."""

    milestone: str
    done_on: date | None = None


def gates_passed(rule: Rule, on: date) -> list[Reason]:
    """Every milestone gating the rule was done on or before the crossing date."""
    reasons = []
    for gate in rule.gates:
        if gate.done_on is None:
            reasons.append(Reason.of("gate_not_done", rule=rule.id, milestone=gate.milestone))
        elif gate.done_on > on:
            reasons.append(Reason.of("gate_done_after_crossing", rule=rule.id, milestone=gate.milestone,
                                     done_on=gate.done_on, cross_date=on))
    return reasons

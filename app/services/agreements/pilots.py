"""Pilots of a recognised logistics chain in a corridor: their success criteria, gate reviews and next phases.

A gate review reads the pilot's criteria (Joint Work Plan measures, in the pilot's ports, since the phase began)
and proposes a decision both agencies approve. Passing proposes the next phase as new rule versions (more ports,
commodities or sites), each of which takes effect only when both sides approve it too.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.orm import Session

from ...models import ChangeProposal, GateReview, Pilot, User
from ...models.pilot import GATE_DECISIONS
from ..dashboard.periods import period_between
from ..errors import WorkflowError
from . import approvals, rules
from .agreement import check_date, check_text
from .eligibility import Scope
from .measures import METRICS, compute, target_met

STATUS_LABELS = {"planned": _l("Planned"), "running": _l("Running"), "passed": _l("Passed"),
                 "stopped": _l("Stopped")}
GATE_LABELS = {"scheduled": _l("Scheduled"), "proposed": _l("Decision proposed"), "passed": _l("Passed"),
               "extended": _l("Extended"), "stopped": _l("Stopped")}
DECISION_LABELS = {"pass": _l("Pass: go to the next phase"), "extend": _l("Extend the phase"),
                   "stop": _l("Stop the pilot")}
SECTOR_LABELS = {"agribusiness": _l("Agribusiness"), "automotive": _l("Automotive"), "aerospace": _l("Aerospace"),
                 "medical_devices": _l("Medical devices")}


def pilots(session: Session) -> list[Pilot]:
    return list(session.scalars(sa.select(Pilot).order_by(Pilot.starts_on, Pilot.code)))


def get_pilot(session: Session, code: str) -> Pilot | None:
    return session.scalar(sa.select(Pilot).where(Pilot.code == code))


def open_gate(pilot: Pilot) -> GateReview | None:
    """The gate closing the current phase: the first not decided for good."""
    return next((g for g in pilot.gates if g.status in ("scheduled", "proposed", "extended")), None)


def phase_started(pilot: Pilot, gate: GateReview) -> date:
    earlier = [g.decided_on for g in pilot.gates if g.phase < gate.phase and g.decided_on]
    return max(earlier) if earlier else pilot.starts_on


def readings(session: Session, gate: GateReview, today: date) -> list[dict[str, Any]]:
    """Each criterion's measure in the pilot's ports, from the phase's start to the review (or today)."""
    pilot = gate.pilot
    first = phase_started(pilot, gate)
    period = period_between(first, max(first, min(gate.due_on, today)))
    found = []
    for criterion in pilot.criteria:
        measure = criterion.measure
        value = compute(session, measure.metric, period, Scope(measure.agreement, tuple(pilot.ports)))
        found.append({"metric": measure.metric, "name": measure.name, "name_es": measure.name_es,
                      "unit": measure.unit, "direction": measure.direction, "target": criterion.target,
                      "value": value.value, "met": target_met(value.value, criterion.target, measure.direction),
                      "numbers": _plain(value.numbers), "period": period.as_dict()})
    return found


def _plain(numbers: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in numbers.items() if isinstance(v, (int, float, str, dict, list)) or v is None}


def propose_gate_decision(session: Session, actor: User, gate: GateReview, decision: Any, *, today: date,
                          notes: Any = None, extend_to: Any = None) -> ChangeProposal:
    """Read the measures and propose pass, extend or stop; a missed criterion refuses a pass."""
    if gate.status not in ("scheduled", "extended"):
        raise WorkflowError(_("This gate has been decided or is waiting for approval."), "gate")
    if decision not in GATE_DECISIONS:
        raise WorkflowError(_("Choose pass, extend or stop."), "decision")
    notes = check_text(notes, "notes", 2000, required=decision != "pass")
    extend_to = check_date(extend_to, "extend_to", required=decision == "extend")
    if extend_to is not None and extend_to <= max(today, gate.due_on):
        raise WorkflowError(_("Extend the phase to a day after its current review date."), "extend_to")
    found = readings(session, gate, today)
    missed = [r["name"] for r in found if r["met"] is False]
    if decision == "pass" and missed:
        raise WorkflowError(_("A gate passes on its measures; not met: %(names)s.", names=", ".join(missed)),
                            "decision")
    gate.readings, gate.status = found, "proposed"
    payload = {"decision": decision, "notes": notes, "extend_to": extend_to.isoformat() if extend_to else None,
               "today": today.isoformat()}
    pilot = gate.pilot
    return approvals.propose(session, actor, kind="gate_decision", agreement=pilot.agreement, payload=payload,
                             subject=_("%(pilot)s, gate of phase %(phase)s: %(decision)s", pilot=pilot.code,
                                       phase=gate.phase, decision=decision),
                             subject_id=gate.id, parties=approvals.agreement_parties(pilot.agreement))


def apply_gate_decision(session: Session, proposal: ChangeProposal) -> str:
    """Both agencies decided: the gate closes; passing moves to the next phase and proposes its rule versions."""
    gate = session.get(GateReview, proposal.subject_id)
    pilot, payload = gate.pilot, proposal.payload
    decided_on = date.fromisoformat(payload["today"])
    gate.decision, gate.decided_on, gate.notes = payload["decision"], decided_on, payload.get("notes")
    if payload["decision"] == "stop":
        gate.status, pilot.status, pilot.ends_on = "stopped", "stopped", max(decided_on, pilot.starts_on)
        return _("Pilot %(code)s stopped.", code=pilot.code)
    if payload["decision"] == "extend":
        gate.status, gate.due_on = "extended", date.fromisoformat(payload["extend_to"])
        return _("Phase %(phase)s extended to %(date)s.", phase=gate.phase, date=gate.due_on.isoformat())
    gate.status = "passed"
    pilot.phase = gate.phase + 1
    pilot.status = "running" if any(g.phase > gate.phase for g in pilot.gates) else "passed"
    proposer = session.get(User, proposal.proposed_by_id or 0)
    for item in gate.next_phase or []:
        # More joint inspection sites for the next phase come with the gate both agencies passed.
        pilot.sites = sorted(set(pilot.sites) | set(item.get("sites", [])))
    made = [_propose_next(session, proposer, pilot, item, decided_on) for item in gate.next_phase or []
            if item.get("rule")]
    return _("Phase %(phase)s passed; %(count)s rule versions of the next phase proposed.", phase=gate.phase,
             count=len(made))


def _propose_next(session: Session, proposer: User, pilot: Pilot, item: dict[str, Any],
                  decided_on: date) -> ChangeProposal:
    note = item.get("note") or _("Next phase of pilot %(code)s.", code=pilot.code)
    changes = {name: date.fromisoformat(value) if name in ("valid_from", "valid_to") and value else value
               for name, value in item.get("changes", {}).items()}
    current = rules.current_rule(session, item["rule"])
    if current is None:
        # A rule the next phase makes: it starts the day the gate was passed, unless the plan says when.
        changes["valid_from"] = changes.get("valid_from") or decided_on
        return rules.propose_rule(session, proposer, pilot.agreement, item["rule"], changes, note)
    return rules.propose_rule_version(session, proposer, item["rule"], changes, note,
                                      expected_version=current.version)


def due_soon(pilot: Pilot, today: date, days: int = 30) -> bool:
    gate = open_gate(pilot)
    return gate is not None and gate.due_on <= today + timedelta(days=days)


def metric_names() -> dict[str, Any]:
    return {code: metric.label for code, metric in METRICS.items()}

"""Pests found at a border inspection: what, how many, what was done with the load, what the laboratory said.

Each actionable interception counts toward the agreement's suspension thresholds at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Inspection, Interception, QuarantinePest, Shipment, User, utcnow
from ...models.safety import ACTIONS, LAB_RESULTS, LIFE_STAGES, OTHER_ORGANISM
from ..access.audit import record
from ..agreements.suspensions import check_thresholds
from ..errors import WorkflowError
from .scope import lock_shipment, require_officer_at_port

# What may be done with the load after the border inspection's result.
ACTIONS_AFTER = {"pass": ("released_after_treatment",), "fail": ("re_exported", "destroyed"), "hold": ACTIONS}
MAX_COUNT = 100_000


@dataclass(frozen=True)
class Finding:
    """One interception as the officer reports it."""

    organism: str  # a quarantine pest's code, or "other"
    life_stage: str
    count: int
    action: str
    sent_to_lab: bool = False
    other_organism: str | None = None


def record_interceptions(session: Session, actor: User, shipment: Shipment, findings: Sequence[Finding],
                         now: datetime | None = None) -> list[Interception]:
    """Record what was found at the shipment's border inspection; suspend where thresholds are reached."""
    require_officer_at_port(session, actor, shipment)
    lock_shipment(session, shipment)
    now = now or utcnow()
    inspection = border_inspection_done(session, shipment)
    if not findings:
        raise WorkflowError(_("List at least one interception."), field="interceptions")
    rows = [_interception(session, actor, shipment, inspection, finding, index, now)
            for index, finding in enumerate(findings)]
    inspection.pests_found = True
    session.flush()
    check_thresholds(session, actor, shipment, now)
    return rows


def border_inspection_done(session: Session, shipment: Shipment) -> Inspection:
    """The shipment's border inspection with its result: without one, nothing was intercepted there."""
    inspection = session.scalar(
        sa.select(Inspection).where(Inspection.request_id == shipment.id, Inspection.kind == "border",
                                    Inspection.status == "done").order_by(Inspection.recorded_at.desc()).limit(1))
    if inspection is None:
        raise WorkflowError(_("This shipment has had no border inspection: record its result first."),
                            field="inspection")
    return inspection


def _interception(session: Session, actor: User, shipment: Shipment, inspection: Inspection, finding: Finding,
                  index: int, now: datetime) -> Interception:
    field = f"interceptions[{index}]"
    pest = _organism(session, shipment, finding, field)
    if finding.life_stage not in LIFE_STAGES:
        raise WorkflowError(_("Choose the life stage found."), field=f"{field}.life_stage")
    if not 0 < finding.count <= MAX_COUNT:
        raise WorkflowError(_("The count is a whole number from 1 to %(max)s.", max=MAX_COUNT),
                            field=f"{field}.count")
    allowed = ACTIONS_AFTER.get(inspection.result, ACTIONS)
    if finding.action not in allowed:
        raise WorkflowError(_("After a border inspection that %(result)s, the load can only be: %(allowed)s.",
                              result=inspection.result, allowed=", ".join(allowed)), field=f"{field}.action")
    row = Interception(request_id=shipment.id, inspection_id=inspection.id,
                       organism_code=pest.code if pest else None,
                       other_organism=None if pest else finding.other_organism.strip(),
                       life_stage=finding.life_stage, count=finding.count, action=finding.action,
                       sent_to_lab=finding.sent_to_lab, lab_result="pending", recorded_by_id=actor.id, recorded_at=now)
    session.add(row)
    session.flush()
    record(session, actor, "interception.recorded", row, after={
        "shipment": shipment.reference, "organism": row.organism_code or row.other_organism,
        "life_stage": row.life_stage, "count": row.count, "action": row.action, "sent_to_lab": row.sent_to_lab})
    return row


def _organism(session: Session, shipment: Shipment, finding: Finding, field: str) -> QuarantinePest | None:
    """A pest of the reference list for this commodity, or "other" with its name typed."""
    if finding.organism == OTHER_ORGANISM:
        if not (finding.other_organism or "").strip() or len(finding.other_organism) > 200:
            raise WorkflowError(_("Name the organism found (up to 200 characters)."), field=f"{field}.other_organism")
        return None
    pest = session.get(QuarantinePest, finding.organism)
    if pest is None or shipment.commodity_code not in pest.commodities:
        raise WorkflowError(_("Choose a quarantine pest of this commodity from the list, or other."),
                            field=f"{field}.organism")
    return pest


def record_lab_result(session: Session, actor: User, shipment: Shipment, interception: Interception, result: str,
                      note: str | None = None, now: datetime | None = None) -> Interception:
    """The laboratory's identification of a sample sent from the border."""
    require_officer_at_port(session, actor, shipment)
    if interception.request_id != shipment.id:
        raise WorkflowError(_("This interception is not of this shipment."), field="interception")
    if not interception.sent_to_lab:
        raise WorkflowError(_("No sample of this interception was sent to a laboratory."), field="lab_result")
    if result not in LAB_RESULTS or result == "pending":
        raise WorkflowError(_("The laboratory result is confirmed or not actionable."), field="lab_result")
    if note is not None and len(note) > 1000:
        raise WorkflowError(_("The note is limited to %(count)s characters.", count=1000), field="note")
    before = {"lab_result": interception.lab_result}
    interception.lab_result, interception.lab_result_note = result, (note or "").strip() or None
    interception.lab_result_at = now or utcnow()
    record(session, actor, "interception.lab_result", interception, before=before,
           after={"lab_result": result, "note": interception.lab_result_note})
    session.flush()
    check_thresholds(session, actor, shipment, interception.lab_result_at)
    return interception

"""Recording a joint inland inspection's result and the seals applied after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import BorderDecision, Inspection, Shipment, Seal, SealEvent, SealStock, User, utcnow
from .. import recognition
from ..access.audit import record
from ..errors import WorkflowError
from ..shipments import lifecycle
from . import timing
from .scope import OutOfScope, check_version, is_booked, lock_shipment
from .seal_numbers import check_new_seals

RESULTS = ("pass", "fail", "hold")
MAX_FINDINGS = 4000


@dataclass(frozen=True)
class InspectionOutcome:
    """What recording a result did: the shipment's new status, its seals and its border decision."""

    request: Shipment
    seals: list[Seal]
    decision: BorderDecision


def record_result(session: Session, actor: User, inspection: Inspection, result: str, findings: str | None,
                  seals: Sequence[tuple[str, str]], *, expected_version: int | None = None) -> InspectionOutcome:
    """Record pass, fail or hold, apply the seals of a passed load, and decide the border again.

    A passed load with seals is sealed, without seals inspected; a held one stays inspected with
    the findings as its reason; a failed one cannot export as planned and is rejected.
    """
    _check_actor(session, actor, inspection)
    lock_shipment(session, inspection.request, inspection)
    check_version(inspection, expected_version)
    return apply_result(session, actor, inspection, result, findings, seals, utcnow())


def apply_result(session: Session, actor: User, inspection: Inspection, result: str, findings: str | None,
                 seals: Sequence[tuple[str, str]], now: datetime) -> InspectionOutcome:
    """The result itself, once the actor may record it (record_result checks; the demo seeding is trusted)."""
    request = inspection.request
    findings = (findings or "").strip() or None
    checked = _check_result(session, inspection, request, result, findings, seals)
    timing.not_before(now, inspection.start, inspection.site.timezone, "result", _("The result"))
    before = {"status": inspection.status, "result": inspection.result}
    inspection.status, inspection.result, inspection.findings = "done", result, findings
    inspection.recorded_by_id, inspection.recorded_at = actor.id, now
    record(session, actor, "inspection.result_recorded", inspection, before=before,
           after={"status": "done", "result": result, "findings": findings})
    applied = [_apply_seal(session, actor, inspection, number, kind, stock, now) for number, kind, stock in checked]
    lifecycle.take(session, actor, request, _step_after(result, applied), now,
                   reason=findings if result != "pass" else None)
    session.flush()
    row = recognition.store_decision(session, request, recognition.recorded_decision(session, request),
                                     basis="inspection", actor=actor, at=now)
    return InspectionOutcome(request, applied, row)


def _check_actor(session: Session, actor: User, inspection: Inspection) -> None:
    """Inspectors booked on this joint inspection, or a coordinator, record it; others never see it."""
    if inspection.kind != "joint_inland":
        raise OutOfScope(inspection.id)
    if actor.role == "coordinator":
        return
    if actor.role != "inspector" or not is_booked(session, actor, inspection):
        raise OutOfScope(inspection.id)


def _check_result(session: Session, inspection: Inspection, request: Shipment, result: str,
                  findings: str | None, seals: Sequence[tuple[str, str]]) -> list[tuple[str, str, SealStock | None]]:
    """Every refusal before anything changes."""
    if inspection.status != "scheduled":
        raise WorkflowError(_("The result of this inspection was already recorded."), field="result")
    lifecycle.check(request, "inspect", field="result")
    if result not in RESULTS:
        raise WorkflowError(_("Choose pass, fail or hold."), field="result")
    if result != "pass" and not findings:
        raise WorkflowError(_("Say what was found: a failed or held inspection needs its findings."),
                            field="findings")
    if findings and len(findings) > MAX_FINDINGS:
        raise WorkflowError(_("Findings are limited to %(count)s characters.", count=MAX_FINDINGS),
                            field="findings")
    if result != "pass" and seals:
        raise WorkflowError(_("A failed or held inspection cannot be sealed."), field="seals")
    return check_new_seals(session, seals, inspection.site)


def _step_after(result: str, applied: list[Seal]) -> str:
    if result == "fail":
        return "reject"
    return "seal" if result == "pass" and applied else "inspect"


def _apply_seal(session: Session, actor: User, inspection: Inspection, number: str, kind: str,
                stock: SealStock | None, now) -> Seal:
    site = inspection.site
    seal = Seal(number=number, kind=kind, request_id=inspection.request_id, inspection_id=inspection.id,
                applied_by_id=actor.id, applied_at=now, status="applied", issuer=getattr(stock, "issuer", None),
                iso_class=getattr(stock, "iso_class", None))
    seal.events.append(SealEvent(kind="applied", occurred_at=now, place=site.name, lat=site.lat, lon=site.lon,
                                 source="inspector", recorded_by_id=actor.id, details={"number": number}))
    session.add(seal)
    session.flush()
    record(session, actor, "seal.applied", seal, after={"number": number, "kind": kind, "status": "applied",
                                                          "issuer": seal.issuer, "iso_class": seal.iso_class})
    return seal

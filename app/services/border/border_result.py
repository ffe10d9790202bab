"""The border inspection itself: its result releases the truck or turns it back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Inspection, Shipment, User, utcnow
from ..access.audit import record
from ..errors import WorkflowError
from ..shipments import lifecycle
from . import timing
from .scope import check_version, lock_shipment, require_officer_at_port

RESULTS = ("pass", "fail", "hold")
MAX_FINDINGS = 4000


@dataclass(frozen=True)
class BorderResult:
    request: Shipment
    inspection: Inspection


def record_border_result(session: Session, actor: User, request: Shipment, result: str, findings: str,
                         *, pests_found: bool | None = None, expected_version: int | None = None) -> BorderResult:
    """Pass releases the shipment, fail rejects it, hold keeps it in the port's queue with the findings."""
    require_officer_at_port(session, actor, request)
    lock_shipment(session, request)
    check_version(request, expected_version)
    return apply_border_result(session, actor, request, result, findings, utcnow(), pests_found)


def apply_border_result(session: Session, actor: User, request: Shipment, result: str, findings: str,
                        now: datetime, pests_found: bool | None = None) -> BorderResult:
    """The result itself, once the actor may record it (record_border_result checks; the demo seeding is trusted)."""
    if request.status != lifecycle.AT_BORDER:
        raise lifecycle.TransitionRefused(_("Only a shipment in the port's queue gets a border inspection result.")
                                          + " " + lifecycle.status_refusal(request), field="result")
    if result not in RESULTS:
        raise WorkflowError(_("Choose pass, fail or hold."), field="result")
    findings = (findings or "").strip()
    if result != "pass" and not findings:
        raise WorkflowError(_("Say what was found: a failed or held inspection needs its findings."), field="findings")
    if len(findings) > MAX_FINDINGS:
        raise WorkflowError(_("The findings are limited to %(count)s characters.", count=MAX_FINDINGS), field="findings")
    if request.arrived_at is not None:
        timing.not_before(now, request.arrived_at, request.port.timezone, "result", _("The border result"))
    else:
        request.arrived_at = now  # queued before reaching the port (a seal opened on the way): it is here now
    inspection = _border_inspection(session, request, now)
    inspection.status, inspection.result, inspection.findings = "done", result, findings or None
    inspection.pests_found = pests_found
    inspection.recorded_by_id, inspection.recorded_at = actor.id, now
    record(session, actor, "inspection.border_result", inspection,
           after={"result": result, "findings": findings, "pests_found": pests_found})
    if result == "pass":
        lifecycle.take(session, actor, request, "release", now)
    elif result == "fail":
        lifecycle.take(session, actor, request, "reject_at_border", now, reason=findings)
    else:
        lifecycle.note(session, actor, request, findings)
    return BorderResult(request, inspection)


def _border_inspection(session: Session, request: Shipment, now) -> Inspection:
    """The scheduled border inspection, or one recorded now when the officer inspected unplanned."""
    inspection = session.scalar(
        sa.select(Inspection).where(Inspection.request_id == request.id, Inspection.kind == "border",
                                    Inspection.status == "scheduled").order_by(Inspection.start).limit(1))
    if inspection is None:
        inspection = Inspection(request_id=request.id, kind="border", site_id=request.port_id,
                                start=now - timedelta(minutes=request.border_inspection_minutes), end=now)
        session.add(inspection)
    return inspection

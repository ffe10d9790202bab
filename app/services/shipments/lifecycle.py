"""A shipment's lifecycle: every status, every allowed step with its guard, and the refusal people read.

This is the only code that changes a shipment's status (the model refuses any other assignment):
requesting, planning, the joint inspection, the border and cancelling all take one of the steps below.

    requested --schedule--> scheduled --inspect--> inspected --queue_at_border--> at_border --release--> released
        |   ^                   |  \\--seal--> sealed ---------/-----------------------release-----------/
        |   '----unschedule-----'   \\-reject--> rejected <--reject_at_border-- at_border
        '--cancel--> cancelled <--cancel-- scheduled
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Shipment, User
from ...models.shipment import SHIPMENT_STATUSES, changing_status
from ..access.audit import record
from ..errors import ConflictError

REQUESTED, SCHEDULED, INSPECTED, SEALED = "requested", "scheduled", "inspected", "sealed"
AT_BORDER, RELEASED, CANCELLED, REJECTED = "at_border", "released", "cancelled", "rejected"
STATUSES = SHIPMENT_STATUSES

# Still to be planned: the optimizer plans these, and a published plan may (re)book them.
PLANNABLE = (REQUESTED, SCHEDULED)
# Passed the joint inspection and on the way to the border (a held load stays inspected too).
ON_THE_WAY = (INSPECTED, SEALED)
# Still to come through a port: the officer's queue.
ARRIVING = (SCHEDULED, INSPECTED, SEALED, AT_BORDER)
FINAL = (RELEASED, CANCELLED, REJECTED)


class TransitionRefused(ConflictError):
    """The shipment is not at a stage where this step applies; nothing was changed (the API answers 409)."""


@dataclass(frozen=True)
class Step:
    """One allowed change of status: from which statuses, to which, and the time it stamps."""

    name: str
    sources: tuple[str, ...]
    target: str
    stamp: str | None  # the shipment's column that records when it happened
    also_stamps: tuple[str, ...] = ()  # stamped too when still empty (a sealed load was inspected)
    guard: Callable[[Shipment], str | None] | None = None  # extra condition: a refusal, or None

    def allows(self, shipment: Shipment) -> bool:
        return shipment.status in self.sources and (self.guard is None or self.guard(shipment) is None)


STEPS: dict[str, Step] = {step.name: step for step in (
    # Publishing a plan books its inspections; publishing again keeps a scheduled shipment scheduled.
    Step("schedule", PLANNABLE, SCHEDULED, "scheduled_at"),
    # A published plan that no longer has the shipment gives it back to the queue.
    Step("unschedule", (SCHEDULED,), REQUESTED, None),
    Step("cancel", PLANNABLE, CANCELLED, "cancelled_at"),
    # The joint inspection: passed without seals or held, passed and sealed, failed.
    Step("inspect", (SCHEDULED,), INSPECTED, "inspected_at"),
    Step("seal", (SCHEDULED,), SEALED, "sealed_at", also_stamps=("inspected_at",)),
    Step("reject", (SCHEDULED,), REJECTED, "rejected_at", also_stamps=("inspected_at",)),
    # At the border: the inspection is required (by the rules, a seal problem or the officer), the
    # waiver stands or the border inspection passed, or the border inspection failed.
    Step("queue_at_border", ON_THE_WAY, AT_BORDER, "at_border_at"),
    Step("release", (*ON_THE_WAY, AT_BORDER), RELEASED, "released_at"),
    Step("reject_at_border", (AT_BORDER,), REJECTED, "rejected_at"),
)}


def status_refusal(shipment: Shipment) -> str:
    """Why nothing can be done at this step, in words that say where the shipment stands."""
    messages = {
        REQUESTED: _("This shipment has not been scheduled for its joint inspection yet."),
        SCHEDULED: _("The joint inspection of this shipment has not been recorded yet."),
        AT_BORDER: _("This shipment is already in the port's queue for a border inspection."),
        RELEASED: _("This shipment was already released."),
        CANCELLED: _("This shipment was cancelled."),
        REJECTED: _("This shipment was rejected."),
        INSPECTED: _("This shipment was inspected but not sealed."),
        SEALED: _("This shipment is sealed and on its way to the border."),
    }
    return messages.get(shipment.status, _("This step does not apply to the shipment now."))


def can(shipment: Shipment, step: str) -> bool:
    """Whether the step applies to the shipment now (pages show or hide its button by this)."""
    return STEPS[step].allows(shipment)


def check(shipment: Shipment, step: str, field: str = "status") -> None:
    """Refuse, in the reader's words, a step that does not apply now."""
    rule = STEPS[step]
    if shipment.status not in rule.sources:
        raise TransitionRefused(status_refusal(shipment), field=field)
    refusal = rule.guard(shipment) if rule.guard is not None else None
    if refusal is not None:
        raise TransitionRefused(refusal, field=field)


def take(session: Session, actor: User | None, shipment: Shipment, step: str, at: datetime,
         reason: str | None = None, field: str = "status", details: dict | None = None) -> None:
    """Take the step: check it, change the status, stamp the time, keep the reason, audit it."""
    check(shipment, step, field)
    rule = STEPS[step]
    before = {"status": shipment.status, "status_reason": shipment.status_reason}
    with changing_status():
        shipment.status = rule.target
    if rule.stamp is not None:
        setattr(shipment, rule.stamp, at)
    for column in rule.also_stamps:
        if getattr(shipment, column) is None:
            setattr(shipment, column, at)
    if reason is not None or rule.target in (SCHEDULED, REQUESTED):
        shipment.status_reason = reason
    record(session, actor, f"request.{rule.target}" if step != "unschedule" else "request.unscheduled", shipment,
           before=before, after={"status": rule.target, "status_reason": shipment.status_reason, **(details or {})})


def note(session: Session, actor: User | None, shipment: Shipment, reason: str) -> None:
    """Keep a reason without changing the status (a border inspection on hold says what was found)."""
    before = {"status_reason": shipment.status_reason}
    shipment.status_reason = reason
    record(session, actor, "request.noted", shipment, before=before, after={"status_reason": reason})

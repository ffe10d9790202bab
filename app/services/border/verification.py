"""At the border: verifying seals, reinstating the border inspection by hand."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import BorderDecision, Inspection, Seal, SealEvent, Shipment, User, utcnow
from ...models.decision import SELECTED_FOR_VERIFICATION
from .. import recognition
from ..access.audit import record
from ..errors import WorkflowError
from ..shipments import lifecycle
from . import timing
from .scope import SEAL_EXCEPTION_STATUSES, check_version, lock_shipment, require_officer_at_port, shipment_seals
from .seal_numbers import normalise

OBSERVATIONS = ("intact", "broken", "missing")
PRESENTED = re.compile(r"^[A-Z0-9-]{1,40}$")
MAX_REASON = 1000
# A reason the app records itself; app.reasons tells it in both languages.
REINSTATED_BY_OFFICER = "reinstated_by_officer"


@dataclass(frozen=True)
class BorderOutcome:
    request: Shipment
    seals: list[Seal]
    decision: BorderDecision


def verify_seals(session: Session, actor: User, request: Shipment, observations: Mapping[str, str],
                 presented: Sequence[str], *, arrived_at: datetime | None = None,
                 expected_version: int | None = None) -> BorderOutcome:
    """The truck is at the port: its arrival is recorded and the rules decide again on what happened.

    Seals intact and matching, and the truck within the rule's hours of its joint inspection: the
    waiver stands and the shipment is released (or queued when the rules require the inspection).
    Broken, missing or another number: the inspection is reinstated.
    """
    require_officer_at_port(session, actor, request)
    lock_shipment(session, request)
    check_version(request, expected_version)
    return apply_verification(session, actor, request, observations, presented, utcnow(), arrived_at)


def apply_verification(session: Session, actor: User, request: Shipment, observations: Mapping[str, str],
                       presented: Sequence[str], now: datetime, arrived_at: datetime | None = None) -> BorderOutcome:
    """The verification itself, once the actor may make it (verify_seals checks; the demo seeding is trusted).

    `arrived_at` defaults to now: the officer checks the truck as it arrives.
    """
    inspection = _check_can_verify(session, request)
    _record_arrival(request, inspection, arrived_at or now, now)
    seals = shipment_seals(session, request)
    found = _check_observations(seals, observations)
    unknown = _unknown_presented(seals, presented)
    found = _mark_mismatch(found, unknown)
    for seal in seals:
        _set_seal_status(session, actor, seal, found[seal.number], now, request, unknown)
    session.flush()
    problems = sorted({status for status in found.values() if status in SEAL_EXCEPTION_STATUSES}
                      | ({"mismatch"} if unknown else set()))
    if problems:
        return reinstate_required(session, actor, request, seals, "seal_verification",
                                  [recognition.reason(f"seal_{problem}") for problem in problems], now)
    decision = recognition.recorded_decision(session, request)
    if decision.waived and recognition.selected_for_verification(session, request):
        # Recognised, and drawn to verify the recognition: inspected at the border all the same.
        return reinstate_required(session, actor, request, seals, "seal_verification",
                                  [recognition.reason(SELECTED_FOR_VERIFICATION)], now)
    row = recognition.store_decision(session, request, decision, basis="seal_verification", actor=actor, at=now)
    lifecycle.take(session, actor, request, "release" if decision.waived else "queue_at_border", now)
    return BorderOutcome(request, seals, row)


def reinstate_inspection(session: Session, actor: User, request: Shipment, reason_text: str, *,
                         expected_version: int | None = None) -> BorderOutcome:
    """The officer requires the border inspection, whatever the rules said, and says why."""
    require_officer_at_port(session, actor, request)
    lock_shipment(session, request)
    check_version(request, expected_version)
    reason_text = (reason_text or "").strip()
    if not reason_text:
        raise WorkflowError(_("Say why the border inspection is reinstated."), field="reason")
    if len(reason_text) > MAX_REASON:
        raise WorkflowError(_("The reason is limited to %(count)s characters.", count=MAX_REASON), field="reason")
    if not can_reinstate(session, request):
        raise lifecycle.TransitionRefused(lifecycle.status_refusal(request), field="reason")
    reason = recognition.app_reason(REINSTATED_BY_OFFICER, reason=reason_text)
    return reinstate_required(session, actor, request, shipment_seals(session, request), "manual", [reason],
                              utcnow(), status_reason=reason_text)


def can_reinstate(session: Session, request: Shipment) -> bool:
    """On its way after the joint inspection, or already at the border with the inspection waived."""
    if lifecycle.can(request, "queue_at_border"):
        return True
    current = recognition.current_decision(session, request)
    return request.status == "at_border" and current is not None and current.decision == "waived"


def reinstate_required(session: Session, actor: User | None, request: Shipment, seals: list[Seal],
                       basis: str, extra: list[recognition.Reason], now,
                       status_reason: str | None = None) -> BorderOutcome:
    """Required whatever the rule says, queued at the port: the one way every reinstatement goes."""
    decision = recognition.recorded_decision(session, request)
    row = recognition.store_decision(session, request, decision, basis=basis, actor=actor,
                                     extra_reasons=extra, at=now)
    if request.status == "at_border":
        # Already in the port's queue (waived until now): only the decision changes.
        if status_reason is not None:
            lifecycle.note(session, actor, request, status_reason)
    else:
        lifecycle.take(session, actor, request, "queue_at_border", now, reason=status_reason)
    return BorderOutcome(request, seals, row)


def _check_can_verify(session: Session, request: Shipment) -> Inspection:
    """Sealed loads are verified; an unsealed load that passed is checked for seals nobody applied."""
    # Verification leads on to release or to the port's queue: it applies where both can follow.
    lifecycle.check(request, "queue_at_border")
    inspection = recognition.inland_inspection(session, request)
    if inspection is None or inspection.result != "pass":
        raise WorkflowError(_("The joint inspection did not pass this shipment; it cannot cross on it."),
                            field="status")
    return inspection


def _record_arrival(request: Shipment, inspection: Inspection, arrived_at: datetime, now: datetime) -> None:
    """When the truck reached the port: not in the future, not before its joint inspection ended."""
    zone = request.port.timezone
    timing.aware(arrived_at, "arrived_at")
    timing.not_in_the_future(arrived_at, zone, "arrived_at", now)
    timing.not_before(arrived_at, inspection.end, zone, "arrived_at", _("The truck's arrival"))
    request.arrived_at = arrived_at


def _check_observations(seals: list[Seal], observations: Mapping[str, str]) -> dict[str, str]:
    """One observation per seal of the shipment, and none for seals it does not have."""
    given = {normalise(number): value for number, value in observations.items()}
    numbers = {seal.number for seal in seals}
    for number in given:
        if number not in numbers:
            raise WorkflowError(_("Seal %(number)s was not applied to this shipment; list it among the other "
                                  "seals found.", number=number), field=f"observations[{number}]")
    for seal in seals:
        if given.get(seal.number) not in OBSERVATIONS:
            raise WorkflowError(_("Say whether seal %(number)s is intact, broken or missing.", number=seal.number),
                                field=f"observations[{seal.number}]")
    return {seal.number: given[seal.number] for seal in seals}


def _unknown_presented(seals: list[Seal], presented: Sequence[str]) -> list[str]:
    numbers = {seal.number for seal in seals}
    unknown: list[str] = []
    for index, raw in enumerate(presented):
        number = normalise(raw)
        if not number:
            continue
        if not PRESENTED.match(number):
            raise WorkflowError(_("A seal number has up to 40 letters, digits or hyphens."),
                                field=f"presented[{index}]")
        if number not in numbers and number not in unknown:
            unknown.append(number)
    return unknown


def _mark_mismatch(found: dict[str, str], unknown: list[str]) -> dict[str, str]:
    """A number nobody applied stands in for the missing seals; with none missing, the whole set
    on the truck does not match what was applied, so every intact seal counts as mismatched."""
    if not unknown:
        return found
    replaced = "missing" if "missing" in found.values() else "intact"
    return {number: "mismatch" if status == replaced else status for number, status in found.items()}


def _set_seal_status(session: Session, actor: User, seal: Seal, status: str, now, request: Shipment,
                     unknown: list[str]) -> None:
    before = {"status": seal.status}
    seal.status, seal.verified_by_id, seal.verified_at = status, actor.id, now
    port = request.port
    details = {"found": status} | ({"presented": unknown} if unknown else {})
    seal.events.append(SealEvent(kind="verified", occurred_at=now, place=port.name, lat=port.lat, lon=port.lon,
                                 source="officer", recorded_by_id=actor.id, details=details))
    record(session, actor, "seal.verified", seal, before=before, after={"status": status, **details})

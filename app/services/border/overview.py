"""What the inspector's and officer's pages and the API read about seals and the border, and the workflows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from ...models import BorderDecision, Inspection, Shipment, InspectorBooking, Inspector, Seal, Site, User
from ...reasons import reason_text
from ..recognition import JOINT_US_SITE, decision_trail, is_joint_us_site
from ..shipments.lifecycle import ARRIVING
from .verification import BorderOutcome, can_reinstate, reinstate_inspection, verify_seals
from .scope import SEAL_EXCEPTION_STATUSES, OutOfScope, is_booked, officer_port_id, shipment_seals
from .seal_events import SealEventOutcome, post_seal_event
from .inland_result import InspectionOutcome, record_result

__all__ = [
    "BorderOutcome", "InspectionOutcome", "OutOfScope", "SealEventOutcome", "assignments_by_day", "can_reinstate",
    "booked_inspection", "border_inspections", "decision_summary", "decision_trail", "officer_port",
    "officer_port_id", "officer_request", "port_queue",
    "post_seal_event", "reason_line", "record_result", "reinstate_inspection", "seal_exceptions",
    "shipment_seals", "verify_seals",
]


reason_line = reason_text  # pages and schemas name it so; one catalog tells every reason


def decision_summary(decision: BorderDecision) -> str:
    """One sentence for a flash message: waived under which rule version, or required and why."""
    if decision.decision == "waived" and is_joint_us_site(decision.reasons):
        site = next((r.get("params") or {}).get("site") for r in decision.reasons if r.get("code") == JOINT_US_SITE)
        return _("Inspected at %(site)s, north of the border, under rule %(rule)s v%(version)s: no inspection at "
                 "the port.", site=site, rule=decision.rule_code, version=decision.rule_version)
    if decision.decision == "waived":
        return _("Border inspection waived under rule %(rule)s v%(version)s.", rule=decision.rule_code,
                 version=decision.rule_version)
    return _("Border inspection required: %(reasons)s", reasons="; ".join(distinct_reasons(decision.reasons)))


def distinct_reasons(reasons: list[dict[str, Any]]) -> list[str]:
    """Each reason once: a seal problem the officer found is not repeated as the rule's own reason."""
    found = {r["code"] for r in reasons if not r.get("rule")}
    return [reason_line(r) for r in reasons if not (r.get("rule") and r["code"] in found)]


@dataclass(frozen=True)
class SealFound:
    """One seal as applied after the joint inspection beside what the officer found at the border."""

    number: str
    kind: str
    found: str | None  # intact, broken, missing, mismatch; None until checked
    checked_at: datetime | None


@dataclass(frozen=True)
class FoundAtBorder:
    seals: list[SealFound]
    others: list[str]  # numbers on the truck that were never applied to this shipment


def found_at_border(session: Session, shipment: Shipment) -> FoundAtBorder:
    """Expected and found side by side, from the seals and their verification events."""
    seals, others = [], []
    for seal in shipment_seals(session, shipment):
        checked = [e for e in seal.events if e.kind == "verified"]
        seals.append(SealFound(seal.number, seal.kind, checked[-1].details.get("found") if checked else None,
                               seal.verified_at))
        for event in checked:
            others += [n for n in (event.details or {}).get("presented", []) if n not in others]
    return FoundAtBorder(seals, others)


@dataclass(frozen=True)
class VerificationPreview:
    """What a seal check decides, in plain values (it may be shown and rolled back before it is confirmed)."""

    decision: str
    rule: str | None
    reasons: list[str]
    found: FoundAtBorder
    message: str


def verification_preview(session: Session, outcome: BorderOutcome) -> VerificationPreview:
    found = found_at_border(session, outcome.request)
    decision = outcome.decision
    problems = [s for s in found.seals if s.found in SEAL_EXCEPTION_STATUSES] or found.others
    if decision.decision == "waived":
        message = _("Seals intact and matching: the truck is released, its border inspection waived under "
                    "rule %(rule)s v%(version)s.", rule=decision.rule_code, version=decision.rule_version)
    elif problems:
        message = _("Seal check recorded; the border inspection is required and the shipment is in the port's "
                    "queue.")
    else:
        message = _("Seals intact; the border inspection is still required and the shipment is in the port's "
                    "queue.")
    reasons = distinct_reasons(decision.reasons)
    if decision.decision != "waived":
        message += " " + "; ".join(reasons)
    if found.others:
        message += " " + _("Numbers found on the truck: %(numbers)s.", numbers=", ".join(found.others))
    return VerificationPreview(decision.decision, decision.rule_code, reasons, found, message)


def booked_inspection(session: Session, user: User, inspection_id: int) -> Inspection:
    """A joint inspection the user is booked on (any, for a coordinator); OutOfScope otherwise."""
    inspection = session.get(Inspection, inspection_id)
    if inspection is None or inspection.kind != "joint_inland":
        raise OutOfScope(inspection_id)
    if user.role != "coordinator" and not is_booked(session, user, inspection):
        raise OutOfScope(inspection_id)
    return inspection


def assignments_by_day(session: Session, user: User, now: datetime, days: int = 7) -> list[tuple[date, list]]:
    """The inspector's joint and border inspections from today for a week, by day in each site's zone."""
    inspector = session.scalar(sa.select(Inspector).where(Inspector.user_id == user.id))
    if inspector is None:
        return []
    # Filter on the booking's own copy of the times: its (inspector, start) index finds the week
    # without reading the inspector's whole year.
    rows = session.scalars(
        sa.select(Inspection).join(InspectorBooking)
        .where(InspectorBooking.inspector_id == inspector.id, InspectorBooking.active,
               InspectorBooking.start >= now - timedelta(hours=36), InspectorBooking.start < now + timedelta(days=days),
               InspectorBooking.end >= now - timedelta(hours=12))
        .options(selectinload(Inspection.site),
                 selectinload(Inspection.request).selectinload(Shipment.commodity),
                 selectinload(Inspection.request).selectinload(Shipment.exporter))
        .order_by(Inspection.start)
    ).all()
    grouped: dict[date, list[Inspection]] = {}
    for inspection in rows:
        grouped.setdefault(inspection.start.astimezone(ZoneInfo(inspection.site.timezone)).date(), []).append(
            inspection)
    return sorted(grouped.items())


def recent_changes(session: Session, user: User, now: datetime, days: int = 3) -> list[Inspection]:
    """Inspections the user was or is booked on that a plan moved or dropped in the last days, newest first."""
    inspector = session.scalar(sa.select(Inspector).where(Inspector.user_id == user.id))
    if inspector is None:
        return []
    return list(session.scalars(
        sa.select(Inspection).join(InspectorBooking)
        .where(InspectorBooking.inspector_id == inspector.id, Inspection.changed_at >= now - timedelta(days=days))
        .options(selectinload(Inspection.site), selectinload(Inspection.request))
        .order_by(Inspection.changed_at.desc()).limit(20)))


def exporter_view(session: Session, shipment: Shipment, inspections: list[Inspection]) -> list[Inspection]:
    """The inspections an exporter sees: a border inspection booked to verify a waived load stays out of
    sight until the truck reaches the port, so that the draw cannot be known in advance."""
    current = session.scalar(sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id,
                                                             BorderDecision.current))
    if current is None or current.decision != "waived" or shipment.status not in ("scheduled", "inspected", "sealed"):
        return list(inspections)
    return [i for i in inspections if not (i.kind == "border" and i.status == "scheduled")]


def officer_port(session: Session, user: User) -> Site | None:
    port_id = officer_port_id(session, user)
    return session.get(Site, port_id) if port_id is not None else None


def officer_request(session: Session, user: User, request_id: int) -> Shipment:
    """A shipment bound for the officer's own port; any other is OutOfScope."""
    port_id = officer_port_id(session, user)
    request = session.get(Shipment, request_id)
    if port_id is None or request is None or request.port_id != port_id:
        raise OutOfScope(request_id)
    return request


def port_queue(session: Session, port_id: int, limit: int = 200) -> list[tuple[Shipment, Any]]:
    """Shipments still to come through the port, earliest arrival first, with their current decision."""
    rows = session.execute(
        sa.select(Shipment, BorderDecision)
        .outerjoin(BorderDecision, sa.and_(BorderDecision.request_id == Shipment.id,
                                           BorderDecision.current))
        .where(Shipment.port_id == port_id, Shipment.status.in_(ARRIVING))
        .options(selectinload(Shipment.commodity), selectinload(Shipment.exporter))
        .order_by(Shipment.arrive_port).limit(limit)
    ).all()
    return [(request, decision) for request, decision in rows]


def border_inspections(session: Session, port_id: int) -> list[tuple[Shipment, BorderDecision]]:
    """The port's queue of border inspections: shipments at the border whose inspection is required."""
    rows = session.execute(
        sa.select(Shipment, BorderDecision)
        .join(BorderDecision, sa.and_(BorderDecision.request_id == Shipment.id, BorderDecision.current))
        .where(Shipment.port_id == port_id, Shipment.status == "at_border",
               BorderDecision.decision == "required")
        .order_by(Shipment.at_border_at)
    ).all()
    return [(request, decision) for request, decision in rows]


def seal_exceptions(session: Session, port_id: int | None = None) -> list[Seal]:
    """Seals found broken, missing or mismatched, newest first: what supervisors follow up."""
    query = sa.select(Seal).where(Seal.status.in_(SEAL_EXCEPTION_STATUSES))
    if port_id is not None:
        query = query.join(Shipment, Shipment.id == Seal.request_id).where(
            Shipment.port_id == port_id)
    return list(session.scalars(query.order_by(Seal.verified_at.desc().nulls_last(), Seal.id.desc())))

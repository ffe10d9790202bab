"""One demo shipment's timeline and records: inspections, bookings, seal, border decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

import mr_agreements as mr

from ..models import (
    BorderDecision, Inspection, InspectionRequest, Inspector, InspectorBooking, Rule,
    Seal, SealEvent, Site,
)
from .seeding import SeedError, SeedReport
from .seeding_reference import local_time
from .recognition import engine_rules_and_agreements, engine_shipment
from .seeding_timeline import find_border_slot, find_joint_slot, next_open_slot, travel_minutes, workday

MIN = timedelta(minutes=1)
INSPECTED = ("inspected", "sealed", "at_border", "released", "rejected")
SEALED = ("sealed", "at_border", "released")
ARRIVED = ("at_border", "released")
DECIDED = ("scheduled", "inspected") + SEALED
SEAL_EXCEPTIONS = ("broken", "missing", "mismatch")


@dataclass
class ShipmentPlan:
    """Every time of one demo shipment, derived from its joint inspection slot."""

    status: str
    anchor: datetime
    start: datetime
    inspection_minutes: int
    border_minutes: int
    pair: list[Inspector]
    arrive: datetime
    cross_by: datetime
    border_start: datetime | None = None
    officer: Inspector | None = None
    has_seal: bool = False
    port_zone: ZoneInfo | None = None

    @property
    def end(self) -> datetime:
        return self.start + self.inspection_minutes * MIN

    @property
    def border_end(self) -> datetime | None:
        return self.border_start + self.border_minutes * MIN if self.border_start else None

    def request_times(self) -> dict[str, Any]:
        status, offset = self.status, self.cross_by.astimezone(self.port_zone).utcoffset()
        released = (self.border_end or self.arrive) + 30 * MIN
        return {
            "ready": self.start - 120 * MIN, "arrive_port": self.arrive, "cross_by": self.cross_by,
            "cross_by_offset_minutes": int(offset.total_seconds() // 60),
            "requested_at": self.anchor,
            "scheduled_at": self.anchor + 180 * MIN if status != "requested" else None,
            "inspected_at": self.end if status in INSPECTED else None,
            "sealed_at": self.end + 15 * MIN if self.has_seal and status in SEALED else None,
            "at_border_at": self.arrive if status in ARRIVED else None,
            "released_at": released if status == "released" else None,
            "cancelled_at": self.anchor + timedelta(days=1) if status == "cancelled" else None,
            "rejected_at": self.end + 10 * MIN if status == "rejected" else None,
        }


class ShipmentBuilder:
    """Plans and records demo shipments, checking each border decision with the rules engine."""

    def __init__(self, session: Session, report: SeedReport) -> None:
        self.session = session
        self.report = report
        self._rules: dict[tuple[str, int], Rule] | None = None

    def plan(self, spec: dict[str, Any], site: Site, port: Site, anchor: datetime) -> ShipmentPlan:
        status = spec["status"]
        minutes = spec.get("inspection_minutes", 90)
        border_minutes = spec.get("border_inspection_minutes", 60)
        day = workday(self.report.today, spec["workday"])
        if status == "requested":
            start, pair = local_time(day, spec["start"], site.timezone), []
        else:
            start, pair = find_joint_slot(self.session, site, day, spec["start"], minutes, spec["commodity"])
        end = start + minutes * MIN
        travel = travel_minutes(self.session, site, port)
        arrive = next_open_slot(port, end + travel * MIN, border_minutes)
        plan = ShipmentPlan(status, anchor, start, minutes, border_minutes, pair, arrive, arrive,
                            has_seal="seal" in spec)
        plan.port_zone = ZoneInfo(port.timezone)
        seal_exception = spec.get("seal", {}).get("at_border") in SEAL_EXCEPTIONS
        if status in ARRIVED and (spec.get("expect") == "required" or seal_exception):
            earliest = arrive + (30 * MIN if seal_exception else timedelta(0))
            plan.border_start, plan.officer = find_border_slot(self.session, port, earliest, border_minutes)
        # Close to the crossing, as recognition rules ask (24 h is the strictest rule's limit).
        plan.cross_by = max(arrive + border_minutes * MIN, min(arrive + timedelta(hours=6), end + timedelta(hours=24)))
        if plan.border_end is not None:
            plan.cross_by = max(plan.cross_by, plan.border_end + 30 * MIN)
        return plan

    def record(self, request: InspectionRequest, spec: dict[str, Any], plan: ShipmentPlan) -> None:
        if plan.status == "requested":
            return
        inland = self._joint_inspection(request, spec, plan)
        seal = self._seal(request, inland, spec, plan) if plan.has_seal and plan.status in SEALED else None
        if plan.border_start is not None:
            self._border_inspection(request, plan)
        self._decisions(request, spec, plan, seal)
        self.session.flush()

    def _joint_inspection(self, request: InspectionRequest, spec: dict[str, Any], plan: ShipmentPlan) -> Inspection:
        done = plan.status in INSPECTED
        status = "done" if done else ("cancelled" if plan.status == "cancelled" else "scheduled")
        recorder = next((i.user_id for i in plan.pair if i.user_id), None)
        inspection = Inspection(
            request_id=request.id, kind="joint_inland", site_id=request.sites[0].id, start=plan.start,
            end=plan.end, status=status, result=spec.get("result") if done else None,
            findings=spec.get("findings") if done else None,
            recorded_by_id=recorder if done else None, recorded_at=plan.end + 5 * MIN if done else None,
        )
        inspection.bookings = [
            InspectorBooking(inspector_id=i.id, start=plan.start, end=plan.end, active=status != "cancelled")
            for i in plan.pair
        ]
        self.session.add(inspection)
        self.session.flush()
        self.report.count("demo inspection", "created")
        return inspection

    def _seal(self, request: InspectionRequest, inspection: Inspection, spec: dict[str, Any],
              plan: ShipmentPlan) -> Seal:
        site, port = request.sites[0], request.port
        found = spec["seal"].get("at_border")
        applied_at = plan.end + 10 * MIN
        seal = Seal(
            number=spec["seal"]["number"], kind=spec["seal"]["kind"], request_id=request.id,
            inspection_id=inspection.id, applied_by_id=next((i.user_id for i in plan.pair if i.user_id), None),
            applied_at=applied_at, status=found or "applied",
        )
        seal.events = [SealEvent(kind="applied", occurred_at=applied_at, place=site.name, lat=site.lat, lon=site.lon,
                                 source="inspector", details={"number": seal.number})]
        if found:
            seal.verified_at = plan.arrive + 15 * MIN
            seal.verified_by_id = self._port_officer_user(port)
            seal.events.append(SealEvent(
                kind="verified", occurred_at=seal.verified_at, place=port.name, lat=port.lat, lon=port.lon,
                source="officer", recorded_by_id=seal.verified_by_id, details={"found": found},
            ))
        self.session.add(seal)
        self.session.flush()
        self.report.count("demo seal", "created")
        return seal

    def _border_inspection(self, request: InspectionRequest, plan: ShipmentPlan) -> None:
        done = plan.status == "released"
        inspection = Inspection(
            request_id=request.id, kind="border", site_id=request.port_id, start=plan.border_start,
            end=plan.border_end, status="done" if done else "scheduled", result="pass" if done else None,
            findings="No pests found; load released." if done else None,
            recorded_at=plan.border_end + 5 * MIN if done else None,
            recorded_by_id=plan.officer.user_id if done else None,
        )
        inspection.bookings = [InspectorBooking(inspector_id=plan.officer.id, start=plan.border_start,
                                                end=plan.border_end)]
        self.session.add(inspection)
        self.report.count("demo inspection", "created")

    def _decisions(self, request: InspectionRequest, spec: dict[str, Any], plan: ShipmentPlan,
                   seal: Seal | None) -> None:
        """Plan or inspection decision, then the seal verification's, each as the rules engine decides."""
        if plan.status not in DECIDED:
            return
        basis = "plan" if plan.status == "scheduled" else "inspection"
        decided_at = request.scheduled_at if basis == "plan" else plan.end + 5 * MIN
        first = self._decide(request, plan, "applied" if seal else None)
        if first.decision != spec.get("expect"):
            raise SeedError(f"{request.reference}: rules engine says {first.decision} ({first.reason_texts()}), "
                            f"demo data expects {spec.get('expect')}")
        decisions = [(first, basis, decided_at, None)]
        if seal is not None and seal.verified_at is not None:
            decisions.append((self._decide(request, plan, seal.status), "seal_verification", seal.verified_at,
                              seal.verified_by_id))
        for index, (decision, basis, at, by) in enumerate(decisions):
            self.session.add(self._decision_row(request, decision, basis, at, by, index == len(decisions) - 1))
            self.report.count("demo border decision", "created")

    def _decision_row(self, request: InspectionRequest, decision: mr.BorderDecision, basis: str, at: datetime,
                      by: int | None, current: bool) -> BorderDecision:
        rule = self.rules[(decision.rule, decision.rule_version)] if decision.waived else None
        return BorderDecision(
            request_id=request.id, decision=decision.decision, rule_id=rule.id if rule else None,
            rule_code=decision.rule, rule_version=decision.rule_version,
            reasons=[reason.as_dict() for reason in decision.reasons], basis=basis, decided_at=at,
            decided_by_id=by, current=current,
        )

    def _decide(self, request: InspectionRequest, plan: ShipmentPlan, seal: str | None) -> mr.BorderDecision:
        rules, agreements = engine_rules_and_agreements(self.session)
        return mr.decide(engine_shipment(self.session, request), plan.end, rules, agreements, seal=seal)

    @property
    def rules(self) -> dict[tuple[str, int], Rule]:
        if self._rules is None:
            self._rules = {(r.code, r.version): r for r in self.session.scalars(sa.select(Rule))}
        return self._rules

    def _port_officer_user(self, port: Site) -> int | None:
        return self.session.scalar(
            sa.select(Inspector.user_id).where(Inspector.home_site_id == port.id, Inspector.user_id.is_not(None))
            .order_by(Inspector.code).limit(1)
        )

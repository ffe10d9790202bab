"""One demo shipment's times, and its way through the live workflows to the status its story needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import BorderDecision, Inspection, Inspector, Shipment, Site, User
from ..border.border_result import apply_border_result
from ..border.inland_result import apply_result
from ..border.interceptions import Finding, record_interceptions
from ..border.verification import REINSTATED_BY_OFFICER, apply_verification, reinstate_required
from ..planning.plan_changes import Changes, Slot, apply_slots, scheduled_inspections
from ..recognition import app_reason, current_decision
from ..shipments.records import cancel_request
from .common import SeedError, SeedReport
from .reference import local_time
from .timeline import find_border_slot, find_joint_slot, next_open_slot, travel_minutes, workday

MIN = timedelta(minutes=1)
INSPECTED = ("inspected", "sealed", "at_border", "released", "rejected")
ARRIVED = ("at_border", "released")


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
    # A story of a republish: the first plan had the inspection here, the live plan moved it.
    first_start: datetime | None = None
    first_pair: list[Inspector] | None = None

    @property
    def end(self) -> datetime:
        return self.start + self.inspection_minutes * MIN

    @property
    def border_end(self) -> datetime | None:
        return self.border_start + self.border_minutes * MIN if self.border_start else None

    def request_times(self) -> dict[str, Any]:
        """The times the exporter gives: ready, at the port, crossing deadline (as written at the port)."""
        offset = self.cross_by.astimezone(self.port_zone).utcoffset()
        return {
            "ready": self.start - 120 * MIN, "arrive_port": self.arrive, "cross_by": self.cross_by,
            "cross_by_offset_minutes": int(offset.total_seconds() // 60), "requested_at": self.anchor,
        }


class ShipmentBuilder:
    """Plans demo shipments' times and takes them through the live workflows to their demo status."""

    def __init__(self, session: Session, report: SeedReport) -> None:
        self.session = session
        self.report = report

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
        if spec.get("moved_from"):
            plan.first_start, plan.first_pair = find_joint_slot(self.session, site, day, spec["moved_from"], minutes,
                                                                spec["commodity"])
        if status in ARRIVED and spec.get("expect") == "required":
            # The plan's decision requires the border inspection, so the plan books one.
            plan.border_start, plan.officer = find_border_slot(self.session, port, arrive, border_minutes)
        # Close to the crossing, as recognition rules ask (24 h is the strictest rule's limit).
        plan.cross_by = max(arrive + border_minutes * MIN, min(arrive + timedelta(hours=6), end + timedelta(hours=24)))
        if plan.border_end is not None:
            plan.cross_by = max(plan.cross_by, plan.border_end + 30 * MIN)
        return plan

    def record(self, shipment: Shipment, spec: dict[str, Any], plan: ShipmentPlan) -> None:
        """Take the shipment to its demo status through the live workflows, at the demo's times.

        The same steps an exporter, a coordinator, an inspector and an officer take in the app decide
        every status and border decision, so the demo cannot say what the app would not.
        """
        if plan.status == "requested":
            return
        coordinator = self._user("coordinator")
        slots = [Slot("joint_inland", shipment.sites[0].id, plan.start, plan.end, tuple(i.id for i in plan.pair))]
        if plan.border_start is not None:
            slots.append(Slot("border", shipment.port_id, plan.border_start, plan.border_end, (plan.officer.id,)))
        if plan.first_start is not None:
            # Published first at its earlier slot; the next publish moves it and the inspection keeps its id.
            first = Slot("joint_inland", shipment.sites[0].id, plan.first_start,
                         plan.first_start + plan.inspection_minutes * MIN, tuple(i.id for i in plan.first_pair))
            self._publish(shipment, [first], plan.anchor + 180 * MIN, coordinator)
            self._publish(shipment, slots, plan.anchor + timedelta(hours=20), coordinator)
        else:
            self._publish(shipment, slots, plan.anchor + 180 * MIN, coordinator)
        self.report.count("demo inspection", "created")
        inspections = scheduled_inspections(self.session, shipment)
        if plan.status == "cancelled":
            cancel_request(self.session, self._owner(shipment), shipment, shipment.version_id,
                           spec.get("status_reason"), now=plan.anchor + timedelta(days=1))
        elif plan.status in INSPECTED:
            inland = next(i for i in inspections if i.kind == "joint_inland")
            self._inspected(shipment, spec, plan, inland, coordinator)
        self.session.flush()
        self._check(shipment, spec)

    def _inspected(self, shipment: Shipment, spec: dict[str, Any], plan: ShipmentPlan, inland: Inspection,
                   coordinator: User) -> None:
        recorder = next((self.session.get(User, i.user_id) for i in plan.pair if i.user_id), None) or coordinator
        seals = [(spec["seal"]["number"], spec["seal"]["kind"])] if plan.has_seal else []
        first = apply_result(self.session, recorder, inland, spec["result"], spec.get("findings"), seals,
                             plan.end + 5 * MIN)
        self._expect(shipment, spec, first.decision)
        if plan.status in ARRIVED or spec.get("border_result"):
            self._at_the_border(shipment, spec, plan, self._port_officer(shipment.port) or coordinator)

    def _at_the_border(self, shipment: Shipment, spec: dict[str, Any], plan: ShipmentPlan, officer: User) -> None:
        """The truck at the port: its seals checked (or its inspection reinstated), then its border result."""
        # A late truck's story: it reached the port this many hours after its joint inspection.
        arrived = plan.end + timedelta(hours=spec["arrived_after_hours"]) if "arrived_after_hours" in spec \
            else plan.arrive + 15 * MIN
        if spec.get("reinstated"):
            reinstate_required(self.session, officer, shipment, [], "manual",
                               [app_reason(REINSTATED_BY_OFFICER, reason=spec["reinstated"])], arrived - 2 * 60 * MIN,
                               status_reason=spec["reinstated"])
        else:
            found = spec.get("seal", {}).get("at_border")
            observations = {spec["seal"]["number"]: found} if found else {}
            apply_verification(self.session, officer, shipment, observations, [], arrived + 10 * MIN, arrived)
        if not spec.get("border_result") or shipment.status != "at_border":
            return
        done = (plan.border_end or arrived + 60 * MIN) + 5 * MIN
        findings = spec.get("border_findings", "No pests found; load released.")
        apply_border_result(self.session, officer, shipment, spec["border_result"], findings, done,
                            pests_found=bool(spec.get("interceptions")))
        if spec.get("interceptions"):
            record_interceptions(self.session, officer, shipment, [Finding(**item) for item in spec["interceptions"]],
                                 now=done + 5 * MIN)

    def _publish(self, shipment: Shipment, slots: list[Slot], at: datetime, coordinator: User) -> None:
        changes = Changes()
        apply_slots(self.session, coordinator, shipment, slots, at, changes)
        changes.take_bookings(self.session)

    def _expect(self, shipment: Shipment, spec: dict[str, Any], decision: BorderDecision) -> None:
        """The demo data says which decision its story needs; the live workflow must agree."""
        if spec.get("expect") and decision.decision != spec["expect"]:
            raise SeedError(f"{shipment.reference}: the workflow decided {decision.decision} "
                            f"({decision.reasons}), the demo data expects {spec['expect']}")

    def _check(self, shipment: Shipment, spec: dict[str, Any]) -> None:
        if shipment.status != spec["status"]:
            raise SeedError(f"{shipment.reference}: the workflow left it {shipment.status}, "
                            f"the demo data says {spec['status']}")
        decision = current_decision(self.session, shipment)
        if spec["status"] == "scheduled" and decision is not None:
            self._expect(shipment, spec, decision)
        if decision is not None:
            self.report.count("demo border decision", "created")

    def _user(self, username: str) -> User:
        user = self.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            raise SeedError(f"demo account {username!r} is missing: seed the demo accounts first")
        return user

    def _owner(self, shipment: Shipment) -> User:
        return self.session.scalar(sa.select(User).where(User.exporter_id == shipment.exporter_id)
                                   .order_by(User.username).limit(1))

    def _port_officer(self, port: Site) -> User | None:
        return self.session.scalar(
            sa.select(User).join(Inspector, Inspector.user_id == User.id)
            .where(Inspector.home_site_id == port.id, User.role == "officer").order_by(Inspector.code).limit(1))

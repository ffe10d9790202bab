"""Seeding: idempotent, consistent demo data in every status, demo accounts only for a demo."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth import passwords
from app.auth.passwords import verify_password
from app.models import (
    Agreement, Base, BorderDecision, Certification, Exporter, Inspection, Shipment, Inspector, InspectorBooking,
    Milestone, Rule, Seal, Site, User,
)
from app.models.shipment import SHIPMENT_STATUSES
from app.services import recognition
from app.services.shipments import lifecycle
from app.services.seeding import seed

TODAY = date(2027, 3, 10)  # a Wednesday; DST starts in the US on 14 March, Mexico has none
DEMO_PASSWORD = "jointinspect-demo"


_hashes: dict[str, str] = {}


def hash_once(password: str) -> str:
    """Argon2 is slow by design: hash each distinct password once for the whole run, really."""
    return _hashes.setdefault(password, passwords.hash_password(password))


@pytest.fixture(scope="module")
def demo(engine) -> Iterator[Session]:
    """The demo seed, loaded once for this module in a transaction rolled back at its end."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("app.services.access.users.hash_password", hash_once)
        seed(session, demo_accounts=True, today=TODAY)
    session.commit()
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture(autouse=True)
def undo_changes(demo: Session) -> Iterator[None]:
    """Whatever a test seeds on top of the demo is rolled back, so the tests stay independent."""
    yield
    demo.rollback()


def row_counts(session) -> dict[str, int]:
    return {
        table.name: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in Base.metadata.sorted_tables
    }


def all_rows(session, model):
    return session.scalars(sa.select(model)).all()


def test_seeding_twice_changes_and_duplicates_nothing(demo):
    before = row_counts(demo)
    report = seed(demo, demo_accounts=True, today=TODAY)
    demo.flush()
    assert not report.changed, report.summary()
    assert row_counts(demo) == before
    assert before["inspection_requests"] >= 16 and before["shifts"] > 500


def test_sites_have_real_zones_and_the_published_hours(demo):
    sites = {s.code: s for s in all_rows(demo, Site)}
    otay = sites["US-OTAY"]
    assert otay.timezone == "America/Los_Angeles" and otay.lat == pytest.approx(32.5517)
    assert [(h.days, h.open_time, h.close_time) for h in otay.hours] == [
        (["mon", "tue", "wed", "thu", "fri"], "06:00", "19:00"), (["sat", "sun"], "08:00", "14:00")]
    uruapan = sites["MX-URUAPAN"]
    assert uruapan.kind == "inland" and uruapan.timezone == "America/Mexico_City" and uruapan.inspects("avocado")
    assert not uruapan.inspects("grape")
    assert sites["US-MCALLEN-JIS"].kind == "inland" and sites["US-MCALLEN-JIS"].country == "US"


def test_shifts_are_eight_hours_at_local_start_times_this_week_and_next(demo):
    inspector = demo.scalar(sa.select(Inspector).where(Inspector.code == "APHIS-URU-01"))
    zone = ZoneInfo(inspector.home_site.timezone)
    starts = {s.start.astimezone(zone) for s in inspector.shifts}
    next_friday = TODAY + timedelta(days=9)
    assert datetime(TODAY.year, TODAY.month, TODAY.day, 6, 0, tzinfo=zone) in starts
    assert datetime(next_friday.year, next_friday.month, next_friday.day, 6, 0, tzinfo=zone) in starts
    assert all(s.end - s.start == timedelta(hours=8) and s.start.tzinfo is not None for s in inspector.shifts)
    # Pharr is on US daylight time from 14 March: the 06:00 local start moves in UTC, not in local time.
    officer = demo.scalar(sa.select(Inspector).where(Inspector.code == "CBP-PHR-01"))
    utc_hours = {s.start.hour for s in officer.shifts}
    assert utc_hours == {11, 12}
    assert {s.start.astimezone(ZoneInfo("America/Chicago")).hour for s in officer.shifts} == {6}


def test_agreement_rules_versions_and_joint_work_plan(demo):
    rules = {(r.code, r.version): r for r in all_rows(demo, Rule)}
    assert rules[("MR-AVO-01", 1)].superseded_at is not None and rules[("MR-AVO-01", 3)].superseded_at is None
    assert rules[("MR-AVO-01", 2)].requires_certifications == ["OEA"]
    assert rules[("MR-AVO-01", 3)].requires_recognised_status and rules[("MR-AVO-01", 3)].max_hours_before_crossing == 48
    assert rules[("MR-TOM-01", 1)].ports == ["US-NOGALES"] and rules[("MR-TOM-01", 1)].max_hours_before_crossing == 24
    # CTPAT alone was asked until the rule recognised OEA as well: CBP and SAT recognise each other since 2014.
    assert rules[("MR-TOM-01", 2)].requires_recognised_status and rules[("MR-TOM-01", 2)].requires_certifications == []
    assert any(not r.active for r in rules.values())
    milestones = all_rows(demo, Milestone)
    assert {m.status for m in milestones} >= {"done", "in_progress", "planned"}
    assert any(m.overdue(TODAY) for m in milestones) and all(m.title_es for m in milestones)
    agricultural = demo.scalar(sa.select(Agreement).where(Agreement.code == "MR-APHIS-SENASICA-2024"))
    metrics = {m.metric: m for m in agricultural.measures}
    assert set(metrics) == {"waived_share", "border_inspections_avoided", "inspector_hours_avoided",
                            "median_hours_to_inspection", "seal_exception_rate", "interception_rate_gap"}
    assert metrics["seal_exception_rate"].direction == "at_most"
    assert all(m.baseline is not None and m.baseline_note for m in metrics.values())


def test_one_certificate_expires_soon(demo):
    soon = [c for c in all_rows(demo, Certification)
            if c.valid_until is not None and c.valid_until <= TODAY + timedelta(days=30)]
    assert len(soon) == 1 and soon[0].valid_until >= TODAY


def test_every_status_is_present(demo):
    statuses = Counter(r.status for r in all_rows(demo, Shipment))
    assert set(statuses) == set(SHIPMENT_STATUSES)


def test_shipment_records_match_their_status(demo):
    for request in all_rows(demo, Shipment):
        inspections = demo.scalars(sa.select(Inspection).where(Inspection.request_id == request.id)).all()
        inland = [i for i in inspections if i.kind == "joint_inland"]
        seals = demo.scalars(sa.select(Seal).where(Seal.request_id == request.id)).all()
        where = f"{request.reference} ({request.status})"
        assert request.ready < request.arrive_port <= request.cross_by, where
        if request.status == "requested":
            assert not inspections, where
            continue
        assert len(inland) == 1 and request.scheduled_at is not None, where
        agencies = sorted(b.inspector.agency for b in inland[0].bookings)
        assert agencies == ["APHIS", "SENASICA"], where
        assert inland[0].site.kind == "inland" and inland[0].site.inspects(request.commodity_code), where
        if request.status in ("inspected", "sealed", "at_border", "released", "rejected"):
            assert inland[0].status == "done" and inland[0].result and request.inspected_at, where
        if request.status in ("sealed", "at_border", "released"):
            assert request.status != "sealed" or seals, where
            assert all(s.events and s.events[0].kind == "applied" for s in seals), where
        if request.status == "released":
            assert request.released_at is not None, where
        offset = request.cross_by.astimezone(ZoneInfo(request.port.timezone)).utcoffset()
        assert request.cross_by_offset_minutes == offset.total_seconds() // 60, where


def test_waived_decisions_name_their_rule_and_required_ones_say_why(demo):
    decisions = all_rows(demo, BorderDecision)
    waived = [d for d in decisions if d.decision == "waived"]
    required = [d for d in decisions if d.decision == "required"]
    assert waived and required
    assert all(d.rule_id and d.rule.code == d.rule_code and d.rule.version == d.rule_version for d in waived)
    for decision in required:
        assert decision.reasons and all({"code", "params", "rule"} <= set(r) for r in decision.reasons)
    current = Counter(d.request_id for d in decisions if d.current)
    assert max(current.values()) == 1


def test_a_broken_seal_reinstates_the_border_inspection(demo):
    broken = demo.scalars(sa.select(Seal).where(Seal.status == "broken")).all()
    assert broken
    seal = broken[0]
    decision = demo.scalar(sa.select(BorderDecision).where(
        BorderDecision.request_id == seal.request_id, BorderDecision.current))
    assert decision.decision == "required" and decision.basis == "seal_verification"
    assert decision.reasons[0]["code"] == "seal_broken"
    assert demo.get(Shipment, seal.request_id).status == "at_border"  # in the port's queue
    assert seal.verified_at >= seal.applied_at and seal.number not in {s.number for s in broken[1:]}


def test_every_demo_decision_is_what_the_live_door_decides(demo):
    """The demo went through the app's workflows: recomputing each current decision gives it back."""
    checked = 0
    for shipment in all_rows(demo, Shipment):
        stored = recognition.current_decision(demo, shipment)
        if stored is None:
            assert shipment.status == "requested", shipment.reference
            continue
        if stored.basis == "plan":  # on the planned end (a cancelled shipment's inspection was cancelled too)
            inland = demo.scalars(sa.select(Inspection).where(Inspection.request_id == shipment.id,
                                                              Inspection.kind == "joint_inland")).one()
            live = recognition.planned_decision(demo, shipment, inland.end)
        else:
            live = recognition.recorded_decision(demo, shipment)
        live_reasons = [reason.as_dict() for reason in live.reasons]
        # A seal problem found at the border, or the officer's reinstatement, is recorded beside the rules'
        # reasons and requires the inspection.
        extra = [reason for reason in stored.reasons if reason not in live_reasons]
        where = f"{shipment.reference} ({shipment.status}, {stored.basis})"
        if extra:
            assert stored.decision == "required" and all(
                r["code"].startswith("seal_") or r["code"] == "reinstated_by_officer" for r in extra), where
        else:
            assert (stored.decision, stored.rule_code, stored.rule_version) == (
                live.decision, live.rule, live.rule_version), where
            assert stored.reasons == live_reasons, where
        checked += 1
    assert checked >= 15


def test_no_inspector_is_booked_twice_at_once(demo):
    bookings = sorted(
        (b for b in all_rows(demo, InspectorBooking) if b.active), key=lambda b: (b.inspector_id, b.start))
    for earlier, later in zip(bookings, bookings[1:]):
        if earlier.inspector_id == later.inspector_id:
            assert later.start >= earlier.end, f"inspector {earlier.inspector_id} double-booked"
    for booking in bookings:
        assert any(s.start <= booking.start and booking.end <= s.end for s in booking.inspector.shifts)


def test_demo_accounts_one_per_role_with_the_demo_password(demo):
    users = {u.username: u for u in all_rows(demo, User)}
    expected = {"exporter": "exporter", "exporter2": "exporter", "coordinator": "coordinator",
                "inspector": "inspector", "officer": "officer", "supervisor": "supervisor", "admin": "admin"}
    assert {name: u.role for name, u in users.items()} == expected
    assert all(verify_password(stored, DEMO_PASSWORD) for stored in {u.password_hash for u in users.values()})
    assert users["exporter"].exporter_id != users["exporter2"].exporter_id
    assert users["coordinator"].agency == "APHIS"


def test_demo_inspector_and_officer_have_their_site_and_work(demo):
    users = {u.username: u for u in all_rows(demo, User)}
    inspector = demo.scalar(sa.select(Inspector).where(Inspector.user_id == users["inspector"].id))
    assert inspector.agency == "APHIS" and inspector.home_site.code == "MX-URUAPAN"
    monday = TODAY - timedelta(days=TODAY.weekday())
    this_week = [b for b in demo.scalars(sa.select(InspectorBooking).where(
        InspectorBooking.inspector_id == inspector.id, InspectorBooking.active))
        if monday <= b.start.date() < monday + timedelta(days=7)]
    assert any(b.start.date() == TODAY for b in this_week)
    officer = demo.scalar(sa.select(Inspector).where(Inspector.user_id == users["officer"].id))
    assert officer.agency == "CBP" and officer.home_site.code == "US-PHARR"
    queue = demo.scalars(sa.select(Shipment).where(
        Shipment.port_id == officer.home_site_id,
        Shipment.status.in_(("scheduled", "inspected", "sealed", "at_border")))).all()
    assert len(queue) >= 4


def test_exporters_own_shipments_in_several_statuses(demo):
    def statuses(username):
        user = demo.scalar(sa.select(User).where(User.username == username))
        return {r.status for r in demo.scalars(
            sa.select(Shipment).where(Shipment.exporter_id == user.exporter_id))}

    assert len(statuses("exporter")) >= 6
    assert len(statuses("exporter2")) >= 2


def test_reseeding_on_a_later_day_moves_the_demo_without_duplicates(demo):
    def demo_shipments():
        return {r.reference: r.ready for r in all_rows(demo, Shipment) if r.reference.startswith("JI-DEMO-")}

    before = demo_shipments()
    seal_count = len(all_rows(demo, Seal))
    seed(demo, demo_accounts=True, today=TODAY + timedelta(days=7))
    demo.flush()
    after = demo_shipments()
    assert set(after) == set(before)
    assert all(after[ref] - before[ref] >= timedelta(days=5) for ref in before)
    assert len(all_rows(demo, Seal)) == seal_count
    assert len(all_rows(demo, Exporter)) == 10


def test_reseeding_the_same_day_keeps_what_users_did_to_demo_shipments(demo):
    request = demo.scalar(sa.select(Shipment).where(Shipment.reference == "JI-DEMO-002"))
    lifecycle.take(demo, None, request, "cancel", request.requested_at + timedelta(hours=1),
                   reason="exporter cancelled in the demo")
    demo.flush()
    seed(demo, demo_accounts=True, today=TODAY)
    demo.flush()
    demo.refresh(request)
    assert request.status == "cancelled" and request.status_reason == "exporter cancelled in the demo"


def test_the_demo_queue_gives_the_optimizer_a_week_of_requests(demo):
    queue = [r for r in all_rows(demo, Shipment) if r.reference.startswith("JI-Q")]
    assert len(queue) >= 50
    assert {r.status for r in queue} == {"requested"}
    assert len({r.commodity_code for r in queue}) >= 5
    assert all(r.ready < r.arrive_port < r.cross_by for r in queue)
    assert all(r.ready.date() > TODAY - timedelta(days=1) for r in queue)

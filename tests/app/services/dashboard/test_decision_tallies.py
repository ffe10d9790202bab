"""The daily tallies the dashboard reads stay equal to the one definition of an avoided border inspection."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from app.models import BorderDecision, DecisionTally
from app.services.dashboard import avoided
from app.services.dashboard.cube import build_cube
from app.services.dashboard.periods import period_containing
from app.services.shipments import lifecycle
from tests.factories import make_commodity, make_decision, make_shipment, make_site

MARCH = period_containing("month", date(2027, 3, 15))


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2027, 3, day, hour, tzinfo=timezone.utc)


def tallies(session) -> dict[tuple, tuple[int, int, int]]:
    session.flush()
    rows = session.execute(sa.select(DecisionTally.day, DecisionTally.port_id, DecisionTally.commodity_code,
                                     DecisionTally.waived, DecisionTally.required, DecisionTally.waived_minutes))
    return {(day, port, commodity): (w, r, m) for day, port, commodity, w, r, m in rows if w or r or m}


def definition(session) -> dict[tuple, tuple[int, int, int]]:
    session.flush()
    return {key: (t.waived, t.required, t.waived_minutes) for key, t in avoided.realised_from_records(session).items()}


def crossed(session, shipment, decision: str, day: datetime, basis: str = "seal_verification"):
    """A shipment sealed after its inspection, then checked at the border on `day` with this decision."""
    make_decision(session, shipment, "waived", basis="inspection", decided_at=day - timedelta(hours=20))
    for row in session.scalars(sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id)):
        row.current = False
    make_decision(session, shipment, decision, basis=basis, decided_at=day)
    lifecycle.take(session, None, shipment, "release" if decision == "waived" else "queue_at_border", day)
    if decision != "waived":
        lifecycle.take(session, None, shipment, "release", day + timedelta(hours=2))


def test_a_truck_counts_when_it_is_released_not_when_its_plan_or_inspection_waived_it(db_session):
    port = make_site(db_session, kind="port", code="US-PHARR-T")
    on_its_way = make_shipment(db_session, port=port, status="sealed")
    make_decision(db_session, on_its_way, "waived", basis="inspection", decided_at=at(2))
    assert tallies(db_session) == {}
    released = make_shipment(db_session, port=port, status="sealed", border_inspection_minutes=45)
    crossed(db_session, released, "waived", datetime(2027, 3, 3, 23, 30, tzinfo=timezone.utc))
    assert tallies(db_session) == {(date(2027, 3, 3), port.id, released.commodity_code): (1, 0, 45)}
    assert tallies(db_session) == definition(db_session)


def test_a_truck_inspected_at_the_border_counts_as_required_on_its_release_day(db_session):
    port = make_site(db_session, kind="port", code="US-PHARR-T")
    shipment = make_shipment(db_session, port=port, status="sealed", border_inspection_minutes=60)
    crossed(db_session, shipment, "required", at(4, 20))
    assert tallies(db_session) == {(date(2027, 3, 4), port.id, shipment.commodity_code): (0, 1, 0)}
    turned_back = make_shipment(db_session, port=port, status="sealed")
    make_decision(db_session, turned_back, "required", basis="seal_verification", decided_at=at(6))
    lifecycle.take(db_session, None, turned_back, "queue_at_border", at(6))
    lifecycle.take(db_session, None, turned_back, "reject_at_border", at(7), reason="live larvae")
    rejected_inland = make_shipment(db_session, port=port, status="scheduled")
    make_decision(db_session, rejected_inland, "required", basis="inspection", decided_at=at(6))
    lifecycle.take(db_session, None, rejected_inland, "reject", at(6))
    assert tallies(db_session)[(date(2027, 3, 7), port.id, turned_back.commodity_code)] == (0, 1, 0)
    assert tallies(db_session) == definition(db_session)


def test_editing_or_deleting_decisions_and_shipments_keeps_the_tallies_equal(db_session):
    pharr = make_site(db_session, kind="port", code="US-PHARR-T")
    nogales = make_site(db_session, kind="port", code="US-NOGALES-T")
    lime = make_commodity(db_session, "lime")
    moved = make_shipment(db_session, port=pharr, status="sealed", border_inspection_minutes=30)
    crossed(db_session, moved, "waived", at(5))
    kept = make_shipment(db_session, port=pharr, status="sealed", border_inspection_minutes=40)
    crossed(db_session, kept, "waived", at(5))
    deleted = make_shipment(db_session, port=nogales, status="sealed", border_inspection_minutes=50)
    crossed(db_session, deleted, "required", at(6))

    moved.released_at = at(7)
    moved.port, moved.commodity, moved.border_inspection_minutes = nogales, lime, 35
    db_session.flush()
    assert tallies(db_session)[(date(2027, 3, 7), nogales.id, "lime")] == (1, 0, 35)
    assert tallies(db_session) == definition(db_session)

    db_session.delete(deleted)
    db_session.flush()
    assert tallies(db_session) == definition(db_session)
    db_session.execute(sa.delete(BorderDecision).where(BorderDecision.request_id == moved.id))
    assert tallies(db_session) == definition(db_session)
    assert tallies(db_session)[(date(2027, 3, 5), pharr.id, kept.commodity_code)] == (1, 0, 40)


def test_measures_dashboard_and_forecast_read_the_same_numbers(db_session):
    port = make_site(db_session, kind="port", code="US-PHARR-T")
    for day, decision, minutes in ((1, "waived", 45), (9, "waived", 60), (10, "required", 50), (31, "waived", 75)):
        shipment = make_shipment(db_session, port=port, status="sealed", border_inspection_minutes=minutes)
        crossed(db_session, shipment, decision, at(day, 21))
    expected = make_shipment(db_session, port=port, status="sealed", cross_by=at(20), ready=at(18))
    make_decision(db_session, expected, "waived", basis="inspection", decided_at=at(19))
    db_session.flush()

    totals = avoided.realised(db_session, MARCH)
    assert (totals.waived, totals.required, totals.waived_minutes) == (3, 1, 180)
    cube = build_cube(db_session, MARCH)
    assert (cube.waived, cube.required, cube.inspector_hours) == (3, 1, 3.0)
    assert [(row.key, row.waived, row.required) for row in cube.by("port")] == [("US-PHARR-T", 3, 1)]
    forecast = avoided.forecast(db_session, MARCH, now=at(15))
    assert (forecast.waived, forecast.required) == (1, 0)
    assert avoided.forecast(db_session, MARCH, now=at(21)).waived == 0  # past its deadline: no longer expected

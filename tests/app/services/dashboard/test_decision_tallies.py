"""The daily decision tallies the dashboard reads stay equal to the decisions, whatever changes them."""

from __future__ import annotations

from datetime import date, datetime, timezone

import sqlalchemy as sa

from app.models import BorderDecision, DecisionTally, Shipment
from app.services.agreements import measures as metrics
from app.services.dashboard.cube import build_cube
from app.services.agreements.measures import period_containing
from tests.factories import make_commodity, make_decision, make_shipment, make_site

RECORDED = ("inspection", "seal_verification", "seal_event", "manual")
MARCH = period_containing("month", date(2027, 3, 15))


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2027, 3, day, hour, tzinfo=timezone.utc)


def recount(session) -> dict[tuple, tuple[int, int, int]]:
    """The tallies worked out again from every current recorded decision, the slow way."""
    counts: dict[tuple, list[int]] = {}
    query = (sa.select(BorderDecision.decided_at, BorderDecision.decision, Shipment.port_id,
                       Shipment.commodity_code, Shipment.border_inspection_minutes)
             .join(Shipment, Shipment.id == BorderDecision.request_id)
             .where(BorderDecision.current, BorderDecision.basis.in_(RECORDED)))
    for decided_at, decision, port_id, commodity, minutes in session.execute(query):
        day = decided_at.astimezone(timezone.utc).date()
        cell = counts.setdefault((day, port_id, commodity), [0, 0, 0])
        if decision == "waived":
            cell[0] += 1
            cell[2] += minutes
        else:
            cell[1] += 1
    return {key: tuple(value) for key, value in counts.items()}


def tallies(session) -> dict[tuple, tuple[int, int, int]]:
    session.flush()
    rows = session.execute(sa.select(DecisionTally.day, DecisionTally.port_id, DecisionTally.commodity_code,
                                     DecisionTally.waived, DecisionTally.required, DecisionTally.waived_minutes))
    return {(day, port, commodity): (w, r, m) for day, port, commodity, w, r, m in rows if w or r or m}


def test_a_recorded_decision_is_counted_on_its_utc_day_and_a_forecast_is_not(db_session):
    port = make_site(db_session, kind="port", code="US-PHARR-T")
    request = make_shipment(db_session, port=port, border_inspection_minutes=45)
    make_decision(db_session, request, "required", basis="plan", decided_at=at(2))
    make_decision(db_session, request, "waived", decided_at=datetime(2027, 3, 3, 23, 30, tzinfo=timezone.utc))
    assert tallies(db_session)[(date(2027, 3, 3), port.id, request.commodity_code)] == (1, 0, 45)
    assert (date(2027, 3, 2), port.id, request.commodity_code) not in tallies(db_session)
    assert tallies(db_session) == recount(db_session)


def test_superseding_a_decision_moves_it_between_days_and_outcomes(db_session):
    port = make_site(db_session, kind="port", code="US-PHARR-T")
    request = make_shipment(db_session, port=port, border_inspection_minutes=60)
    first = make_decision(db_session, request, "waived", decided_at=at(2))
    first.current = False
    make_decision(db_session, request, "required", basis="seal_verification", decided_at=at(4))
    counted = tallies(db_session)
    assert (date(2027, 3, 2), port.id, request.commodity_code) not in counted
    assert counted[(date(2027, 3, 4), port.id, request.commodity_code)] == (0, 1, 0)
    assert counted == recount(db_session)


def test_editing_or_deleting_decisions_and_requests_keeps_the_tallies_equal(db_session):
    pharr = make_site(db_session, kind="port", code="US-PHARR-T")
    nogales = make_site(db_session, kind="port", code="US-NOGALES-T")
    lime = make_commodity(db_session, "lime")
    moved = make_shipment(db_session, port=pharr, border_inspection_minutes=30)
    decision = make_decision(db_session, moved, "waived", decided_at=at(5))
    kept = make_shipment(db_session, port=pharr, border_inspection_minutes=40)
    make_decision(db_session, kept, "waived", decided_at=at(5))
    deleted = make_shipment(db_session, port=nogales, border_inspection_minutes=50)
    make_decision(db_session, deleted, "required", decided_at=at(6))

    decision.decided_at = at(7)
    moved.port, moved.commodity, moved.border_inspection_minutes = nogales, lime, 35
    db_session.flush()
    assert tallies(db_session)[(date(2027, 3, 7), nogales.id, "lime")] == (1, 0, 35)
    assert tallies(db_session) == recount(db_session)

    db_session.delete(deleted)
    db_session.flush()
    assert (date(2027, 3, 6), nogales.id, deleted.commodity_code) not in tallies(db_session)
    db_session.execute(sa.delete(BorderDecision).where(BorderDecision.request_id == moved.id))
    assert tallies(db_session) == recount(db_session)
    assert tallies(db_session)[(date(2027, 3, 5), pharr.id, kept.commodity_code)] == (1, 0, 40)


def test_measures_and_dashboard_read_the_same_numbers_as_the_decisions(db_session):
    port = make_site(db_session, kind="port", code="US-PHARR-T")
    for day, decision, minutes in ((1, "waived", 45), (9, "waived", 60), (10, "required", 50), (31, "waived", 75)):
        make_decision(db_session, make_shipment(db_session, port=port, border_inspection_minutes=minutes),
                      decision, decided_at=at(day, 23))
    replaced = make_decision(db_session, make_shipment(db_session, port=port, border_inspection_minutes=90),
                             "waived", decided_at=at(12))
    replaced.current = False
    db_session.flush()

    totals = metrics.decision_totals(db_session, MARCH)
    assert (totals.waived, totals.required, totals.waived_minutes) == (3, 1, 180)
    cube = build_cube(db_session, MARCH)
    assert (cube.waived, cube.required, cube.inspector_hours) == (3, 1, 3.0)
    assert [(row.key, row.waived, row.required) for row in metrics.avoided_by(db_session, MARCH, "port")] == [
        ("US-PHARR-T", 3, 1)]
    assert cube.by("week") == metrics.avoided_by(db_session, MARCH, "week")

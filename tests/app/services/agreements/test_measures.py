"""Performance measures computed from made-up recorded data, against values worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from app.services.agreements import measures as metrics
from app.services.dashboard.cube import build_cube
from app.services.dashboard.periods import Period, period_between, period_containing
import sqlalchemy as sa

from app.models import BorderDecision, Shipment
from tests.factories import (
    make_agreement, make_commodity, make_decision, make_inspection, make_measure, make_released, make_rule,
    make_seal, make_shipment, make_site,
)

MARCH = period_containing("month", date(2027, 3, 15))


def at(day: int, hour: int = 12, month: int = 3) -> datetime:
    return datetime(2027, month, day, hour, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("kind", "on", "first", "last"), [
    ("week", date(2027, 3, 3), date(2027, 3, 1), date(2027, 3, 7)),
    ("week", date(2027, 3, 7), date(2027, 3, 1), date(2027, 3, 7)),
    ("month", date(2027, 2, 10), date(2027, 2, 1), date(2027, 2, 28)),
    ("month", date(2028, 2, 29), date(2028, 2, 1), date(2028, 2, 29)),
    ("quarter", date(2027, 5, 20), date(2027, 4, 1), date(2027, 6, 30)),
    ("quarter", date(2027, 12, 31), date(2027, 10, 1), date(2027, 12, 31)),
    ("year", date(2027, 7, 4), date(2027, 1, 1), date(2027, 12, 31)),
])
def test_calendar_periods(kind, on, first, last):
    period = period_containing(kind, on)
    assert (period.first, period.last) == (first, last)
    assert period.end - period.start == timedelta(days=(last - first).days + 1)


def test_explicit_period_must_not_end_before_it_starts():
    with pytest.raises(ValueError):
        period_between(date(2027, 3, 2), date(2027, 3, 1))


@pytest.fixture
def decisions(db_session):
    """Released in March: 3 without a border inspection (45, 60, 75 border minutes) and 1 after one;
    noise outside March or still on its way."""
    pharr = make_site(db_session, kind="port", code="US-PHARR-T", name="Pharr")
    nogales = make_site(db_session, kind="port", code="US-NOGALES-T", name="Nogales")
    lime = make_commodity(db_session, "lime")
    rows = [(pharr, None, 45, "waived", at(1)), (pharr, lime, 60, "waived", at(9)),
            (nogales, None, 75, "waived", at(31, 23)), (nogales, lime, 50, "required", at(10))]
    for port, commodity, minutes, decision, day in rows:
        make_released(db_session, day, decision, port=port, commodity=commodity, border_inspection_minutes=minutes)
    make_released(db_session, at(1, 0, month=4), "waived", port=pharr, border_inspection_minutes=90)
    on_its_way = make_shipment(db_session, port=pharr, border_inspection_minutes=90, status="sealed")
    make_decision(db_session, on_its_way, "waived", basis="inspection", decided_at=at(2))


def test_waived_share_is_three_of_four(db_session, decisions):
    value = metrics.waived_share(db_session, MARCH)
    assert value.value == 75.0 and value.unit == "%"
    assert value.numbers == {"waived": 3, "required": 1, "decided": 4, "share": 0.75}


def test_border_inspections_and_hours_avoided(db_session, decisions):
    assert metrics.border_inspections_avoided(db_session, MARCH).value == 3
    hours = metrics.inspector_hours_avoided(db_session, MARCH)
    assert hours.value == 3.0  # (45 + 60 + 75) / 60
    assert hours.numbers == {"waived": 3, "border_inspection_minutes": 180}


def test_nothing_recorded_means_no_value(db_session):
    empty = Period("custom", date(2001, 1, 1), date(2001, 1, 31))
    for metric in metrics.METRICS:
        assert metrics.compute(db_session, metric, empty).value in (None, 0)
    assert metrics.waived_share(db_session, empty).value is None


def _requested_then_inspected(db_session, requested: datetime, hours: float, **fields):
    request = make_shipment(db_session, requested_at=requested)
    return make_inspection(db_session, request, start=requested + timedelta(hours=hours), **fields)


def test_median_hours_from_request_to_joint_inspection(db_session):
    for day, hours in ((2, 2), (3, 10), (4, 30), (5, 20)):
        _requested_then_inspected(db_session, at(day), hours)
    _requested_then_inspected(db_session, at(6), 500, status="scheduled", result=None)  # not done
    _requested_then_inspected(db_session, at(6), 700, kind="border")  # not the joint inspection
    _requested_then_inspected(db_session, at(20, month=2), 1.0)  # started in February
    value = metrics.median_hours_to_inspection(db_session, MARCH)
    assert value.value == 15.0  # median of 2, 10, 20, 30
    assert value.numbers["inspections"] == 4
    _requested_then_inspected(db_session, at(7), 4.5)
    assert metrics.median_hours_to_inspection(db_session, MARCH).value == 10.0  # 2, 4.5, 10, 20, 30


def test_median_counts_a_request_once_at_its_first_inspection(db_session):
    inspection = _requested_then_inspected(db_session, at(2), 6)
    make_inspection(db_session, inspection.request, start=at(2) + timedelta(hours=40))
    assert metrics.median_hours_to_inspection(db_session, MARCH).value == 6.0


def test_seal_exception_rate(db_session):
    inspection = _requested_then_inspected(db_session, at(2), 3)
    for status in ("broken", "mismatch", "intact", "intact"):
        make_seal(db_session, inspection, status, verified_at=at(5))
    make_seal(db_session, inspection, "missing", verified_at=at(5, month=4))  # April
    make_seal(db_session, inspection, "applied")  # not checked yet
    value = metrics.seal_exception_rate(db_session, MARCH)
    assert value.value == 50.0
    assert (value.numbers["exceptions"], value.numbers["checked"], value.numbers["broken"]) == (2, 4, 1)


def test_performance_counts_the_agreements_own_waivers_among_its_eligible_shipments(db_session, decisions):
    agreement = make_agreement(db_session, effective_from=date(2027, 1, 1))
    rule = make_rule(db_session, agreement, commodities=["avocado", "lime"], valid_from=date(2027, 1, 1))
    # Two of March's three waivers were under this agreement's rule; the third under another agreement's.
    ours = sa.select(Shipment.id).where(Shipment.released_at.in_([at(1), at(9)]))
    for decision in db_session.scalars(sa.select(BorderDecision).where(BorderDecision.request_id.in_(ours))):
        decision.rule_id, decision.rule_code = rule.id, rule.code
    db_session.flush()
    make_measure(db_session, agreement, "waived_share", target=60, direction="at_least")
    make_measure(db_session, agreement, "border_inspections_avoided", target=400, unit="inspections")
    make_measure(db_session, agreement, "seal_exception_rate", target=2, direction="at_most", period="quarter")
    results = {r.measure.metric: r for r in metrics.performance(db_session, date(2027, 3, 15), agreement)}
    # Eligible: the four March crossings of avocado or lime, whichever rule (or none) decided them.
    assert (results["waived_share"].value, results["waived_share"].met) == (50.0, False)
    assert results["waived_share"].numbers == {"waived": 2, "required": 2, "decided": 4, "share": 0.5}
    assert (results["border_inspections_avoided"].value, results["border_inspections_avoided"].met) == (2, False)
    assert results["seal_exception_rate"].met is None  # no seal checked: neither met nor missed
    assert results["seal_exception_rate"].period.first == date(2027, 1, 1)
    row = results["waived_share"].as_dict()
    assert row["period"] == {"kind": "month", "from": "2027-03-01", "to": "2027-03-31"}
    assert row["numbers"]["share"] == 0.5


def test_a_second_agreement_shows_its_own_numbers(db_session, decisions):
    lime_only = make_agreement(db_session, effective_from=date(2027, 1, 1))
    make_rule(db_session, lime_only, commodities=["lime"], ports=["US-NOGALES-T"], valid_from=date(2027, 1, 1))
    make_rule(db_session, lime_only, commodities=["avocado"], active=False, valid_from=date(2027, 1, 1))
    make_measure(db_session, lime_only, "waived_share", baseline=0, baseline_note="2026 season")
    [result] = metrics.performance(db_session, date(2027, 3, 15), lime_only, trend=3)
    # Only the lime crossing at Nogales matched an active rule of it; none was waived under it.
    assert result.numbers == {"waived": 0, "required": 1, "decided": 1, "share": 0.0}
    assert [p.first for p, _value in result.trend] == [date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)]
    assert [value for _p, value in result.trend] == [None, None, 0.0]
    assert result.as_dict()["baseline"] == 0 and result.as_dict()["baseline_note"] == "2026 season"


def test_an_agreement_not_yet_in_force_has_no_eligible_shipment(db_session, decisions):
    later = make_agreement(db_session, effective_from=date(2027, 4, 1))
    make_rule(db_session, later, commodities=["avocado", "lime"], valid_from=date(2027, 1, 1))
    value = metrics.waived_share(db_session, MARCH, metrics.Scope(later))
    assert value.value is None and value.numbers["decided"] == 0


def test_seal_exceptions_are_counted_by_issuer(db_session):
    inspection = _requested_then_inspected(db_session, at(2), 3)
    for status, issuer in (("broken", "CBP"), ("intact", "CBP"), ("intact", "CBP"), ("mismatch", "SENASICA")):
        make_seal(db_session, inspection, status, verified_at=at(5), issuer=issuer, iso_class="H")
    by_issuer = metrics.seal_exception_rate(db_session, MARCH).numbers["by_issuer"]
    assert by_issuer == {"CBP": {"checked": 3, "exceptions": 1, "rate": 33.33},
                         "SENASICA": {"checked": 1, "exceptions": 1, "rate": 100.0}}


def test_avoided_by_port_commodity_and_week(db_session, decisions):
    cube = build_cube(db_session, MARCH)
    by_port = {r.key: r for r in cube.by("port")}
    assert (by_port["US-PHARR-T"].waived, by_port["US-PHARR-T"].required) == (2, 0)
    assert (by_port["US-NOGALES-T"].waived, by_port["US-NOGALES-T"].required) == (1, 1)
    assert by_port["US-NOGALES-T"].hours_avoided == 1.25 and by_port["US-NOGALES-T"].share == 0.5
    by_commodity = {r.key: (r.waived, r.required) for r in cube.by("commodity")}
    assert by_commodity == {"avocado": (2, 0), "lime": (1, 1)}
    # 1 March 2027 is a Monday; the 9th and 10th fall in the next week, the 31st in the week of the 29th.
    by_week = {r.key: (r.waived, r.required) for r in cube.by("week")}
    assert by_week == {"2027-03-01": (1, 0), "2027-03-08": (1, 1), "2027-03-29": (1, 0)}


def test_unknown_breakdown_is_refused(db_session):
    with pytest.raises(ValueError):
        build_cube(db_session, MARCH).by("exporter")


def test_a_plans_forecast_is_not_counted_until_the_inspection_decides(db_session):
    from datetime import date

    from app.services.agreements import measures as metrics
    from tests.factories import make_decision, make_shipment

    request = make_shipment(db_session)
    make_decision(db_session, request, "waived", basis="plan")
    db_session.commit()
    period = period_containing("year", date.today())
    assert metrics.border_inspections_avoided(db_session, period).numbers["waived"] == 0

"""Rule 1b in the app: a joint inspection planned north of the border is the border inspection, and is told so."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.models import BorderDecision, ScheduleAssignment, ScheduleRun
from app.services.dashboard import avoided
from app.services.dashboard.periods import period_containing
from app.services.planning.publishing import InvalidPlan, publish_run
from tests.factories import force_status, make_inspector, make_rule, make_shift, make_shipment, make_site

# Next Monday at 08:00 in Nogales, Arizona (UTC-7 all year): in the future, inside the site's hours.
_today = datetime.now(timezone.utc).date()
DAY = _today + timedelta(days=7 - _today.weekday())
T0 = datetime(DAY.year, DAY.month, DAY.day, 15, 0, tzinfo=timezone.utc)
NORTH = "Inspected north of the border: no port inspection"
NORTE = "Inspeccionado al norte de la frontera: sin inspección en el puerto"


@pytest.fixture
def nogales(db_session, users):
    """The Nogales port, a joint inspection facility beside it on the US side, a team there and an avocado
    load packed in Sonora, 40 km south, that an active rule recognises."""
    port = make_site(db_session, kind="port", code="US-NOGALES-T", lat=31.333, lon=-110.943, timezone="America/Phoenix",
                     state="AZ")
    facility = make_site(db_session, code="US-NOGALES-JIS-T", name="Nogales joint facility", country="US",
                         lat=31.345, lon=-110.950, timezone="America/Phoenix", state="AZ", bays=2)
    team = [make_inspector(db_session, "APHIS", facility), make_inspector(db_session, "SENASICA", facility)]
    for inspector in team:
        make_shift(db_session, inspector, T0 - timedelta(hours=1), hours=10)
    rule = make_rule(db_session, requires_seal=True, max_hours_before_crossing=2)
    shipment = make_shipment(db_session, exporter=users["exporter"].exporter, port=port, origin_state="SON",
                             origin_lat=30.98, origin_lon=-110.90, ready=T0 - timedelta(hours=4),
                             arrive_port=T0 - timedelta(hours=2), cross_by=T0 + timedelta(hours=8))
    db_session.commit()
    return facility, team, shipment, rule


def _publish_at_the_facility(db_session, users, facility, team, shipment) -> ScheduleRun:
    run = ScheduleRun(horizon_start=T0 - timedelta(days=1), horizon_end=T0 + timedelta(days=2), status="succeeded",
                      stats={"served": 1, "requests": 1, "border_inspections_avoided": 1, "joint_us_site": 1})
    assignment = ScheduleAssignment(request_id=shipment.id, kind="joint_inland", site_id=facility.id,
                                    start=T0 + timedelta(hours=1), end=T0 + timedelta(hours=2, minutes=30), waived=True)
    assignment.inspectors = list(team)
    run.assignments.append(assignment)
    db_session.add(run)
    db_session.commit()
    publish_run(db_session, users["coordinator"], run.id)
    db_session.commit()
    return run


def _current(db_session, shipment) -> BorderDecision:
    return db_session.scalar(sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id,
                                                             BorderDecision.current))


def test_a_published_joint_inspection_north_of_the_border_is_stored_as_the_border_inspection(db_session, users,
                                                                                            nogales):
    facility, team, shipment, rule = nogales
    _publish_at_the_facility(db_session, users, facility, team, shipment)
    decision = _current(db_session, shipment)
    # Seal and hours before crossing do not count north of the border: nothing travels after it.
    assert (decision.decision, decision.rule_code, decision.basis) == ("waived", rule.code, "plan")
    assert [r["code"] for r in decision.reasons] == ["joint_us_site"]
    assert decision.reasons[0]["params"] == {"site": facility.code}
    assert not decision.verification


def test_it_counts_as_a_border_inspection_avoided_before_and_after_the_crossing(db_session, users, nogales):
    facility, team, shipment, _rule = nogales
    _publish_at_the_facility(db_session, users, facility, team, shipment)
    period = period_containing("month", shipment.cross_by.date())
    assert avoided.forecast(db_session, period, now=T0 - timedelta(hours=1)).waived == 1
    force_status(shipment, "released")
    shipment.at_border_at = shipment.released_at = T0 + timedelta(hours=3)
    db_session.commit()
    assert (avoided.realised(db_session, period).waived, avoided.realised(db_session, period).required) == (1, 0)


def test_a_plan_inspecting_north_of_the_border_a_load_no_rule_recognises_is_refused(db_session, users, nogales):
    facility, team, shipment, rule = nogales
    rule.active = False
    db_session.commit()
    with pytest.raises(InvalidPlan):
        _publish_at_the_facility(db_session, users, facility, team, shipment)
    db_session.rollback()
    assert _current(db_session, shipment) is None


def test_the_exporter_the_officer_and_the_coordinator_read_it_in_both_languages(db_session, users, nogales, client_as):
    facility, team, shipment, _rule = nogales
    make_inspector(db_session, "CBP", shipment.port, user_id=users["officer"].id)  # the officer at Nogales
    run = _publish_at_the_facility(db_session, users, facility, team, shipment)
    pages = ((client_as("exporter"), f"/exporter/shipments/{shipment.id}"),
             (client_as("officer"), f"/officer/shipments/{shipment.id}"),
             (client_as("coordinator"), f"/coordinator/runs/{run.id}"))
    for client, url in pages:
        assert NORTH in client.get(url).get_data(as_text=True), url
        client.post("/language", data={"language": "es"})
        assert NORTE in client.get(url).get_data(as_text=True), url

"""The one door to the rules engine decides as the optimizer's own adapter does, on the same shipments."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from app.services import recognition
from app.services.planning.scenario import build_scenario
from scheduling.waiver import border_decision
from tests.factories import (
    make_agreement, make_commodity, make_exporter, make_inspection, make_rule, make_shipment, make_site,
)

READY = datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)
HORIZON = (READY - timedelta(days=1), READY + timedelta(days=6))


@pytest.fixture
def shipments(db_session):
    """Shipments that rules waive, require, or judge differently by agreement standing and timing."""
    avocado, tomato, berries = (make_commodity(db_session, code) for code in ("avocado", "tomato", "berries"))
    port = make_site(db_session, kind="port", code="US-PORT", timezone="America/Chicago", state="TX")
    in_force = make_agreement(db_session, code="MR-ON")
    suspended = make_agreement(db_session, code="MR-OFF", status="suspended", status_reason="pest finds")
    future = make_agreement(db_session, code="MR-LATER", effective_from=date(2027, 6, 1))
    make_rule(db_session, in_force, code="MR-AVO", commodities=["avocado"], max_hours_before_crossing=24,
              requires_seal=True, origin_states=["MIC"])
    make_rule(db_session, suspended, code="MR-TOM", commodities=["tomato"])
    make_rule(db_session, future, code="MR-BER", commodities=["berries"])
    make_rule(db_session, in_force, code="MR-BER-OEA", commodities=["berries"], requires_certifications=["OEA"])
    exporter = make_exporter(db_session)
    cases = []
    for commodity, origin, sealable in ((avocado, "MIC", True), (avocado, "JAL", True), (avocado, "MIC", False),
                                        (tomato, "SIN", True), (berries, "MIC", True)):
        cases.append(make_shipment(db_session, exporter=exporter, commodity=commodity, origin_state=origin,
                                   port=port, sealable=sealable, ready=READY))
    return cases


def test_the_door_and_the_optimizer_decide_alike(db_session, shipments):
    scenario, _ids = build_scenario(db_session, *HORIZON)
    requests = {request.id: request for request in scenario.requests}
    outcomes = []
    for hours_before_crossing in (2, 20, 30):
        for shipment in shipments:
            end = shipment.cross_by - timedelta(hours=hours_before_crossing)
            door = recognition.planned_decision(db_session, shipment, end)
            optimizer = border_decision(scenario, requests[shipment.reference], end)
            assert (door.decision, door.rule) == (optimizer.decision, optimizer.rule), shipment.reference
            outcomes.append((hours_before_crossing, shipment.commodity_code, door.decision))
    # The cases tell waived from required, by commodity, origin, seal, agreement standing and timing.
    assert (2, "avocado", "waived") in outcomes and (30, "avocado", "required") in outcomes
    assert {decision for _h, commodity, decision in outcomes if commodity != "avocado"} == {"required"}


def test_what_was_recorded_decides_after_the_inspection(db_session, shipments):
    sealable_avocado = shipments[0]
    make_inspection(db_session, sealable_avocado, start=sealable_avocado.cross_by - timedelta(hours=10))
    # Passed without a seal: a rule that needs one cannot waive it any more.
    decision = recognition.recorded_decision(db_session, sealable_avocado)
    assert decision.decision == "required"
    assert [reason.code for reason in decision.reasons] == ["seal_not_possible"]

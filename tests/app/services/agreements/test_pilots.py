"""Pilot gates: read the measures in the corridor, decided by both agencies, passing proposes the next phase."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.models import GateReview, Pilot, PilotCriterion
from app.services.agreements import approvals, changes, pilots, rules
from app.services.errors import WorkflowError
from tests.factories import (
    make_agreement, make_commodity, make_measure, make_released, make_rule, make_site, make_user,
)

TODAY = date(2027, 3, 20)


@pytest.fixture
def corridor(db_session):
    """A berries pilot at Otay with one gate: waived share at least 80% in its port."""
    make_commodity(db_session, "berries")
    otay = make_site(db_session, kind="port", code="US-OTAY-P")
    make_site(db_session, kind="port", code="US-CALEXICO-P")
    agreement = make_agreement(db_session, code="MR-PIL", effective_from=date(2027, 1, 1))
    rule = make_rule(db_session, agreement, code="MR-BER-P", commodities=["berries"], ports=["US-OTAY-P"],
                     valid_from=date(2027, 1, 1))
    measure = make_measure(db_session, agreement, "waived_share", target=60)
    pilot = Pilot(code="PIL-OTAY", agreement=agreement, corridor="Tijuana–Otay Mesa", name_en="Berries",
                  name_es="Berries", ports=["US-OTAY-P"], sites=[], sectors=["agribusiness"],
                  starts_on=date(2027, 1, 15), phase=1, status="running")
    pilot.criteria.append(PilotCriterion(measure=measure, threshold=80))
    pilot.gates.append(GateReview(phase=1, due_on=date(2027, 3, 15), status="scheduled", next_phase=[
        {"rule": "MR-BER-P", "changes": {"ports": ["US-OTAY-P", "US-CALEXICO-P"]}}, {"sites": ["MX-MEXICALI-P"]}]))
    pilot.gates.append(GateReview(phase=2, due_on=date(2027, 9, 15), status="scheduled", next_phase=[]))
    db_session.add(pilot)
    db_session.flush()
    for day, decision in ((2, "waived"), (3, "waived"), (4, "waived"), (5, "required")):
        make_released(db_session, datetime(2027, 2, day, 12, tzinfo=timezone.utc), decision, port=otay,
                      commodity=make_commodity(db_session, "berries"), **({"rule": rule} if decision == "waived" else {}))
    return pilot


@pytest.fixture
def aphis(db_session):
    return make_user(db_session, role="coordinator", agency="APHIS")


@pytest.fixture
def senasica(db_session):
    return make_user(db_session, role="supervisor", agency="SENASICA")


def test_the_gate_reads_its_criteria_in_the_pilots_ports_since_the_phase_began(db_session, corridor):
    [reading] = pilots.readings(db_session, corridor.gates[0], TODAY)
    assert (reading["metric"], reading["value"], reading["target"], reading["met"]) == ("waived_share", 75.0, 80, False)
    assert reading["period"] == {"kind": "custom", "from": "2027-01-15", "to": "2027-03-15"}


def test_a_missed_criterion_refuses_a_pass_but_not_an_extension(db_session, corridor, aphis):
    gate = corridor.gates[0]
    with pytest.raises(WorkflowError) as refused:
        pilots.propose_gate_decision(db_session, aphis, gate, "pass", today=TODAY)
    assert refused.value.field == "decision" and "waived_share" in refused.value.message
    with pytest.raises(WorkflowError) as no_date:
        pilots.propose_gate_decision(db_session, aphis, gate, "extend", today=TODAY, notes="one more season")
    assert no_date.value.field == "extend_to"
    proposal = pilots.propose_gate_decision(db_session, aphis, gate, "extend", today=TODAY, notes="one more season",
                                            extend_to=date(2027, 6, 15))
    assert gate.status == "proposed" and gate.readings[0]["value"] == 75.0 and proposal.waiting_for == ["SENASICA"]


def test_passing_needs_both_agencies_and_proposes_the_next_phase_for_both_to_approve(db_session, corridor, aphis,
                                                                                      senasica):
    corridor.criteria[0].threshold = 70
    gate = corridor.gates[0]
    proposal = pilots.propose_gate_decision(db_session, aphis, gate, "pass", today=TODAY, notes="criteria met")
    assert gate.status == "proposed" and corridor.phase == 1
    with pytest.raises(WorkflowError):
        changes.approve(db_session, aphis, proposal)
    changes.approve(db_session, senasica, proposal)
    assert (gate.status, gate.decision, gate.decided_on, corridor.phase) == ("passed", "pass", TODAY, 2)
    assert corridor.sites == ["MX-MEXICALI-P"]
    # The next phase is proposed, not in effect: more ports only once both sides approve it too.
    assert rules.current_rule(db_session, "MR-BER-P").ports == ["US-OTAY-P"]
    [next_phase] = approvals.proposals(db_session, status="pending", kind="rule_version")
    assert next_phase.waiting_for == ["SENASICA"]
    changes.approve(db_session, senasica, next_phase)
    assert rules.current_rule(db_session, "MR-BER-P").ports == ["US-OTAY-P", "US-CALEXICO-P"]


def test_stopping_ends_the_pilot(db_session, corridor, aphis, senasica):
    proposal = pilots.propose_gate_decision(db_session, aphis, corridor.gates[0], "stop", today=TODAY,
                                            notes="no carrier certified in time")
    changes.approve(db_session, senasica, proposal)
    assert (corridor.status, corridor.ends_on, corridor.gates[0].status) == ("stopped", TODAY, "stopped")

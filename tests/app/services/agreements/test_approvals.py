"""Bilateral approval: one approver of each party, the second makes it effective, never the same person twice."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.models import Agreement, AuditEntry, Rule
from app.services import recognition
from app.services.agreements import approvals, changes, rules, work_plan
from app.services.errors import ConflictError, WorkflowError
from tests.factories import (
    make_agreement, make_commodity, make_milestone, make_rule, make_shipment, make_site, make_user,
)

TODAY = date(2027, 3, 10)


@pytest.fixture
def people(db_session):
    return {
        "aphis": make_user(db_session, role="coordinator", agency="APHIS", display_name="Susan APHIS"),
        "aphis2": make_user(db_session, role="supervisor", agency="APHIS"),
        "senasica": make_user(db_session, role="supervisor", agency="SENASICA", display_name="Elena SENASICA"),
        "cbp": make_user(db_session, role="supervisor", agency="CBP"),
        "admin": make_user(db_session, role="admin", agency=None),
        "inspector": make_user(db_session, role="inspector", agency="SENASICA"),
    }


@pytest.fixture
def agreement(db_session):
    make_commodity(db_session, "avocado")
    agreement = make_agreement(db_session, code="MR-BI", parties="APHIS-SENASICA")
    make_rule(db_session, agreement, code="MR-BI-01", max_hours_before_crossing=48)
    return agreement


def test_a_status_change_waits_for_the_other_party_and_the_trail_says_who_and_when(db_session, people, agreement):
    proposal = changes.propose_status_change(db_session, people["aphis"], agreement, "suspended", date(2027, 3, 1),
                                             "threats to inspectors at Uruapan")
    assert (proposal.parties, proposal.approved_by, proposal.waiting_for) == (["APHIS", "SENASICA"], ["APHIS"],
                                                                               ["SENASICA"])
    assert db_session.get(Agreement, agreement.id).status == "active"
    changes.approve(db_session, people["senasica"], proposal)
    assert proposal.status == "effective" and agreement.status == "suspended"
    assert [(a.agency, a.user.display_name) for a in proposal.approvals] == [("APHIS", "Susan APHIS"),
                                                                          ("SENASICA", "Elena SENASICA")]
    assert all(a.approved_at is not None for a in proposal.approvals) and proposal.closed_at is not None
    actions = db_session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_type == "ChangeProposal")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["proposal.agreement_status", "proposal.approved", "proposal.approved", "proposal.effective"]


def test_the_same_person_cannot_give_both_approvals(db_session, people, agreement):
    proposal = changes.propose_status_change(db_session, people["admin"], agreement, "suspended", date(2027, 3, 1),
                                             "audit")
    assert proposal.approved_by == []  # an administrator works for no agency
    changes.approve(db_session, people["aphis"], proposal)
    with pytest.raises(WorkflowError, match="approved this already"):
        changes.approve(db_session, people["aphis"], proposal)
    people["aphis"].agency = "SENASICA"  # even with an account changed in between
    with pytest.raises(WorkflowError, match="approved this already"):
        changes.approve(db_session, people["aphis"], proposal)
    assert proposal.status == "pending"


@pytest.mark.parametrize("who", ["aphis2", "cbp", "inspector", "admin"])
def test_only_the_missing_partys_approver_approves(db_session, people, agreement, who):
    proposal = changes.propose_status_change(db_session, people["aphis"], agreement, "expired", date(2027, 3, 1))
    with pytest.raises(WorkflowError):
        changes.approve(db_session, people[who], proposal)
    assert proposal.status == "pending" and agreement.status == "active"


def test_a_rule_version_takes_effect_only_when_both_approve(db_session, people, agreement):
    make_site(db_session, kind="port", code="US-PHARR-BI")
    proposal = rules.propose_rule_version(db_session, people["aphis"], "MR-BI-01", {"ports": ["US-PHARR-BI"]},
                                          "Pharr only", expected_version=1)
    assert rules.current_rule(db_session, "MR-BI-01").version == 1
    with pytest.raises(ConflictError):  # one proposal of a rule at a time
        rules.propose_rule_version(db_session, people["aphis"], "MR-BI-01", {"active": False}, "off", 1)
    changes.approve(db_session, people["senasica"], proposal)
    current = rules.current_rule(db_session, "MR-BI-01")
    assert (current.version, current.ports, current.created_by_id) == (2, ["US-PHARR-BI"], people["aphis"].id)


def test_a_change_that_can_no_longer_be_made_fails_with_its_reason(db_session, people, agreement):
    first = rules.propose_rule_version(db_session, people["aphis"], "MR-BI-01", {"max_hours_before_crossing": 24},
                                       "24 h", expected_version=1)
    # Meanwhile the rule moved (a scenario import, say): the proposal was based on version 1.
    rules.revise_rule(db_session, people["aphis"], "MR-BI-01", {"max_hours_before_crossing": 36}, "36 h")
    changes.approve(db_session, people["senasica"], first)
    assert first.status == "failed" and "reload" in first.outcome
    assert rules.current_rule(db_session, "MR-BI-01").max_hours_before_crossing == 36


def test_a_cbp_task_is_approved_by_cbp_for_the_us_side(db_session, people, agreement):
    milestone = make_milestone(db_session, agreement, title="Train CBP officers", owner_agency="CBP",
                               status="in_progress")
    proposal = work_plan.propose_completion(db_session, people["aphis"], milestone, today=TODAY)
    assert proposal.parties == ["CBP", "SENASICA"] and proposal.approved_by == []
    changes.approve(db_session, people["cbp"], proposal)
    changes.approve(db_session, people["senasica"], proposal)
    assert (milestone.status, milestone.completed_on) == ("done", TODAY)


def test_sat_approvals_are_recorded_by_senasica_with_sats_reference(db_session, people):
    plan = make_agreement(db_session, code="MRA-CBP-SAT", parties="CBP-SAT")
    milestone = make_milestone(db_session, plan, title="Align renewals", owner_agency="SAT")
    proposal = work_plan.propose_completion(db_session, people["cbp"], milestone, today=TODAY)
    assert (proposal.parties, proposal.waiting_for) == (["CBP", "SAT"], ["SAT"])
    with pytest.raises(WorkflowError) as no_reference:
        changes.approve(db_session, people["senasica"], proposal)
    assert no_reference.value.field == "reference"
    changes.approve(db_session, people["senasica"], proposal, reference="Oficio ANAM 400-05-2027-118")
    assert proposal.status == "effective" and proposal.approvals[-1].reference == "Oficio ANAM 400-05-2027-118"


def test_only_the_proposer_withdraws(db_session, people, agreement):
    proposal = changes.propose_status_change(db_session, people["aphis"], agreement, "expired", date(2027, 3, 1))
    with pytest.raises(WorkflowError):
        approvals.withdraw(db_session, people["senasica"], proposal)
    approvals.withdraw(db_session, people["aphis"], proposal)
    with pytest.raises(ConflictError):
        changes.approve(db_session, people["senasica"], proposal)
    assert agreement.status == "active"


def test_a_rule_waits_for_its_gating_milestone(db_session, people, agreement):
    milestone = make_milestone(db_session, agreement, title="Publish the joint protocol", status="in_progress")
    work_plan.set_gates(db_session, people["aphis"], milestone, ["mr-bi-01"])
    port = make_site(db_session, kind="port", timezone="America/Chicago", state="TX")
    ready = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2)
    shipment = make_shipment(db_session, port=port, ready=ready)
    end = shipment.cross_by - timedelta(hours=2)
    waiting = recognition.planned_decision(db_session, shipment, end)
    assert not waiting.waived and [r.code for r in waiting.reasons] == ["gate_not_done"]
    proposal = work_plan.propose_completion(db_session, people["aphis"], milestone, today=ready.date() - timedelta(days=2))
    assert not recognition.planned_decision(db_session, shipment, end).waived  # proposed is not done
    changes.approve(db_session, people["senasica"], proposal)
    decided = recognition.planned_decision(db_session, shipment, end)
    assert (decided.decision, decided.rule) == ("waived", "MR-BI-01")


def test_gates_name_only_rules_of_the_milestones_agreement(db_session, people, agreement):
    other = make_agreement(db_session, code="MR-OTHER")
    make_rule(db_session, other, code="MR-OTHER-01")
    milestone = make_milestone(db_session, agreement)
    with pytest.raises(WorkflowError) as refused:
        work_plan.set_gates(db_session, people["aphis"], milestone, ["MR-OTHER-01"])
    assert refused.value.field == "gates" and "MR-OTHER-01" in refused.value.message
    assert db_session.scalar(sa.select(Rule.id).where(Rule.code == "MR-OTHER-01")) is not None

"""The seal workflows in app.services.border.overview: recording, verifying, reinstating, electronic events."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, BorderDecision, Seal, SealEvent, utcnow
from app.services.border import overview as seals
from app.services.errors import WorkflowError
from tests.factories import count, make_inspector, make_site, make_user, force_status

from .seal_scenario import READY, seal_scenario


@pytest.fixture
def scenario(db_session, users):
    return seal_scenario(db_session, users)


def record_pass(db_session, users, scenario, numbers=("NOGA-123456",), kind="mechanical"):
    return seals.record_result(db_session, users["inspector"], scenario.inspection, "pass", "No pests.",
                               [(number, kind) for number in numbers])


def trail(db_session, request):
    return [(d.decision, d.basis, d.rule_version) for d in seals.decision_trail(db_session, request)]


def test_pass_with_seal_seals_the_shipment_and_waives_under_the_current_rule_version(db_session, users, scenario):
    outcome = record_pass(db_session, users, scenario, numbers=[" noga-123456 "])
    request = scenario.request
    assert request.status == "sealed" and request.sealed_at is not None and request.inspected_at is not None
    assert scenario.inspection.status == "done" and scenario.inspection.result == "pass"
    assert scenario.inspection.recorded_by_id == users["inspector"].id
    assert [(s.number, s.status) for s in outcome.seals] == [("NOGA-123456", "applied")]
    assert [e.kind for e in outcome.seals[0].events] == ["applied"]
    assert (outcome.decision.decision, outcome.decision.rule_code, outcome.decision.rule_version) == (
        "waived", scenario.rule.code, 2)
    assert count(db_session, AuditEntry) >= 4


def test_pass_without_seal_is_not_waived_by_a_rule_that_requires_one(db_session, users, scenario):
    outcome = seals.record_result(db_session, users["inspector"], scenario.inspection, "pass", None, [])
    assert scenario.request.status == "inspected"
    assert outcome.decision.decision == "required"
    assert {r["code"] for r in outcome.decision.reasons} == {"seal_not_possible"}


def test_failed_inspection_rejects_the_shipment_with_the_findings(db_session, users, scenario):
    outcome = seals.record_result(db_session, users["inspector"], scenario.inspection, "fail", "Live larvae", [])
    assert scenario.request.status == "rejected" and scenario.request.status_reason == "Live larvae"
    assert outcome.decision.decision == "required"


def test_held_inspection_stays_inspected_and_cannot_be_released_at_the_border(db_session, users, scenario):
    seals.record_result(db_session, users["inspector"], scenario.inspection, "hold", "Sample sent to lab", [])
    assert scenario.request.status == "inspected"
    with pytest.raises(WorkflowError):
        seals.verify_seals(db_session, users["officer"], scenario.request, {}, [])


@pytest.mark.parametrize(("result", "findings", "numbers", "field"), [
    ("fail", "Larvae", ["NOGA-123456"], "seals"),
    ("hold", "Lab", ["NOGA-123456"], "seals"),
    ("fail", "", [], "findings"),
    ("maybe", "", [], "result"),
    ("pass", "", ["NOGA-123456", "noga-123456"], "seals[1]"),
    ("pass", "", ["SHORT"], "seals[0]"),
    ("pass", "", ["NOGA 123456"], "seals[0]"),
    ("pass", "", ["NOGA-ABCDEF"], "seals[0]"),
    ("pass", "", ["A" * 21 + "1"], "seals[0]"),
])
def test_refused_results_name_the_field_and_change_nothing(db_session, users, scenario, result, findings, numbers,
                                                           field):
    before = (count(db_session, Seal), count(db_session, BorderDecision), count(db_session, AuditEntry))
    with pytest.raises(WorkflowError) as refused:
        seals.record_result(db_session, users["inspector"], scenario.inspection, result, findings,
                            [(n, "mechanical") for n in numbers])
    db_session.rollback()
    assert refused.value.field == field
    assert scenario.request.status == "scheduled" and scenario.inspection.status == "scheduled"
    assert (count(db_session, Seal), count(db_session, BorderDecision), count(db_session, AuditEntry)) == before


def test_a_seal_number_already_used_on_another_shipment_is_refused(db_session, users, scenario):
    other = seal_scenario(db_session, users, ready=READY - timedelta(days=1))
    record_pass(db_session, users, other, numbers=["NOGA-777777"])
    with pytest.raises(WorkflowError) as refused:
        record_pass(db_session, users, scenario, numbers=["NOGA-111111", "noga-777777"])
    assert refused.value.field == "seals[1]"


@pytest.mark.parametrize(("number", "ok"), [("ES00000042", True), ("ES" + "0" * 29 + "7", True), ("1234567", False),
                                             ("ABCD-1234", False)])
def test_electronic_seal_ids(db_session, users, scenario, number, ok):
    if ok:
        assert record_pass(db_session, users, scenario, numbers=[number], kind="electronic").seals
    else:
        with pytest.raises(WorkflowError):
            record_pass(db_session, users, scenario, numbers=[number], kind="electronic")


def test_only_booked_inspectors_record(db_session, users, scenario):
    stranger = make_user(db_session, role="inspector")
    make_inspector(db_session, home_site=scenario.site, user_id=stranger.id)
    with pytest.raises(seals.OutOfScope):
        seals.record_result(db_session, stranger, scenario.inspection, "pass", None, [])
    coordinator_outcome = seals.record_result(db_session, users["coordinator"], scenario.inspection, "pass", None, [])
    assert coordinator_outcome.request.status == "inspected"


def test_recording_twice_is_refused(db_session, users, scenario):
    record_pass(db_session, users, scenario)
    with pytest.raises(WorkflowError, match="already recorded"):
        record_pass(db_session, users, scenario, numbers=["NOGA-999999"])


def test_intact_seal_at_the_border_releases_the_shipment(db_session, users, scenario):
    record_pass(db_session, users, scenario)
    outcome = seals.verify_seals(db_session, users["officer"], scenario.request, {"noga-123456": "intact"},
                                 ["NOGA-123456"])
    assert scenario.request.status == "released" and scenario.request.released_at is not None
    seal = outcome.seals[0]
    assert seal.status == "intact" and seal.verified_by_id == users["officer"].id
    assert [e.kind for e in seal.events] == ["applied", "verified"]
    assert trail(db_session, scenario.request) == [("waived", "inspection", 2), ("waived", "seal_verification", 2)]


@pytest.mark.parametrize(("observed", "presented", "status", "code"), [
    ("broken", [], "broken", "seal_broken"),
    ("missing", [], "missing", "seal_missing"),
    ("missing", ["NOGA-654321"], "mismatch", "seal_mismatch"),
    ("intact", ["NOGA-654321"], "mismatch", "seal_mismatch"),
])
def test_seal_problems_reinstate_the_border_inspection(db_session, users, scenario, observed, presented, status,
                                                       code):
    record_pass(db_session, users, scenario)
    outcome = seals.verify_seals(db_session, users["officer"], scenario.request, {"NOGA-123456": observed}, presented)
    assert scenario.request.status == "at_border" and scenario.request.at_border_at is not None
    assert outcome.decision.decision == "required" and outcome.decision.basis == "seal_verification"
    assert outcome.decision.reasons[0]["code"] == code
    assert [s.number for s in seals.seal_exceptions(db_session, scenario.port.id)] == ["NOGA-123456"]
    assert db_session.get(Seal, outcome.seals[0].id).status == status
    queued = seals.border_inspections(db_session, scenario.port.id)
    assert [r.reference for r, _d in queued] == [scenario.request.reference]


def test_a_seal_problem_reinstates_even_when_the_rule_needs_no_seal(db_session, users):
    scenario = seal_scenario(db_session, users, requires_seal=False)
    record_pass(db_session, users, scenario)
    outcome = seals.verify_seals(db_session, users["officer"], scenario.request, {"NOGA-123456": "broken"}, [])
    assert outcome.decision.decision == "required"
    assert [r["code"] for r in outcome.decision.reasons] == ["seal_broken"]


def test_verification_needs_every_seal_and_only_this_shipments(db_session, users, scenario):
    record_pass(db_session, users, scenario, numbers=["NOGA-123456", "NOGA-123457"])
    with pytest.raises(WorkflowError) as refused:
        seals.verify_seals(db_session, users["officer"], scenario.request, {"NOGA-123456": "intact"}, [])
    assert refused.value.field == "observations[NOGA-123457]"
    with pytest.raises(WorkflowError):
        seals.verify_seals(db_session, users["officer"], scenario.request,
                           {"NOGA-123456": "intact", "NOGA-123457": "intact", "OTHER-1234": "intact"}, [])
    assert scenario.request.status == "sealed"


def test_verifying_twice_or_before_the_inspection_is_refused(db_session, users, scenario):
    with pytest.raises(WorkflowError, match="not been recorded"):
        seals.verify_seals(db_session, users["officer"], scenario.request, {}, [])
    record_pass(db_session, users, scenario)
    seals.verify_seals(db_session, users["officer"], scenario.request, {"NOGA-123456": "broken"}, [])
    with pytest.raises(WorkflowError, match="already in the port's queue"):
        seals.verify_seals(db_session, users["officer"], scenario.request, {"NOGA-123456": "intact"}, [])


def test_an_unsealed_passed_shipment_released_when_its_rule_needs_no_seal(db_session, users):
    scenario = seal_scenario(db_session, users, requires_seal=False)
    seals.record_result(db_session, users["inspector"], scenario.inspection, "pass", None, [])
    seals.verify_seals(db_session, users["officer"], scenario.request, {}, [])
    assert scenario.request.status == "released"


def test_officers_of_other_ports_cannot_verify(db_session, users, scenario):
    record_pass(db_session, users, scenario)
    elsewhere = make_user(db_session, role="officer")
    make_inspector(db_session, "CBP", home_site=make_site(db_session, kind="port"), user_id=elsewhere.id)
    with pytest.raises(seals.OutOfScope):
        seals.verify_seals(db_session, elsewhere, scenario.request, {"NOGA-123456": "intact"}, [])
    with pytest.raises(seals.OutOfScope):
        seals.officer_request(db_session, elsewhere, scenario.request.id)


def test_officer_reinstates_with_a_reason(db_session, users, scenario):
    record_pass(db_session, users, scenario)
    with pytest.raises(WorkflowError) as refused:
        seals.reinstate_inspection(db_session, users["officer"], scenario.request, "  ")
    assert refused.value.field == "reason"
    outcome = seals.reinstate_inspection(db_session, users["officer"], scenario.request, "Intelligence alert")
    assert scenario.request.status == "at_border"
    assert outcome.decision.basis == "manual" and outcome.decision.decision == "required"
    assert "Intelligence alert" in seals.reason_line(outcome.decision.reasons[0])


def test_electronic_seal_opened_before_the_border_reinstates(db_session, users, scenario):
    record_pass(db_session, users, scenario, numbers=["ES00004242"], kind="electronic")
    outcome = seals.post_seal_event(db_session, users["officer"], "es00004242", "opened", utcnow(),
                                    "Km 120 Hwy 15", 30.1, -110.9)
    assert outcome.seal.status == "broken"
    assert outcome.decision.basis == "seal_event" and outcome.decision.reasons[0]["code"] == "seal_broken"
    assert scenario.request.status == "at_border"
    assert count(db_session, SealEvent) == 2


def test_closed_events_and_events_after_release_change_nothing(db_session, users, scenario):
    record_pass(db_session, users, scenario, numbers=["ES00004242"], kind="electronic")
    closed = seals.post_seal_event(db_session, users["officer"], "ES00004242", "closed", utcnow())
    assert closed.decision is None and scenario.request.status == "sealed"
    seals.verify_seals(db_session, users["officer"], scenario.request, {"ES00004242": "intact"}, [])
    opened = seals.post_seal_event(db_session, users["admin"], "ES00004242", "opened", utcnow())
    assert opened.decision is None and scenario.request.status == "released"


@pytest.mark.parametrize(("number", "kind", "when", "field"), [
    ("UNKNOWN123", "opened", timedelta(0), "seal_number"),
    ("ES00004242", "exploded", timedelta(0), "kind"),
    ("ES00004242", "opened", timedelta(hours=2), "occurred_at"),
    ("ES00004242", "opened", -timedelta(days=2), "occurred_at"),
])
def test_refused_seal_events(db_session, users, scenario, number, kind, when, field):
    record_pass(db_session, users, scenario, numbers=["ES00004242"], kind="electronic")
    with pytest.raises(WorkflowError) as refused:
        seals.post_seal_event(db_session, users["officer"], number, kind, utcnow() + when)
    assert refused.value.field == field
    assert scenario.request.status == "sealed"


def test_mechanical_seals_post_no_events(db_session, users, scenario):
    record_pass(db_session, users, scenario)
    with pytest.raises(WorkflowError, match="electronic"):
        seals.post_seal_event(db_session, users["officer"], "NOGA-123456", "opened", utcnow())


def test_decision_trail_is_oldest_first(db_session, users, scenario):
    record_pass(db_session, users, scenario)
    seals.verify_seals(db_session, users["officer"], scenario.request, {"NOGA-123456": "broken"}, [])
    rows = db_session.scalars(sa.select(BorderDecision).where(BorderDecision.request_id == scenario.request.id)).all()
    assert sum(row.current for row in rows) == 1
    assert trail(db_session, scenario.request) == [("waived", "inspection", 2), ("required", "seal_verification", None)]


def test_a_waived_shipment_already_at_the_border_can_still_be_reinstated(db_session, users, scenario):
    record_pass(db_session, users, scenario)
    force_status(scenario.request, "at_border")  # as demo data has it: at the border, waiver standing
    outcome = seals.reinstate_inspection(db_session, users["officer"], scenario.request, "Dog alert")
    assert outcome.decision.decision == "required" and scenario.request.status == "at_border"
    with pytest.raises(WorkflowError, match="already in the port's queue"):
        seals.reinstate_inspection(db_session, users["officer"], scenario.request, "Again")

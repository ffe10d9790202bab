"""The agreement lifecycle, rule versions and the Joint Work Plan, through the services."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

import mr_agreements as mr
from app.models import Agreement, AuditEntry, Milestone, PerformanceMeasure, Rule
from app.services.agreements import rules as agreement_rules
from app.services.agreements import agreement as agreements
from app.services import recognition
from app.services.agreements import work_plan
from app.services.agreements.agreement import EditConflict
from app.services.errors import WorkflowError
from tests.factories import (
    count, make_agreement, make_commodity, make_inspection, make_measure, make_milestone, make_shipment, make_rule,
    make_user,
)

SUSPENSION = "security incident in Uruapan"


@pytest.fixture
def coordinator(db_session):
    return make_user(db_session, role="coordinator")


def _refused(call, field):
    with pytest.raises(WorkflowError) as refusal:
        call()
    assert refusal.value.field == field
    assert refusal.value.message
    return refusal.value


def test_a_new_agreement_is_a_draft_and_audited(db_session, coordinator):
    agreement = agreements.create_agreement(db_session, coordinator, code="MR-NEW-2027", title="New agreement",
                                            effective_from=date(2027, 1, 1))
    assert agreement.status == "draft"
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "agreement.created"))
    assert entry.after["code"] == "MR-NEW-2027"
    assert entry.actor_id == coordinator.id


@pytest.mark.parametrize(("fields", "field"), [
    ({"code": "mr lower", "title": "T"}, "code"),
    ({"code": "MR-OK", "title": "  "}, "title"),
    ({"code": "MR-OK", "title": "T", "effective_from": date(2027, 2, 1), "effective_to": date(2027, 1, 1)},
     "effective_to"),
    ({"code": "MR-OK", "title": "T", "signed_on": "yesterday"}, "signed_on"),
])
def test_invalid_agreement_is_refused_naming_the_field(db_session, coordinator, fields, field):
    before = count(db_session, Agreement)
    _refused(lambda: agreements.create_agreement(db_session, coordinator, **fields), field)
    assert count(db_session, Agreement) == before


def test_agreement_codes_are_unique(db_session, coordinator):
    make_agreement(db_session, code="MR-TAKEN")
    _refused(lambda: agreements.create_agreement(db_session, coordinator, code="MR-TAKEN", title="Again"), "code")


def test_full_lifecycle_is_audited_with_before_and_after(db_session, coordinator):
    agreement = agreements.create_agreement(db_session, coordinator, code="MR-LIFE", title="Lifecycle")
    steps = [("active", date(2027, 1, 1), None), ("suspended", date(2027, 2, 11), SUSPENSION),
             ("active", date(2027, 3, 1), None), ("expired", date(2028, 1, 1), None)]
    for status, on, reason in steps:
        agreements.change_status(db_session, coordinator, agreement, status, on, reason)
        assert (agreement.status, agreement.status_since, agreement.status_reason) == (status, on, reason)
    assert agreement.effective_from == date(2027, 1, 1)  # activation put it in force from that day
    entries = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_type == "Agreement",
                                                              AuditEntry.action != "agreement.created")
                                 .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["agreement.active", "agreement.suspended", "agreement.active",
                                           "agreement.expired"]
    assert entries[1].before["status"] == "active"
    assert entries[1].after == {**entries[1].after, "status": "suspended", "status_reason": SUSPENSION,
                                "status_since": "2027-02-11"}
    assert entries[2].before["status_reason"] == SUSPENSION


@pytest.mark.parametrize(("start", "to_status"), [
    ("draft", "suspended"), ("draft", "expired"), ("expired", "active"), ("active", "draft"),
])
def test_forbidden_transition_is_refused_and_changes_nothing(db_session, coordinator, start, to_status):
    agreement = make_agreement(db_session, status=start, status_since=date(2025, 1, 1))
    version, audits = agreement.version_id, count(db_session, AuditEntry)
    refusal = _refused(lambda: agreements.change_status(
        db_session, coordinator, agreement, to_status, date(2027, 1, 1), "some reason"), "status")
    assert agreement.code in refusal.message and "cannot become" in refusal.message
    db_session.flush()
    db_session.refresh(agreement)
    assert (agreement.status, agreement.version_id) == (start, version)
    assert count(db_session, AuditEntry) == audits


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_suspension_needs_a_reason(db_session, coordinator, reason):
    agreement = make_agreement(db_session)
    _refused(lambda: agreements.change_status(db_session, coordinator, agreement, "suspended",
                                              date(2027, 2, 11), reason), "reason")
    assert agreement.status == "active"


def test_a_change_cannot_predate_the_current_status(db_session, coordinator):
    agreement = make_agreement(db_session, status_since=date(2027, 1, 1))
    _refused(lambda: agreements.change_status(db_session, coordinator, agreement, "suspended",
                                              date(2026, 12, 31), SUSPENSION), "on")


def test_unknown_status_is_refused(db_session, coordinator):
    agreement = make_agreement(db_session)
    _refused(lambda: agreements.change_status(db_session, coordinator, agreement, "paused", date(2027, 1, 1)),
             "status")


def test_stale_expected_version_is_a_conflict(db_session, coordinator):
    agreement = make_agreement(db_session)
    with pytest.raises(EditConflict):
        agreements.change_status(db_session, coordinator, agreement, "suspended", date(2027, 2, 11), SUSPENSION,
                                 expected_version=agreement.version_id + 1)
    assert agreement.status == "active"


def test_a_concurrent_edit_surfaces_as_a_conflict(db_session, coordinator):
    agreement = make_agreement(db_session)
    # Another transaction's change: the row's version moves on behind this session's back.
    db_session.connection().execute(sa.text("UPDATE agreements SET version_id = version_id + 1 WHERE id = :id"),
                                     {"id": agreement.id})
    with pytest.raises(EditConflict):
        agreements.change_status(db_session, coordinator, agreement, "suspended", date(2027, 2, 11), SUSPENSION)


def _waivable_shipment(db_session):
    """A shipment that rule MR-SVC-01 waives: avocado, no conditions but 48 h before crossing."""
    agreement = make_agreement(db_session, code="MR-SVC")
    commodity = make_commodity(db_session, "avocado")
    rule = make_rule(db_session, agreement, code="MR-SVC-01", commodities=["avocado"], max_hours_before_crossing=48)
    request = make_shipment(db_session, commodity=commodity)
    make_inspection(db_session, request, start=request.cross_by - timedelta(hours=10))
    return agreement, rule, request


def test_suspended_agreement_makes_the_border_inspection_required(db_session, coordinator):
    agreement, _rule, request = _waivable_shipment(db_session)
    assert recognition.recorded_decision(db_session, request).decision == "waived"
    agreements.change_status(db_session, coordinator, agreement, "suspended", date(2027, 2, 11), SUSPENSION)
    decision = recognition.recorded_decision(db_session, request)
    assert decision.decision == "required"
    suspended = [r for r in decision.reasons if r.code == "agreement_suspended"]
    assert mr.describe(suspended[0]) == f"MR-SVC-01: agreement MR-SVC suspended on 2027-02-11: {SUSPENSION}"
    agreements.change_status(db_session, coordinator, agreement, "active", date(2027, 2, 20))
    assert recognition.recorded_decision(db_session, request).decision == "waived"


def test_new_rule_version_keeps_the_old_one_and_its_decisions(db_session, coordinator):
    _agreement, old, request = _waivable_shipment(db_session)
    stored = recognition.store_decision(db_session, request, recognition.recorded_decision(db_session, request),
                                        basis="inspection")
    assert (stored.rule_id, stored.rule_version) == (old.id, 1)
    new = agreement_rules.revise_rule(db_session, coordinator, "MR-SVC-01", {"max_hours_before_crossing": 24},
                                      "Tightened to 24 h after the first season.")
    assert (new.version, new.max_hours_before_crossing, new.superseded_at) == (2, 24.0, None)
    db_session.refresh(old)
    assert old.superseded_at is not None and old.max_hours_before_crossing == 48
    db_session.refresh(stored)
    assert (stored.rule_id, stored.rule.version, stored.rule.max_hours_before_crossing) == (old.id, 1, 48)
    assert [r.version for r in recognition.current_rules(db_session) if r.code == "MR-SVC-01"] == [2]
    assert [c.field for c in agreement_rules.version_changes(old, new)] == ["max_hours_before_crossing"]
    audit = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "rule.revised"))
    assert (audit.before["version"], audit.after["version"]) == (1, 2)


def test_decision_under_the_new_version_names_it(db_session, coordinator):
    _agreement, _old, request = _waivable_shipment(db_session)
    agreement_rules.revise_rule(db_session, coordinator, "MR-SVC-01", {"origin_states": ["MIC", "JAL"]}, "States")
    decision = recognition.recorded_decision(db_session, request)
    assert (decision.decision, decision.rule_version) == ("waived", 2)


def test_deactivating_a_rule_is_a_new_version(db_session, coordinator):
    _agreement, _old, request = _waivable_shipment(db_session)
    inactive = agreement_rules.deactivate_rule(db_session, coordinator, "MR-SVC-01", "Pest-risk review pending")
    assert (inactive.version, inactive.active) == (2, False)
    decision = recognition.recorded_decision(db_session, request)
    assert decision.decision == "required"
    assert "rule_inactive" in {r.code for r in decision.reasons}


@pytest.mark.parametrize(("changes", "note", "field"), [
    ({"commodities": ["durian"]}, "note", "commodities"),
    ({"commodities": []}, "note", "commodities"),
    ({"ports": ["US-NOWHERE"]}, "note", "ports"),
    ({"origin_states": ["mic"]}, "note", "origin_states"),
    ({"max_hours_before_crossing": -1}, "note", "max_hours_before_crossing"),
    ({"valid_to": date(2020, 1, 1)}, "note", "valid_to"),
    ({"requires_seal": "yes"}, "note", "requires_seal"),
    ({"max_hours_before_crossing": 24}, "", "change_note"),
    ({"max_hours_before_crossing": 48}, "nothing really changes", None),
    ({"version": 7}, "note", "version"),
])
def test_invalid_revision_is_refused_and_changes_nothing(db_session, coordinator, changes, note, field):
    _waivable_shipment(db_session)
    before = count(db_session, Rule)
    _refused(lambda: agreement_rules.revise_rule(db_session, coordinator, "MR-SVC-01", changes, note), field)
    assert count(db_session, Rule) == before
    assert agreement_rules.current_rule(db_session, "MR-SVC-01").version == 1


def test_stale_rule_version_is_a_conflict(db_session, coordinator):
    _waivable_shipment(db_session)
    agreement_rules.revise_rule(db_session, coordinator, "MR-SVC-01", {"max_hours_before_crossing": 36}, "36 h")
    with pytest.raises(EditConflict):
        agreement_rules.revise_rule(db_session, coordinator, "MR-SVC-01", {"max_hours_before_crossing": 12},
                                    "12 h", expected_version=1)
    assert agreement_rules.current_rule(db_session, "MR-SVC-01").version == 2


def test_create_rule_starts_at_version_one_with_a_unique_code(db_session, coordinator):
    agreement = make_agreement(db_session)
    make_commodity(db_session, "lime")
    fields = {"commodities": "lime", "origin_states": "COL, MIC", "valid_from": date(2027, 1, 1)}
    rule = agreement_rules.create_rule(db_session, coordinator, agreement, "MR-LIM-09", fields, "Limes")
    assert (rule.version, rule.commodities, rule.origin_states, rule.requires_seal) == (1, ["lime"], ["COL", "MIC"],
                                                                                         True)
    _refused(lambda: agreement_rules.create_rule(db_session, coordinator, agreement, "MR-LIM-09", fields), "code")


def test_rules_of_an_expired_agreement_cannot_change(db_session, coordinator):
    agreement, _rule, _request = _waivable_shipment(db_session)
    agreement.status = "expired"
    _refused(lambda: agreement_rules.revise_rule(db_session, coordinator, "MR-SVC-01",
                                                 {"max_hours_before_crossing": 12}, "note"), "agreement")


TODAY = date(2027, 3, 10)


def test_milestones_overdue_only_while_open(db_session, coordinator):
    agreement = make_agreement(db_session)
    late = make_milestone(db_session, agreement, due_on=TODAY - timedelta(days=1), status="in_progress")
    make_milestone(db_session, agreement, due_on=TODAY - timedelta(days=5), status="done",
                   completed_on=TODAY - timedelta(days=6))
    make_milestone(db_session, agreement, due_on=TODAY - timedelta(days=5), status="cancelled")
    make_milestone(db_session, agreement, due_on=TODAY, status="planned")
    assert work_plan.overdue_milestones(db_session, TODAY, agreement) == [late]
    work_plan.update_milestone(db_session, coordinator, late, today=TODAY, status="done", approved=True)
    assert (late.status, late.completed_on) == ("done", TODAY)
    assert work_plan.overdue_milestones(db_session, TODAY, agreement) == []


def test_create_milestone_and_refusals(db_session, coordinator):
    agreement = make_agreement(db_session)
    milestone = work_plan.create_milestone(db_session, coordinator, agreement, title="Train officers",
                                           owner_agency="CBP", due_on=date(2027, 4, 1))
    assert milestone.status == "planned"
    before = count(db_session, Milestone)
    _refused(lambda: work_plan.create_milestone(db_session, coordinator, agreement, title="X",
                                                owner_agency="FDA", due_on=date(2027, 4, 1)), "owner_agency")
    _refused(lambda: work_plan.create_milestone(db_session, coordinator, agreement, title="",
                                                owner_agency="CBP", due_on=date(2027, 4, 1)), "title")
    assert count(db_session, Milestone) == before
    _refused(lambda: work_plan.update_milestone(db_session, coordinator, milestone, today=TODAY, status="done",
                                                completed_on=TODAY + timedelta(days=1), approved=True), "completed_on")
    _refused(lambda: work_plan.update_milestone(db_session, coordinator, milestone, today=TODAY, status="done"),
             "status")
    _refused(lambda: work_plan.update_milestone(db_session, coordinator, milestone, today=TODAY,
                                                status="finished"), "status")
    assert milestone.status == "planned"


def test_measures_take_the_metrics_unit_and_validate_targets(db_session, coordinator):
    agreement = make_agreement(db_session)
    measure = work_plan.create_measure(db_session, coordinator, agreement, metric="inspector_hours_avoided",
                                       name="Hours", target=300, direction="at_least", period="month")
    assert measure.unit == "hours"
    _refused(lambda: work_plan.create_measure(db_session, coordinator, agreement, metric="inspector_hours_avoided",
                                              name="Again", target=1, direction="at_least", period="month"), "metric")
    _refused(lambda: work_plan.create_measure(db_session, coordinator, agreement, metric="happiness",
                                              name="?", target=1, direction="at_least", period="month"), "metric")
    share = make_measure(db_session, agreement, "waived_share")
    _refused(lambda: work_plan.update_measure_target(db_session, coordinator, share, 120), "target")
    _refused(lambda: work_plan.update_measure_target(db_session, coordinator, share, -1), "target")
    work_plan.update_measure_target(db_session, coordinator, share, 70)
    assert db_session.get(PerformanceMeasure, share.id).target == 70.0


def test_audit_times_are_aware(db_session, coordinator):
    agreement = make_agreement(db_session)
    agreements.change_status(db_session, coordinator, agreement, "suspended", date(2027, 2, 11), SUSPENSION)
    db_session.flush()
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "agreement.suspended"))
    assert entry.occurred_at <= datetime.now(timezone.utc)

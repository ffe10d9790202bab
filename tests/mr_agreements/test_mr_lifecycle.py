"""Agreement lifecycle transitions and rule revisions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mr_agreements import ALLOWED_TRANSITIONS, LifecycleError, decide, revise_rule, transition

from .mr_builders import IN_TIME, make_agreement, make_rule, make_shipment

DAY = date(2027, 2, 11)


def test_full_lifecycle_draft_active_suspended_reactivated_expired():
    agreement = make_agreement(status="draft")
    agreement = transition(agreement, "active", date(2027, 1, 1))
    agreement = transition(agreement, "suspended", DAY, reason="security incident in Uruapan")
    assert (agreement.status, agreement.status_since, agreement.status_reason) == (
        "suspended", DAY, "security incident in Uruapan")
    agreement = transition(agreement, "active", date(2027, 2, 20))
    assert (agreement.status, agreement.status_reason) == ("active", None)
    agreement = transition(agreement, "expired", date(2027, 12, 31))
    assert agreement.status == "expired"


def test_transition_returns_a_new_agreement():
    original = make_agreement()
    suspended = transition(original, "suspended", DAY, reason="threats to inspectors")
    assert original.status == "active"
    assert suspended.id == original.id and suspended.effective_from == original.effective_from


def test_suspended_agreement_can_expire():
    suspended = transition(make_agreement(), "suspended", DAY, reason="threats")
    assert transition(suspended, "expired", date(2027, 3, 1)).status == "expired"


@pytest.mark.parametrize(("start", "target"), [
    pytest.param("draft", "suspended", id="draft-to-suspended"),
    pytest.param("draft", "expired", id="draft-to-expired"),
    pytest.param("active", "draft", id="active-to-draft"),
    pytest.param("active", "active", id="active-to-active"),
    pytest.param("expired", "active", id="expired-to-active"),
    pytest.param("suspended", "draft", id="suspended-to-draft"),
])
def test_forbidden_transitions_are_refused_with_a_clear_message(start, target):
    with pytest.raises(LifecycleError, match=f"cannot go from {start} to {target}"):
        transition(make_agreement(status=start), target, DAY, reason="because")


def test_allowed_transitions_table_matches_the_lifecycle():
    assert {status: sorted(targets) for status, targets in ALLOWED_TRANSITIONS.items()} == {
        "draft": ["active"], "active": ["expired", "suspended"],
        "suspended": ["active", "expired"], "expired": []}


@pytest.mark.parametrize("reason", [None, "", "   "], ids=["none", "empty", "blank"])
def test_suspension_needs_a_reason(reason):
    with pytest.raises(LifecycleError, match="suspending agreement MR-2027 needs a reason"):
        transition(make_agreement(), "suspended", DAY, reason=reason)


def test_unknown_status_is_refused():
    with pytest.raises(LifecycleError, match="unknown agreement status 'paused'"):
        transition(make_agreement(), "paused", DAY)


def test_change_dated_before_the_current_status_is_refused():
    suspended = make_agreement(status="suspended", status_since=DAY, status_reason="x")
    with pytest.raises(LifecycleError, match="would predate it"):
        transition(suspended, "active", DAY - timedelta(days=1))


def test_suspension_stops_waivers_and_reactivation_restores_them():
    rule, shipment = make_rule(), make_shipment()
    suspended = transition(make_agreement(), "suspended", DAY, reason="security incident")
    assert decide(shipment, IN_TIME, [rule], [suspended]).reason_texts() == (
        "MR-AVO-01: agreement MR-2027 suspended on 2027-02-11: security incident",)
    reactivated = transition(suspended, "active", date(2027, 2, 20))
    assert decide(shipment, IN_TIME, [rule], [reactivated]).waived


def test_revision_bumps_version_and_applies_changes():
    revised = revise_rule(make_rule(version=2), ports=["US-PHARR", "US-LAREDO"],
                          max_hours_before_crossing=24)
    assert revised.version == 3
    assert revised.ports == ("US-PHARR", "US-LAREDO")
    assert revised.max_hours_before_crossing == 24
    assert revised.id == "MR-AVO-01"


def test_decision_names_the_version_it_was_made_under():
    old = make_rule()
    new = revise_rule(old, origin_states=("MIC",))
    assert decide(make_shipment(), IN_TIME, [old]).rule_version == 1
    assert decide(make_shipment(), IN_TIME, [new]).rule_version == 2


@pytest.mark.parametrize(("changes", "message"), [
    pytest.param({"id": "X"}, "cannot change id", id="id"),
    pytest.param({"agreement": "X"}, "cannot change agreement", id="agreement"),
    pytest.param({"version": 9}, "cannot change version", id="version"),
    pytest.param({"port": ("US-PHARR",)}, "has no field port", id="unknown-field"),
    pytest.param({}, "must change something", id="no-change"),
    pytest.param({"ports": "US-PHARR"}, "ports must be a list", id="string-for-list"),
])
def test_invalid_revisions_are_refused(changes, message):
    with pytest.raises(LifecycleError, match=message):
        revise_rule(make_rule(), **changes)

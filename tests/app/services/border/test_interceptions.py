"""The officer records what a border inspection found; bad reports are refused naming the field."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.models import AuditEntry, Inspection, Interception
from app.services.border.interceptions import Finding, record_interceptions, record_lab_result
from app.services.border.border_result import record_border_result
from app.services.errors import WorkflowError
from tests.factories import count

from .safety_scenario import WEEVIL, at_the_border, intercepted


@pytest.fixture
def queued(db_session, users):
    """A load whose border inspection is required (its officer reinstated it), in the port's queue."""
    scenario = at_the_border(db_session, users, "NOGA-610001", verification_rate=1.0)
    assert scenario.request.status == "at_border"
    return scenario


def test_an_interception_is_recorded_with_its_pest_stage_count_and_action(app, db_session, users, queued):
    with app.test_request_context():
        [row] = intercepted(db_session, users, queued)
    assert (row.organism_code, row.life_stage, row.count, row.action) == ("heilipus_lauri", "larva", 2, "destroyed")
    assert row.actionable and row.lab_result == "pending" and row.sent_to_lab
    inspection = db_session.get(Inspection, row.inspection_id)
    assert inspection.pests_found is True and inspection.kind == "border"
    assert count(db_session, AuditEntry) > 0


@pytest.mark.parametrize(("finding", "field"), [
    (replace(WEEVIL, organism="unknown_beetle"), "interceptions[0].organism"),
    (replace(WEEVIL, organism="anastrepha_ludens"), "interceptions[0].organism"),  # not an avocado pest
    (replace(WEEVIL, count=0), "interceptions[0].count"),
    (replace(WEEVIL, life_stage="teenager"), "interceptions[0].life_stage"),
    (replace(WEEVIL, action="released_after_treatment"), "interceptions[0].action"),  # the inspection failed
    (replace(WEEVIL, organism="other", other_organism="  "), "interceptions[0].other_organism"),
])
def test_a_bad_report_is_refused_naming_the_field_and_changes_nothing(app, db_session, users, queued, finding,
                                                                       field):
    with app.test_request_context():
        record_border_result(db_session, users["officer"], queued.request, "fail", "Larvae.", pests_found=True)
        before = count(db_session, Interception)
        with pytest.raises(WorkflowError) as refused:
            record_interceptions(db_session, users["officer"], queued.request, [finding])
    assert refused.value.field == field
    assert count(db_session, Interception) == before


def test_no_interception_without_a_border_inspection(app, db_session, users, queued):
    with app.test_request_context(), pytest.raises(WorkflowError) as refused:
        record_interceptions(db_session, users["officer"], queued.request, [WEEVIL])
    assert refused.value.field == "inspection"


def test_an_unlisted_organism_counts_once_the_laboratory_confirms_it(app, db_session, users, queued):
    other = Finding(organism="other", other_organism="Anastrepha sp. (larva)", life_stage="larva", count=1,
                    action="destroyed", sent_to_lab=True)
    with app.test_request_context():
        [row] = intercepted(db_session, users, queued, findings=[other])
        assert not row.actionable
        record_lab_result(db_session, users["officer"], queued.request, row, "confirmed", "Anastrepha ludens")
        assert row.actionable and row.lab_result_note == "Anastrepha ludens"
        with pytest.raises(WorkflowError) as refused:
            record_lab_result(db_session, users["officer"], queued.request, row, "pending")
    assert refused.value.field == "lab_result"

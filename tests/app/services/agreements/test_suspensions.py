"""Repeated pest finds suspend an exporter's waivers at once; both agencies' supervisors lift it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Suspension, utcnow
from app.services import recognition
from app.services.agreements.suspensions import sign_lift
from app.services.border import overview as seals
from app.services.errors import ConflictError, WorkflowError
from app.services.shipments.precheck import precheck_for
from tests.factories import make_user

from ..border.safety_scenario import PORT, at_the_border, intercepted
from ..border.seal_scenario import seal_scenario


@pytest.fixture
def suspended(app, db_session, users):
    """Two loads of one exporter, each with an actionable interception: its waivers are suspended."""
    with app.test_request_context():
        for number in ("NOGA-630001", "NOGA-630002"):
            intercepted(db_session, users, at_the_border(db_session, users, number, verification_rate=1.0))
    db_session.flush()
    return db_session.query(Suspension).filter_by(scope="exporter").all()


def test_the_thresholds_interceptions_suspend_the_exporter_at_once(app, db_session, users, suspended):
    assert suspended and all(s.in_force and len(s.interceptions) == 2 for s in suspended)
    assert "2 actionable interceptions within 30 days" in suspended[0].reason
    with app.test_request_context():
        later = at_the_border(db_session, users, "NOGA-630003", verification_rate=0.0)
        decision = recognition.current_decision(db_session, later.request)
        assert decision.decision == "required" and later.request.status == "at_border"
        assert any(r["code"] == "suspended_exporter" for r in decision.reasons)
        data = {"commodity": "avocado", "origin_state": "MIC", "packhouse": "Empaque Uruapan",
                "port": later.port.code, "cross_by": (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")}
        check = precheck_for(db_session, users["exporter"].exporter_id, data)
    assert not check.waivable
    assert any("suspended on" in missing["text"] for line in check.lines for missing in line.missing)


def test_both_agencies_sign_the_lift_and_the_same_agency_cannot_sign_twice(app, db_session, users, suspended):
    aphis = make_user(db_session, role="supervisor", username="sup-aphis", agency="APHIS")
    aphis2 = make_user(db_session, role="supervisor", username="sup-aphis-2", agency="APHIS")
    senasica = make_user(db_session, role="supervisor", username="sup-senasica", agency="SENASICA")
    suspension = suspended[0]
    with app.test_request_context():
        with pytest.raises(WorkflowError) as no_reason:
            sign_lift(db_session, aphis, suspension, " ")
        assert no_reason.value.field == "reason"
        sign_lift(db_session, aphis, suspension, "Packhouse retrained; traps clean for 30 days.")
        assert suspension.in_force
        with pytest.raises(ConflictError) as twice:
            sign_lift(db_session, aphis2, suspension, "Agreed.")
        assert twice.value.field == "agency"
        with pytest.raises(WorkflowError):
            sign_lift(db_session, users["officer"], suspension, "Not mine to lift.")
        sign_lift(db_session, senasica, suspension, "SENASICA audit passed.")
    assert not suspension.in_force and suspension.lifted_by_aphis_id == aphis.id
    assert "APHIS: Packhouse retrained" in suspension.lift_reason and "SENASICA: " in suspension.lift_reason


def test_a_load_on_its_way_loses_its_waiver_when_suspended_and_gets_it_back_when_lifted(app, db_session, users):
    with app.test_request_context():
        on_its_way = seal_scenario(db_session, users, ready=utcnow() - timedelta(hours=2), port_code=PORT)
        on_its_way.rule.verification_rate = 0.0
        seals.record_result(db_session, users["inspector"], on_its_way.inspection, "pass", None,
                            [("NOGA-630010", "mechanical")])
        assert recognition.current_decision(db_session, on_its_way.request).decision == "waived"
        for number in ("NOGA-630011", "NOGA-630012"):
            intercepted(db_session, users, at_the_border(db_session, users, number, verification_rate=1.0))
        db_session.flush()
        suspended = recognition.current_decision(db_session, on_its_way.request)
        assert suspended.decision == "required"
        assert any(r["code"] == "suspended_exporter" for r in suspended.reasons)
        aphis = make_user(db_session, role="supervisor", username="s-a", agency="APHIS")
        senasica = make_user(db_session, role="supervisor", username="s-s", agency="SENASICA")
        suspensions = db_session.query(Suspension).all()  # the exporter's and its packhouse's
        assert {s.scope for s in suspensions} == {"exporter", "packhouse"}
        for suspension in suspensions:
            sign_lift(db_session, aphis, suspension, "Traps clean for 30 days.")
        assert recognition.current_decision(db_session, on_its_way.request).decision == "required"
        for suspension in suspensions:
            sign_lift(db_session, senasica, suspension, "Audit passed.")
        assert recognition.current_decision(db_session, on_its_way.request).decision == "waived"

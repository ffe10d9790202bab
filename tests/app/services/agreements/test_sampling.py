"""Verification sampling of waived loads: drawn once, reproducible, raised by risk, booked at the border."""

from __future__ import annotations

from app.services import recognition
from app.services.agreements import sampling, suspensions
from app.services.border import overview as seals
from mr_agreements.verification import draw

from ..border.safety_scenario import at_the_border, intercepted


def test_a_waived_load_is_drawn_once_and_the_draw_can_be_recomputed(db_session, users):
    scenario = at_the_border(db_session, users, "NOGA-620001", verification_rate=0.0)
    first, *later = seals.decision_trail(db_session, scenario.request)
    drawn = [d for d in [first, *later] if d.verification_probability is not None]
    assert drawn and len({(d.verification_probability, d.verification_draw) for d in drawn}) == 1
    assert drawn[0].verification_draw == draw(sampling.secret(db_session), scenario.request.reference)
    assert drawn[0].verification_basis["factors"] == ["new_exporter"]  # the exporter's first recognised loads
    assert scenario.request.status == "released" and not recognition.selected_for_verification(db_session,
                                                                                                scenario.request)


def test_a_drawn_load_is_inspected_at_the_border_all_the_same(db_session, users):
    scenario = at_the_border(db_session, users, "NOGA-620002", verification_rate=1.0)
    current = recognition.current_decision(db_session, scenario.request)
    assert scenario.request.status == "at_border" and current.decision == "required" and current.verification
    assert [r["code"] for r in current.reasons][0] == "selected_for_verification"
    queue = seals.border_inspections(db_session, scenario.port.id)
    assert [(r.reference, d.verification) for r, d in queue] == [(scenario.request.reference, True)]


def test_recent_interceptions_raise_the_chance_of_the_exporters_next_load(app, db_session, users):
    with app.test_request_context():
        first = at_the_border(db_session, users, "NOGA-620003", verification_rate=1.0)
        intercepted(db_session, users, first)
        later = at_the_border(db_session, users, "NOGA-620004", verification_rate=0.02)
    basis = recognition.current_decision(db_session, later.request).verification_basis
    assert "recent_interception" in basis["factors"] and basis["probability"] == 0.5


def test_a_flag_raises_only_the_loads_it_names_in_full(db_session, users):
    """A flag on avocado from Jalisco leaves Michoacán's avocado alone; a flag on avocado does not."""
    at_the_border(db_session, users, "NOGA-620010", verification_rate=0.0)  # the exporter is no longer new
    sampling_flag = suspensions.flag_risk(db_session, users["supervisor"], "avocado", "JAL", "Findings in Jalisco.")
    elsewhere = at_the_border(db_session, users, "NOGA-620011", verification_rate=0.02)
    assert "flagged" not in recognition.current_decision(db_session, elsewhere.request).verification_basis["factors"]
    suspensions.lower_flag(db_session, users["supervisor"], sampling_flag)
    suspensions.flag_risk(db_session, users["supervisor"], "avocado", None, "Findings in avocado.")
    named = at_the_border(db_session, users, "NOGA-620012", verification_rate=0.02)
    assert "flagged" in recognition.current_decision(db_session, named.request).verification_basis["factors"]


def test_every_session_of_the_app_draws_with_its_secret_even_outside_a_request(app, db_session):
    """The optimizer's thread has no app context: it must draw as a web request does, never with the
    development secret."""
    from app.db import db

    session = db.bound(app).session_factory()
    try:
        assert sampling.secret(session) == sampling.configured_secret(app.config) == sampling.secret(db_session)
        assert sampling.secret(session) != sampling.DEVELOPMENT_SECRET
    finally:
        session.close()
    assert sampling.configured_secret({"VERIFICATION_SECRET": "s3cret", "SECRET_KEY": "x"}) == b"s3cret"

"""Supervisors read whether recognition is safe, lift suspensions with the other agency, flag risks."""

from __future__ import annotations

from app.models import RiskFlag, Suspension
from tests.factories import make_user

from ...services.border.safety_scenario import at_the_border, intercepted


def test_suspension_shows_and_two_agencies_lift_it_from_the_page(app, client_as, db_session, users):
    with app.test_request_context():
        for number in ("NOGA-670001", "NOGA-670002"):
            intercepted(db_session, users, at_the_border(db_session, users, number, verification_rate=1.0))
    for name, agency in (("page-sup-aphis", "APHIS"), ("page-sup-sen", "SENASICA")):
        make_user(db_session, role="supervisor", username=name, agency=agency)
    db_session.commit()
    suspension = db_session.query(Suspension).filter_by(scope="exporter").first()
    page = client_as("supervisor").get("/supervisor/safety").get_data(as_text=True)
    assert "Is recognition safe?" in page and "interception rate among verified waived loads" in page
    assert "2 actionable interceptions within 30 days" in page
    exporter_home = client_as("exporter").get("/exporter/").get_data(as_text=True)
    assert "Recognition suspended" in exporter_home and "probability" not in exporter_home

    def sign(username):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": "jointinspect-demo"})
        return client.post(f"/supervisor/suspensions/{suspension.id}/lift", data={"reason": "Traps clean."},
                           follow_redirects=True).get_data(as_text=True)

    assert "other agency" in sign("page-sup-aphis")
    assert "recognition resumes" in sign("page-sup-sen")
    db_session.refresh(suspension)
    assert not suspension.in_force


def test_a_supervisor_raises_and_lowers_a_risk_flag(client_as, db_session):
    supervisor = client_as("supervisor")
    refused = supervisor.post("/supervisor/risk-flags", data={"origin_state": "MIC", "reason": ""},
                              follow_redirects=True)
    assert "Say why." in refused.get_data(as_text=True)
    supervisor.post("/supervisor/risk-flags", data={"origin_state": "mic", "reason": "Weevil outbreak in Tancítaro."})
    flag = db_session.query(RiskFlag).one()
    assert flag.origin_state == "MIC" and flag.lowered_at is None
    supervisor.post(f"/supervisor/risk-flags/{flag.id}/lower")
    db_session.refresh(flag)
    assert flag.lowered_at is not None
    assert client_as("exporter").get("/supervisor/safety").status_code == 403

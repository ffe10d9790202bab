"""Loads drawn for a verification inspection get their port inspection booked by the optimizer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.models import BorderDecision, Inspection, Rule, ScheduleRun, Shipment
from app.services.planning.scenario import build_scenario
from app.services.seeding import seed

VERIFIES = "selected at random for a verification inspection of recognised loads"


def test_every_drawn_load_the_plan_serves_is_booked_at_its_port_with_cbp(client, auth, db_session):
    seed(db_session, demo_accounts=True)
    for rule in db_session.scalars(sa.select(Rule).where(Rule.code == "MR-AVO-01")):
        rule.verification_rate = 1.0  # every avocado load the rule waives is drawn
    db_session.commit()
    today = datetime.now(timezone.utc).date()
    start = datetime.combine(today - timedelta(days=1), datetime.min.time(), timezone.utc)
    scenario, _ids = build_scenario(db_session, start, start + timedelta(days=9))
    drawn = {r.id for r in scenario.requests if r.border_required == VERIFIES}
    assert drawn, "the plannable avocado loads are drawn before the optimizer plans them"

    auth.login("coordinator")
    response = client.post("/coordinator/runs", data={"start_date": (today - timedelta(days=1)).isoformat(),
                                                       "days": 9, "time_limit_s": 5})
    run = db_session.scalar(sa.select(ScheduleRun).order_by(ScheduleRun.id.desc()))
    db_session.refresh(run)
    assert run.status == "succeeded", run.error
    assert response.status_code == 302 and client.post(f"/coordinator/runs/{run.id}/publish").status_code == 302
    db_session.expire_all()
    booked = 0
    for reference in drawn:
        shipment = db_session.scalar(sa.select(Shipment).where(Shipment.reference == reference))
        if shipment.status != "scheduled":
            continue  # not served this week
        decision = db_session.scalar(sa.select(BorderDecision).where(BorderDecision.request_id == shipment.id,
                                                                     BorderDecision.current))
        border = db_session.scalars(sa.select(Inspection).where(Inspection.request_id == shipment.id,
                                                                Inspection.kind == "border",
                                                                Inspection.status == "scheduled")).all()
        # Drawn or required by the rules (inspected too early for a waiver, say): a CBP inspection either way.
        assert len(border) == 1 and [b.inspector.agency for b in border[0].bookings if b.active] == ["CBP"]
        if decision.decision == "waived":
            assert decision.verification and decision.verifies
            booked += 1
    assert booked > 0

"""Shipments that reach the border and get a border inspection, for the verification and pest stories."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from app.services.border import overview as seals
from app.services.border.border_result import record_border_result
from app.services.border.interceptions import Finding, record_interceptions

from tests.factories import make_pest

from .seal_scenario import SealScenario, seal_scenario

WEEVIL = Finding(organism="heilipus_lauri", life_stage="larva", count=2, action="destroyed", sent_to_lab=True)


PORT = "US-SAFETY"
# Loads of one test share their inspectors: each starts two hours before the last, as PostgreSQL's
# exclusion constraint on bookings asks (SQLite would not notice an overlap).
_STAGGER = itertools.count()


def at_the_border(session, users, number: str, *, days_ago: int = 3, verification_rate: float | None = None,
                  arrive_after_hours: float = 20, **kwargs) -> SealScenario:
    """A sealed avocado load that passed its joint inspection and whose truck is at the port now (the rule
    waives within 48 h of the inspection's end)."""
    make_pest(session)
    ready = datetime.now(timezone.utc) - timedelta(days=days_ago, hours=2 * (next(_STAGGER) % 12))
    scenario = seal_scenario(session, users, ready=ready, port_code=PORT, **kwargs)
    if verification_rate is not None:
        scenario.rule.verification_rate = verification_rate
    seals.record_result(session, users["inspector"], scenario.inspection, "pass", None, [(number, "mechanical")])
    seals.verify_seals(session, users["officer"], scenario.request, {number: "intact"}, [],
                       arrived_at=scenario.inspection.end + timedelta(hours=arrive_after_hours))
    session.flush()
    return scenario


def intercepted(session, users, scenario: SealScenario, findings=(WEEVIL,)):
    """The border inspection fails on pests, which the officer records."""
    record_border_result(session, users["officer"], scenario.request, "fail", "Live larvae in the seed.",
                         pests_found=True)
    return record_interceptions(session, users["officer"], scenario.request, list(findings))

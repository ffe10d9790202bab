"""A stored optimizer run as the exchange format's schedule, its border decisions asked of the one door."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from scheduling import domain as sd

from ...models import ScheduleRun, Shipment, Site, utcnow
from .. import recognition


def planned_border_decision(session: Session, shipment: Shipment, inland_end: datetime,
                            book: recognition.Rulebook | None = None,
                            inspected_anyway: dict[int, str] | None = None,
                            site: Site | None = None) -> sd.ScheduledBorderDecision:
    """The rules' decision for a joint inspection planned to end at `inland_end` at `site`, as a schedule
    states it: a load the rules waive but whose border inspection is done all the same (drawn for
    verification) is required for that reason, as the optimizer planned it. `inspected_anyway` holds those
    reasons when they were read for many loads at once (recognition.border_required_ahead). At a site north
    of the border that rule 1b recognises, the decision is joint_us_site."""
    decision = recognition.planned_decision(session, shipment, inland_end, book, site)
    if not decision.waived:
        return sd.ScheduledBorderDecision(shipment.reference, "required",
                                          reasons=recognition.reason_texts(decision.reasons))
    if inspected_anyway is None:
        inspected_anyway = recognition.border_required_ahead(session, [shipment], utcnow())
    if shipment.id in inspected_anyway:
        return sd.ScheduledBorderDecision(shipment.reference, "required", reasons=(inspected_anyway[shipment.id],))
    if recognition.is_joint_us_site(decision.reasons):
        return sd.ScheduledBorderDecision(shipment.reference, sd.JOINT_US_SITE, rule=decision.rule)
    return sd.ScheduledBorderDecision(shipment.reference, sd.WAIVED, rule=decision.rule)


def run_schedule(session: Session, run: ScheduleRun, only: set[str] | None = None) -> sd.Schedule:
    """The run's assignments with the rules' decision for each planned joint inspection as it stands now.

    `only` limits the decisions to those shipments (the ones a scenario still plans).
    """
    book = recognition.rulebook(session)
    assignments = tuple(
        sd.Assignment(a.request.reference, a.kind, a.site.code, a.start, a.end,
                      tuple(i.code for i in a.inspectors), pinned=a.pinned)
        for a in run.assignments)
    joint = [a for a in run.assignments
             if a.kind == sd.JOINT_INLAND and (only is None or a.request.reference in only)]
    anyway = recognition.border_required_ahead(session, [a.request for a in joint], utcnow())
    decisions = tuple(planned_border_decision(session, a.request, a.end, book, anyway, a.site) for a in joint)
    unscheduled = tuple(sd.Unscheduled(u.request.reference, u.reason_text) for u in run.unscheduled)
    return sd.Schedule(assignments, decisions, unscheduled, dict(run.stats or {}))

"""The Joint Work Plan: milestones with their owner and due date, and the measures' targets."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Agreement, ChangeProposal, Milestone, MilestoneGate, PerformanceMeasure, Rule, User
from ...models.agreement import MEASURE_DIRECTIONS, MEASURE_PERIODS, MILESTONE_OWNERS, MILESTONE_STATUSES
from . import approvals
from .agreement import check_date, check_text
from ..access.audit import record
from ..errors import WorkflowError
from .measures import METRICS

OWNER_AGENCIES = MILESTONE_OWNERS
OPEN_MILESTONE_STATUSES = ("planned", "in_progress")


def milestones(session: Session, agreement: Agreement) -> list[Milestone]:
    return list(session.scalars(
        sa.select(Milestone).where(Milestone.agreement_id == agreement.id).order_by(Milestone.due_on, Milestone.id)
    ))


def overdue_milestones(session: Session, today: date, agreement: Agreement | None = None) -> list[Milestone]:
    """Due before today and neither done nor cancelled."""
    query = sa.select(Milestone).where(Milestone.due_on < today, Milestone.status.in_(OPEN_MILESTONE_STATUSES))
    if agreement is not None:
        query = query.where(Milestone.agreement_id == agreement.id)
    return list(session.scalars(query.order_by(Milestone.due_on)))


def create_milestone(session: Session, actor: User | None, agreement: Agreement, *, title: Any,
                     owner_agency: Any, due_on: Any, title_es: Any = None, notes: Any = None,
                     gates: Any = None) -> Milestone:
    """A planned milestone of the agreement's Joint Work Plan."""
    title = check_text(title, "title", 300)
    title_es = check_text(title_es, "title_es", 300, required=False)
    if owner_agency not in OWNER_AGENCIES:
        raise WorkflowError(_("Choose APHIS, SENASICA, CBP, SAT or JOINT."), "owner_agency")
    due_on = check_date(due_on, "due_on")
    notes = check_text(notes, "notes", 2000, required=False)
    milestone = Milestone(agreement_id=agreement.id, title=title, title_es=title_es, owner_agency=owner_agency,
                          due_on=due_on, notes=notes, status="planned")
    session.add(milestone)
    session.flush()
    record(session, actor, "milestone.created", milestone, after=milestone_snapshot(milestone))
    if gates:
        set_gates(session, actor, milestone, gates)
    return milestone


def update_milestone(session: Session, actor: User | None, milestone: Milestone, *, today: date,
                     status: Any = None, completed_on: Any = None, notes: Any = None,
                     due_on: Any = None, approved: bool = False) -> Milestone:
    """Change a milestone's status (done needs the day it was done) and optionally its notes or due date.

    Done only once both parties approved it (propose_completion): a milestone may open rules it gates.
    """
    status = milestone.status if status is None else status
    if status not in MILESTONE_STATUSES:
        raise WorkflowError(_("Choose planned, in progress, done or cancelled."), "status")
    if status == "done" and milestone.status != "done" and not approved:
        raise WorkflowError(_("A milestone is done when both parties approve it: propose its completion."), "status")
    completed_on = check_date(completed_on, "completed_on", required=False)
    if status == "done":
        completed_on = completed_on or milestone.completed_on or today
        if completed_on > today:
            raise WorkflowError(_("A milestone cannot be done on a future day."), "completed_on")
    elif completed_on is not None:
        raise WorkflowError(_("Only a milestone that is done has a completion date."), "completed_on")
    due_on = check_date(due_on, "due_on", required=False) or milestone.due_on
    notes = check_text(notes, "notes", 2000, required=False) if notes is not None else milestone.notes
    before = milestone_snapshot(milestone)
    milestone.status, milestone.completed_on = status, completed_on
    milestone.due_on, milestone.notes = due_on, notes
    session.flush()
    record(session, actor, "milestone.updated", milestone, before=before, after=milestone_snapshot(milestone))
    return milestone


def set_gates(session: Session, actor: User | None, milestone: Milestone, rule_codes: Any) -> Milestone:
    """The rules of the milestone's agreement that waive nothing before it is done."""
    if isinstance(rule_codes, str):
        rule_codes = rule_codes.split(",")
    if not isinstance(rule_codes, (list, tuple)) or not all(isinstance(c, str) for c in rule_codes):
        raise WorkflowError(_("Give a list of codes."), "gates")
    codes = list(dict.fromkeys(c.strip().upper() for c in rule_codes if c.strip()))
    known = set(session.scalars(sa.select(Rule.code).where(Rule.agreement_id == milestone.agreement_id,
                                                           Rule.code.in_(codes))))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise WorkflowError(_("Not a rule of this agreement: %(codes)s.", codes=", ".join(unknown)), "gates")
    before = {"gates": milestone.gated_rules}
    milestone.gates = [MilestoneGate(rule_code=code) for code in sorted(codes)]
    session.flush()
    record(session, actor, "milestone.gates", milestone, before=before, after={"gates": milestone.gated_rules})
    return milestone


def propose_completion(session: Session, actor: User, milestone: Milestone, *, today: date,
                       completed_on: Any = None) -> ChangeProposal:
    """Propose the milestone done on a day (today by default); the owner's side and the other party approve."""
    if milestone.status in ("done", "cancelled"):
        raise WorkflowError(_("This milestone is already done or cancelled."), "status")
    completed_on = check_date(completed_on, "completed_on", required=False) or today
    if completed_on > today:
        raise WorkflowError(_("A milestone cannot be done on a future day."), "completed_on")
    agreement = milestone.agreement
    parties = approvals.agreement_parties(agreement, None if milestone.owner_agency == "JOINT"
                                          else milestone.owner_agency)
    return approvals.propose(session, actor, kind="milestone_done", agreement=agreement, subject=milestone.title,
                             subject_id=milestone.id, payload={"completed_on": completed_on.isoformat()},
                             parties=parties)


def apply_completion(session: Session, proposal: ChangeProposal) -> str:
    milestone = session.get(Milestone, proposal.subject_id)
    completed_on = date.fromisoformat(proposal.payload["completed_on"])
    update_milestone(session, session.get(User, proposal.proposed_by_id or 0), milestone, today=completed_on,
                     status="done", completed_on=completed_on, approved=True)
    return _("Milestone done on %(date)s.", date=completed_on.isoformat())


def create_measure(session: Session, actor: User | None, agreement: Agreement, *, metric: Any, name: Any,
                   target: Any, direction: Any, period: Any, name_es: Any = None, baseline: Any = None,
                   baseline_note: Any = None) -> PerformanceMeasure:
    """A performance measure: a computed metric, its target and period; its unit is the metric's."""
    if metric not in METRICS:
        raise WorkflowError(_("Choose one of the metrics the app computes."), "metric")
    name = check_text(name, "name", 300)
    name_es = check_text(name_es, "name_es", 300, required=False)
    if direction not in MEASURE_DIRECTIONS:
        raise WorkflowError(_("Choose at least or at most."), "direction")
    if period not in MEASURE_PERIODS:
        raise WorkflowError(_("Choose week, month, quarter or year."), "period")
    target = check_target(metric, target)
    exists = session.scalar(sa.select(PerformanceMeasure.id).where(
        PerformanceMeasure.agreement_id == agreement.id, PerformanceMeasure.metric == metric))
    if exists is not None:
        raise WorkflowError(_("This agreement already measures that metric."), "metric")
    baseline = None if baseline is None else check_target(metric, baseline, "baseline")
    measure = PerformanceMeasure(agreement_id=agreement.id, metric=metric, name=name, name_es=name_es,
                                 target=target, unit=METRICS[metric].unit, direction=direction, period=period,
                                 baseline=baseline,
                                 baseline_note=check_text(baseline_note, "baseline_note", 500, required=False))
    session.add(measure)
    session.flush()
    record(session, actor, "measure.created", measure, after={"metric": metric, "target": target})
    return measure


def update_measure_target(session: Session, actor: User | None, measure: PerformanceMeasure,
                          target: Any) -> PerformanceMeasure:
    target = check_target(measure.metric, target)
    before = {"metric": measure.metric, "target": measure.target}
    measure.target = target
    session.flush()
    record(session, actor, "measure.target", measure, before=before, after={"metric": measure.metric, "target": target})
    return measure


def check_target(metric: str, value: Any, field: str = "target") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise WorkflowError(_("Give a number zero or above."), field)
    if METRICS.get(metric) is not None and METRICS[metric].unit == "%" and value > 100:
        raise WorkflowError(_("A percentage is at most 100."), field)
    return float(value)


def milestone_snapshot(milestone: Milestone) -> dict[str, Any]:
    return {
        "gates": milestone.gated_rules,
        "title": milestone.title, "owner_agency": milestone.owner_agency, "status": milestone.status,
        "due_on": milestone.due_on.isoformat(),
        "completed_on": milestone.completed_on.isoformat() if milestone.completed_on else None,
        "notes": milestone.notes,
    }

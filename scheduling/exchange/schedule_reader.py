"""Reads a jointinspect-schedule/1 document into domain objects, noting every problem found."""

from __future__ import annotations

from scheduling.domain import AVOIDED, Assignment, Schedule, ScheduledBorderDecision, Unscheduled
from scheduling.exchange.errors import Problem, ScenarioError
from scheduling.exchange.fields import Reader, kind_of
from scheduling.exchange.formats import ASSIGNMENT_TYPES, DECISIONS, SCHEDULE_FORMAT


def read_schedule(data) -> Schedule:
    """The schedule in `data` (well-formedness only), or ScenarioError listing every problem."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ScenarioError([Problem("(document)", f"must be a JSON object, got {kind_of(data)}")])
    top = Reader(problems, "", data)
    if data.get("format") != SCHEDULE_FORMAT:
        top.note("format", f"must be {SCHEDULE_FORMAT!r}, got {data.get('format')!r}")
    assignments = [_assignment(r) for r in top.children("assignments")]
    decisions = [_decision(r) for r in top.children("border_decisions")]
    unscheduled = [_unscheduled(r) for r in top.children("unscheduled")]
    stats = data.get("stats", {})
    if not isinstance(stats, dict):
        top.note("stats", f"must be an object, got {kind_of(stats)}")
    if problems:
        raise ScenarioError(problems)
    return Schedule(tuple(assignments), tuple(decisions), tuple(unscheduled), dict(stats))


def _assignment(r: Reader) -> Assignment | None:
    start, end = r.time("start"), r.time("end")
    if start and end and end <= start:
        r.note("end", f"must be after start ({start.isoformat()}), got {end.isoformat()}")
    assignment = Assignment(
        request=r.text("request"),
        type=r.choice("type", ASSIGNMENT_TYPES),
        site=r.text("site"),
        start=start,
        end=end,
        inspectors=r.texts("inspectors", nonempty=True),
        pinned=r.flag("pinned", default=False),
    )
    return r.result(assignment)


def _decision(r: Reader) -> ScheduledBorderDecision | None:
    decision = r.choice("decision", DECISIONS)
    rule = r.text("rule", default=None)
    if decision in AVOIDED and "rule" not in r.obj:
        r.note("rule", f"is missing: a {decision} decision names the rule that allows it")
    decision_obj = ScheduledBorderDecision(
        request=r.text("request"),
        decision=decision,
        rule=rule,
        reasons=r.texts("reasons", default=()),
    )
    return r.result(decision_obj)


def _unscheduled(r: Reader) -> Unscheduled | None:
    return r.result(Unscheduled(request=r.text("request"), reason=r.text("reason")))

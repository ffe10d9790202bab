"""Checks any schedule against every rule of the exchange spec, independently of the solver."""

from __future__ import annotations

from scheduling.domain import BORDER, JOINT_INLAND, Scenario, Schedule, ScheduledBorderDecision
from scheduling.validation.context import UTC, Context, Served, Slot, Violation
from scheduling.validation.request_rules import (border_decision, border_inspection, inland_inspection,
                                                 served_or_listed)
from scheduling.validation.time_rules import check_time_rules


def validate(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    """Every violation of spec rules 1-7 in the schedule, each named in plain words; [] when valid."""
    ctx = Context(scenario)
    out: list[Violation] = []
    slots = _resolve(ctx, schedule, out)
    per_request = _group(slots, out)
    decisions = _decisions_by_request(ctx, schedule, out)
    for request_id, served in per_request.items():
        request = ctx.requests[request_id]
        if served.inland:
            out.extend(inland_inspection(ctx, request, served.inland))
        if served.border:
            out.extend(border_inspection(ctx, request, served.border, served.inland))
    out += check_time_rules(ctx, slots)
    for request in scenario.requests:
        served = per_request.get(request.id, Served())
        out.extend(border_decision(ctx, request, served, decisions.get(request.id)))
    out.extend(served_or_listed(ctx, schedule, per_request, decisions))
    return out


def _resolve(ctx: Context, schedule: Schedule, out: list[Violation]) -> list[Slot]:
    """The assignments whose request, site and inspectors exist; the others are violations."""
    slots = []
    for a in schedule.assignments:
        unknown = []
        if a.request not in ctx.requests:
            unknown.append(f"request {a.request!r}")
        if a.site not in ctx.sites:
            unknown.append(f"site {a.site!r}")
        unknown += [f"inspector {i!r}" for i in a.inspectors if i not in ctx.inspectors]
        if a.type not in (JOINT_INLAND, BORDER):
            unknown.append(f"assignment type {a.type!r}")
        if unknown:
            message = f"assignment of {a.request} refers to unknown {', '.join(unknown)}"
            out.append(Violation("unknown_reference", a.request, message))
        elif a.start.tzinfo is None or a.end.tzinfo is None:
            message = f"assignment of {a.request} has a time without UTC offset"
            out.append(Violation("time_offset", a.request, message))
        else:
            slots.append(Slot(a, a.start.astimezone(UTC), a.end.astimezone(UTC)))
    return slots


def _group(slots: list[Slot], out: list[Violation]) -> dict[str, Served]:
    """Each request's inspections; a second inspection of the same type is a violation."""
    per_request: dict[str, Served] = {}
    for slot in slots:
        served = per_request.setdefault(slot.request, Served())
        attribute = "inland" if slot.assignment.type == JOINT_INLAND else "border"
        if getattr(served, attribute) is None:
            setattr(served, attribute, slot)
        else:
            served.extra.append(slot)
            message = f"{slot.request} has more than one {slot.assignment.type} inspection"
            out.append(Violation("duplicate", slot.request, message))
    return per_request


def _decisions_by_request(ctx: Context, schedule: Schedule, out: list[Violation]) -> dict:
    decisions: dict[str, ScheduledBorderDecision] = {}
    for d in schedule.border_decisions:
        if d.request not in ctx.requests:
            message = f"border decision for unknown request {d.request!r}"
            out.append(Violation("unknown_reference", d.request, message))
        elif d.request in decisions:
            out.append(Violation("duplicate", d.request, f"{d.request} has more than one border decision"))
        else:
            decisions[d.request] = d
    return decisions

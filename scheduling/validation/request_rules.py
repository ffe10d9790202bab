"""Schedule validation per request: the joint and border inspections, the border decision, the listing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from scheduling import waiver
from scheduling.domain import (AVOIDED, JOINT_US_SITE, REQUIRED, WAIVED, Request, Schedule,
                               ScheduledBorderDecision)
from scheduling.validation.context import Context, Served, Slot, Violation


def inland_inspection(ctx: Context, request: Request, slot: Slot) -> Iterator[Violation]:
    """Rule 1: the joint inland inspection's site, team, duration and window."""
    what, rid = ctx.describe(slot), request.id
    site = ctx.sites[slot.site]
    if site.kind != "inland":
        yield Violation("inland_site", rid, f"{what}: the site is a {site.kind}, not an inland site")
    elif not site.inspects(request.commodity):
        yield Violation("inland_site", rid, f"{what}: the site does not inspect {request.commodity}")
    if request.sites is not None and site.id not in request.sites:
        allowed = ", ".join(request.sites) or "none"
        yield Violation("inland_site", rid, f"{what}: not one of the exporter's sites ({allowed})")
    yield from _team(ctx, request, slot, what)
    yield from _duration(request, slot, request.inspection_minutes, what)
    if request.crosses_before(site):
        yield from _after_crossing(ctx, request, slot, what)
    else:
        yield from _before_crossing(ctx, request, slot, what)


def _before_crossing(ctx: Context, request: Request, slot: Slot, what: str) -> Iterator[Violation]:
    """Rule 1 (version 2: after the drive from the packhouse): ready in time, at the port in time."""
    rid = request.id
    from_origin = ctx.scenario.travel_from_origin(request, slot.site)
    if slot.start < request.ready + timedelta(minutes=from_origin):
        ready = ctx.local(request.ready, slot.site)
        drive = f" and the drive from its packhouse takes {from_origin} min" if request.origin else ""
        yield Violation("inland_window", rid, f"{what} starts before the shipment can be there "
                                              f"(ready {ready}{drive})")
    transit = ctx.scenario.travel(slot.site, request.port)
    if slot.end + timedelta(minutes=transit) > request.cross_by:
        yield Violation("inland_window", rid,
                        f"{what} ends too late: with {transit} min to {ctx.place(request.port)} the truck "
                        f"arrives after cross_by ({ctx.local(request.cross_by, request.port)})")


def _after_crossing(ctx: Context, request: Request, slot: Slot, what: str) -> Iterator[Violation]:
    """Rule 1b: north of the border, after crossing the port and driving on; ends by cross_by."""
    scenario, rid = ctx.scenario, request.id
    at_port = max(request.arrive_port,
                  request.ready + timedelta(minutes=scenario.travel_from_origin(request, request.port)))
    arrives = at_port + timedelta(minutes=scenario.travel(request.port, slot.site))
    if slot.start < arrives:
        yield Violation("inland_window", rid,
                        f"{what} is north of the border: the truck crosses at {ctx.place(request.port)} "
                        f"first and cannot be there before {ctx.local(arrives, slot.site)}")
    if slot.end > request.cross_by:
        yield Violation("inland_window", rid,
                        f"{what} ends after cross_by ({ctx.local(request.cross_by, slot.site)})")


def _team(ctx: Context, request: Request, slot: Slot, what: str) -> Iterator[Violation]:
    ids = slot.assignment.inspectors
    agencies = sorted(ctx.inspectors[i].agency for i in ids)
    if agencies != ["APHIS", "SENASICA"] or len(set(ids)) != 2:
        team = ", ".join(f"{i} ({ctx.inspectors[i].agency})" for i in ids)
        yield Violation("inland_team", request.id,
                        f"{what} needs exactly one APHIS and one SENASICA inspector, has {team}")
    yield from _qualified(ctx, request, ids, "inland_team", what)


def _qualified(ctx: Context, request: Request, ids, rule: str, what: str) -> Iterator[Violation]:
    for i in dict.fromkeys(ids):
        if not ctx.inspectors[i].qualified_for(request.commodity):
            yield Violation(rule, request.id, f"{what}: inspector {i} is not qualified for {request.commodity}")


def _duration(request: Request, slot: Slot, minutes: int, what: str) -> Iterator[Violation]:
    if slot.minutes != minutes:
        yield Violation("duration", request.id, f"{what} lasts {slot.minutes:g} min instead of {minutes} min")


def border_inspection(ctx: Context, request: Request, slot: Slot,
                      inland: Slot | None) -> Iterator[Violation]:
    """Rule 2: the border inspection's port, inspector, duration and window."""
    what, rid = ctx.describe(slot), request.id
    if slot.site != request.port:
        yield Violation("border_port", rid, f"{what}: the shipment crosses at {ctx.place(request.port)}")
    ids = slot.assignment.inspectors
    if len(ids) != 1 or ctx.inspectors[ids[0]].agency != "CBP":
        team = ", ".join(f"{i} ({ctx.inspectors[i].agency})" for i in ids)
        yield Violation("border_inspector", rid, f"{what} needs exactly one CBP inspector, has {team}")
    yield from _qualified(ctx, request, ids, "border_inspector", what)
    yield from _duration(request, slot, request.border_inspection_minutes, what)
    if slot.start < request.arrive_port:
        arrives = ctx.local(request.arrive_port, slot.site)
        yield Violation("border_window", rid, f"{what} starts before the truck arrives ({arrives})")
    if inland is not None:
        transit = ctx.scenario.travel(inland.site, request.port)
        if slot.start < inland.end + timedelta(minutes=transit):
            yield Violation("border_window", rid,
                            f"{what} starts before the truck can get there: the joint inspection ends "
                            f"{ctx.local(inland.end, inland.site)} and the trip takes {transit} min")
    if slot.end > request.cross_by:
        deadline = ctx.local(request.cross_by, slot.site)
        yield Violation("border_window", rid, f"{what} ends after cross_by ({deadline})")


def border_decision(ctx: Context, request: Request, served: Served,
                    given: ScheduledBorderDecision | None) -> Iterator[Violation]:
    """Rules 6 and 1b: the decision follows the rules, and a border inspection exists exactly
    when required."""
    if served.inland is None:
        return
    rid = request.id
    expected = waiver.border_decision(ctx.scenario, request, served.inland.assignment.end,
                                      site=served.inland.site)
    if given is None:
        yield Violation("border_decision", rid,
                        f"{rid} has a joint inspection but no border decision "
                        f"(it should be {expected.decision})")
    elif given.decision != expected.decision:
        yield Violation("border_decision", rid, f"{rid} is marked {given.decision}, but {_why(request, expected)}")
    elif expected.decision in AVOIDED and given.rule != expected.rule:
        yield from _named_rule_avoids(ctx, request, served, given)
    decision = given.decision if given is not None else expected.decision
    if decision == REQUIRED and served.border is None:
        yield Violation("border_decision", rid, f"{rid} needs a border inspection (required) but has none")
    if decision in AVOIDED and served.border is not None:
        inspection = ctx.describe(served.border)
        yield Violation("border_decision", rid, f"{rid} is {_AS_WORDS[decision]} but still has a {inspection}")


_AS_WORDS = {WAIVED: "waived", JOINT_US_SITE: "inspected north of the border instead of at the port"}


def _why(request: Request, expected: ScheduledBorderDecision) -> str:
    if expected.decision == WAIVED:
        return f"rule {expected.rule} waives it"
    if expected.decision == JOINT_US_SITE:
        return (f"it is inspected north of the border under rule {expected.rule}, "
                f"which replaces the port's inspection")
    if request.border_required and expected.reasons == (request.border_required,):
        return f"its border inspection is done whatever the rules say: {request.border_required}"
    return "no rule waives it: " + "; ".join(expected.reasons)


def _named_rule_avoids(ctx: Context, request: Request, served: Served,
                       given: ScheduledBorderDecision) -> Iterator[Violation]:
    # several rules may waive one shipment; any of them is a correct name for the decision
    rules = [r for r in ctx.scenario.rules if r.id == given.rule]
    if not rules:
        message = f"{request.id} is {given.decision} under unknown rule {given.rule!r}"
        yield Violation("border_decision", request.id, message)
        return
    named = waiver.border_decision(ctx.scenario, request, served.inland.assignment.end, rules,
                                   site=served.inland.site)
    if named.decision != given.decision:
        yield Violation("border_decision", request.id,
                        f"{request.id} is {given.decision} under rule {given.rule}, which does not "
                        f"allow it: {'; '.join(named.reasons)}")


def served_or_listed(ctx: Context, schedule: Schedule, per_request: dict[str, Served],
                     decisions: dict[str, ScheduledBorderDecision]) -> Iterator[Violation]:
    """Rule 7: every request not served is listed as unscheduled with a reason, and only those."""
    listed: dict[str, str] = {}
    for u in schedule.unscheduled:
        if u.request not in ctx.requests:
            message = f"unscheduled entry for unknown request {u.request!r}"
            yield Violation("unknown_reference", u.request, message)
        elif u.request in listed:
            yield Violation("duplicate", u.request, f"{u.request} is listed as unscheduled more than once")
        else:
            listed[u.request] = u.reason
            if not (u.reason or "").strip():
                message = f"{u.request} is unscheduled without a reason"
                yield Violation("unscheduled_reason", u.request, message)
    for request in ctx.scenario.requests:
        rid, served = request.id, per_request.get(request.id, Served())
        decision = decisions.get(rid)
        waived = decision is not None and decision.decision in AVOIDED
        if not (served.inland and (served.border or waived)) and rid not in listed:
            message = f"{rid} is not served but is not listed as unscheduled"
            yield Violation("unserved_not_listed", rid, message)
        if rid in listed and (served.inland or served.border or served.extra):
            yield Violation("unscheduled_has_assignment", rid,
                            f"{rid} is listed as unscheduled but still has assignments")

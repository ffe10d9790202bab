"""One function per rule of the exchange spec, each adding its constraints to a JointModel."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduling.minutes import intersect, normalise

Domain = cp_model.Domain


def _in_ranges(model, var, ranges, enforce) -> None:
    if len(ranges) == 1:
        model.Add(var >= ranges[0][0]).OnlyEnforceIf(enforce)
        model.Add(var <= ranges[0][1]).OnlyEnforceIf(enforce)
    else:
        model.AddLinearExpressionInDomain(var, Domain.FromIntervals(list(ranges))).OnlyEnforceIf(enforce)


def joint_inland_inspection(jm, v) -> None:
    """Rule 1: a served request is inspected at exactly one of its sites, inside that site's window."""
    if len(v.site) == 1:
        return  # the start domain is already that site's window and the site literal is `served`
    jm.model.Add(sum(v.site.values()) == v.served)
    windows = jm.instance.windows[v.request]
    for site, literal in v.site.items():
        _in_ranges(jm.model, v.start, windows.inland[site], literal)


def joint_team(jm, v) -> None:
    """Rule 1 and 3: exactly one qualified APHIS and one qualified SENASICA inspector, each on a
    shift that covers the inspection after travelling from home."""
    for site, site_literal in v.site.items():
        for agency in ("APHIS", "SENASICA"):
            options = [lit for lit, c in v.team if c.site == site and c.agency == agency]
            jm.model.Add(sum(options) == site_literal)
    for literal, candidate in v.team:
        _in_ranges(jm.model, v.start, candidate.starts, literal)


def border_inspection(jm, v) -> None:
    """Rule 2: one qualified CBP inspector at the port, after the inland end plus transit."""
    if v.border is None:
        return
    m, request = jm.model, jm.instance.requests[v.request]
    north = jm.instance.windows[v.request].north
    m.Add(sum(lit for lit, _ in v.border_team) == v.border)
    m.AddImplication(v.border, v.served)
    for literal, candidate in v.border_team:
        _in_ranges(m, v.border_start, candidate.starts, literal)
    for site, site_literal in v.site.items():
        if site in north:
            continue  # rule 1b: no inspection at the port (border_decision forbids it)
        transit = jm.instance.travel(site, request.port)
        m.Add(v.border_start >= v.start + request.inspection_minutes + transit).OnlyEnforceIf(
            [v.border, site_literal])


def border_decision(jm, v) -> None:
    """Rules 6, 7 and 1b: waived exactly when the inland inspection at a Mexican site ends late
    enough for a matching rule; a site north of the border replaces the port's inspection; a
    served request avoids the border inspection one of these ways or has it, never both."""
    m, request = jm.model, jm.instance.requests[v.request]
    dur = request.inspection_minutes
    windows = jm.instance.windows[v.request]
    v.north = [literal for site, literal in v.site.items() if site in windows.north]
    waive_from = windows.waive_from
    lo, hi = v.start_range[0] + dur, v.start_range[1] + dur
    if waive_from is None or hi < waive_from:
        v.waived = m.NewConstant(0)
    elif lo >= waive_from and not v.north:
        v.waived = v.served
    else:
        v.waived = m.NewBoolVar(f"waived[{v.request}]")
        m.AddImplication(v.waived, v.served)
        m.Add(v.start + dur >= waive_from).OnlyEnforceIf(v.waived)
        m.Add(v.start + dur <= waive_from - 1).OnlyEnforceIf(
            [v.served, v.waived.Not(), *(literal.Not() for literal in v.north)])
        for literal in v.north:
            m.AddImplication(literal, v.waived.Not())  # "waived" names the Mexican-site waiver only
    avoided = [v.waived, *v.north]
    if v.border is not None:
        m.AddBoolOr([v.served.Not(), v.border, *avoided])
        for literal in avoided:
            m.AddImplication(v.border, literal.Not())
    else:
        m.AddBoolOr([v.served.Not(), *avoided])


def site_bays(jm) -> None:
    """Rule 4: no site runs more inspections at once than it has bays."""
    m, instance = jm.model, jm.instance
    per_site = defaultdict(list)
    for v in jm.vars.values():
        request, windows = instance.requests[v.request], instance.windows[v.request]
        for site, literal in v.site.items():
            per_site[site].append((m.NewOptionalFixedSizeIntervalVar(
                v.start, request.inspection_minutes, literal, f"bay[{v.request},{site}]"),
                windows.inland[site][0][0], windows.inland[site][-1][1] + request.inspection_minutes))
        if v.border is not None:
            per_site[request.port].append((m.NewOptionalFixedSizeIntervalVar(
                v.border_start, request.border_inspection_minutes, v.border, f"bay[{v.request},port]"),
                windows.border[0][0], windows.border[-1][1] + request.border_inspection_minutes))
    for site, entries in per_site.items():
        # Only fixed bookings overlapping some free inspection's reach can matter.
        reach = normalise((lo, hi) for _, lo, hi in entries)
        intervals = [e[0] for e in entries]
        for start, end in jm.context.bay_items[site]:
            if intersect(reach, [(start - 1, end - 1)]) and (end - start) > 0:
                intervals.append(m.NewFixedSizeIntervalVar(start, end - start, f"busy[{site},{start}]"))
        bays = instance.scenario.site(site).bays
        if bays == 1:
            m.AddNoOverlap(intervals)
        elif len(intervals) > bays:
            m.AddCumulative(intervals, [1] * len(intervals), bays)


def inspector_no_overlap(jm) -> None:
    """Rule 5: an inspector never does two inspections at once."""
    for crew, options in jm.crew_options.items():
        if len(options) > 1:
            jm.model.AddNoOverlap([
                jm.model.NewOptionalFixedSizeIntervalVar(start, dur, lit, f"work[{crew},{r}]")
                for r, lit, c, dur, start in options])


def travel_between_sites(jm) -> None:
    """Rule 5: between two inspections of one inspector at different sites, at least the travel
    time; only pairs whose time ranges let the order and the gap matter get a constraint."""
    travel = jm.instance.travel
    for options in jm.crew_options.values():
        sites = {o[2].site for o in options}
        if len(sites) < 2:
            continue
        longest = max(travel(a, b) for a in sites for b in sites)
        for i, (r1, x1, c1, d1, s1) in enumerate(options):
            for r2, x2, c2, d2, s2 in options[i + 1:]:
                if c2.lo > c1.hi + d1 + longest:
                    break
                if r1 != r2 and c1.site != c2.site:
                    _ordered_with_travel(jm, (x1, c1, d1, s1), (x2, c2, d2, s2),
                                         travel(c1.site, c2.site), travel(c2.site, c1.site))


def _ordered_with_travel(jm, first, second, t12, t21) -> None:
    m = jm.model
    x1, c1, d1, s1 = first
    x2, c2, d2, s2 = second
    if c1.hi + d1 + t12 <= c2.lo or c2.hi + d2 + t21 <= c1.lo:
        return  # the order and the gap hold whatever the starts
    one_then_two = c1.lo + d1 + t12 <= c2.hi
    two_then_one = c2.lo + d2 + t21 <= c1.hi
    if not one_then_two and not two_then_one:
        m.AddBoolOr([x1.Not(), x2.Not()])
    elif not two_then_one:
        m.Add(s1 + d1 + t12 <= s2).OnlyEnforceIf([x1, x2])
    elif not one_then_two:
        m.Add(s2 + d2 + t21 <= s1).OnlyEnforceIf([x1, x2])
    else:
        order = m.NewBoolVar("")
        jm.orders.append((order, s1, s2))
        m.Add(s1 + d1 + t12 <= s2).OnlyEnforceIf([x1, x2, order])
        m.Add(s2 + d2 + t21 <= s1).OnlyEnforceIf([x1, x2, order.Not()])


def daily_minutes(jm) -> None:
    """Rule 5: inspection minutes per home-zone calendar day stay within the inspector's cap."""
    per_day = defaultdict(list)
    for crew, options in jm.crew_options.items():
        for r, lit, c, dur, start in options:
            per_day[(crew, c.day)].append((dur, lit))
    for (crew, day), terms in per_day.items():
        room = jm.instance.crews[crew].cap - jm.context.day_minutes[(crew, day)]
        if sum(dur for dur, _ in terms) > room:
            jm.model.Add(sum(dur * lit for dur, lit in terms) <= room)

"""Independent parts of a scenario, found from the data, and one schedule merged from theirs."""

from __future__ import annotations

from datetime import timedelta

from scheduling.domain import JOINT_INLAND, JOINT_US_SITE, Inspector, Request, Scenario, Schedule
from scheduling.waiver import us_site_decision

SUMMED = ("objective", "bound", "served", "border_inspections_avoided", "heuristic_objective",
          "greedy_objective", "travel_minutes", "inspection_minutes", "shift_minutes", "joint_us_site",
          "upper_bound", "avoidable")


def components(scenario: Scenario) -> list[Scenario]:
    """The independent parts, most requests first, each a complete Scenario with the sites,
    inspectors, exporters, rules and travel its requests need; [scenario] when nothing separates.

    Two requests depend on each other only through a resource both could use: an inspector, a
    site's bays or a port. So each request joins its port to the inland sites it could
    physically use in its window, each inspector joins home to the sites a shift reaches, and
    every group of joined sites with requests is a part. Every request is in exactly one part.
    Solve each (anywhere: they share nothing) and give the schedules to `merge`.
    """
    groups, recognised = _Groups(), {}
    for request in scenario.requests:
        groups.join(request.port, *_usable_sites(scenario, request, recognised))
    for inspector in scenario.inspectors:
        groups.join(inspector.home_site, *_reachable_sites(scenario, inspector))
    by_group: dict[str, list[Request]] = {}
    for request in scenario.requests:
        by_group.setdefault(groups.find(request.port), []).append(request)
    if len(by_group) <= 1:
        return [scenario]
    parts = [_part(scenario, groups, root, requests) for root, requests in by_group.items()]
    return sorted(parts, key=lambda part: -len(part.requests))


def ports_of(part: Scenario) -> tuple[str, ...]:
    """The ports a part's requests cross at, to name the part."""
    return tuple(sorted({r.port for r in part.requests}))


def merge(scenario: Scenario, schedules: list[Schedule]) -> Schedule:
    """One schedule of the whole scenario from its parts' schedules: entries in the scenario's
    request order, statistics summed (status OPTIMAL only when every part is proven optimal)."""
    order = {r.id: k for k, r in enumerate(scenario.requests)}
    assignments = sorted((a for s in schedules for a in s.assignments), key=lambda a: (order[a.request], a.type != JOINT_INLAND))
    decisions = sorted((d for s in schedules for d in s.border_decisions), key=lambda d: order[d.request])
    unscheduled = sorted((u for s in schedules for u in s.unscheduled), key=lambda u: order[u.request])
    return Schedule(tuple(assignments), tuple(decisions), tuple(unscheduled), merged_stats(scenario, schedules))


def merged_stats(scenario: Scenario, schedules: list[Schedule]) -> dict:
    """The parts' statistics as one run's: sums, the latest times, and each part's figures."""
    parts = [s.stats for s in schedules]
    stats = {"status": "OPTIMAL" if parts and all(p.get("status") == "OPTIMAL" for p in parts) else "FEASIBLE"}
    stats.update({key: sum(p.get(key) or 0 for p in parts) for key in SUMMED})
    stats["requests"] = len(scenario.requests)
    stats["wall_seconds"] = max((p.get("wall_seconds") or 0 for p in parts), default=0.0)
    stats["time_to_first_s"] = max((p.get("time_to_first_s") or 0 for p in parts), default=0.0)
    shift = stats["shift_minutes"]
    stats["utilisation"] = round(stats["inspection_minutes"] / shift, 4) if shift else 0.0
    for key in ("reason_codes", "explanations"):
        stats[key] = {request: value for p in parts for request, value in (p.get(key) or {}).items()}
    violations = [v for p in parts for v in p.get("violations", ())]
    if violations:
        stats["violations"] = violations
    stats["parts"] = [{"ports": list(ports_of_schedule(scenario, s)), "requests": p.get("requests"),
                       "status": p.get("status"), "objective": p.get("objective"), "bound": p.get("bound"),
                       "wall_seconds": p.get("wall_seconds")} for s, p in zip(schedules, parts)]
    return stats


def ports_of_schedule(scenario: Scenario, schedule: Schedule) -> tuple[str, ...]:
    requests = {r.id: r for r in scenario.requests}
    ids = {a.request for a in schedule.assignments} | {u.request for u in schedule.unscheduled}
    return tuple(sorted({requests[r].port for r in ids if r in requests}))


def _usable_sites(scenario: Scenario, request: Request, recognised: dict) -> list[str]:
    """Inland sites that could ever take the request: they inspect its commodity, the exporter
    may use them, a site north of the border recognises it (rule 1b), and the road from the
    packhouse through the site and the port fits its window."""
    window = (request.cross_by - request.ready) / timedelta(minutes=1)
    usable = []
    for site in scenario.sites:
        if site.kind != "inland" or not site.inspects(request.commodity):
            continue
        if request.sites is not None and site.id not in request.sites:
            continue
        if request.crosses_before(site):
            if not _recognised(scenario, request, recognised):
                continue
            road = scenario.travel_from_origin(request, request.port) + scenario.travel(request.port, site.id)
        else:
            road = scenario.travel_from_origin(request, site.id) + scenario.travel(site.id, request.port)
        if road + request.inspection_minutes <= window:
            usable.append(site.id)
    return usable


def _recognised(scenario: Scenario, request: Request, known: dict) -> bool:
    key = (request.exporter, request.commodity, request.origin_state, request.port, request.cross_by.date(), request.border_required)
    if key not in known:
        known[key] = us_site_decision(scenario, request).decision == JOINT_US_SITE
    return known[key]


def _reachable_sites(scenario: Scenario, inspector: Inspector) -> list[str]:
    """Sites of the kind the inspector works at that some shift reaches from home with time to work."""
    longest = max(((s.end - s.start) / timedelta(minutes=1) for s in inspector.shifts), default=0)
    kind = "port" if inspector.agency == "CBP" else "inland"
    return [s.id for s in scenario.sites
            if s.kind == kind and scenario.travel(inspector.home_site, s.id) < longest]


def _part(scenario: Scenario, groups: _Groups, root: str, requests: list[Request]) -> Scenario:
    # a request may list a site it can never reach: the part keeps it so the request reads the same
    site_ids = {s.id for s in scenario.sites if groups.find(s.id) == root}
    site_ids |= {s for r in requests for s in r.sites or ()}
    exporter_ids = {r.exporter for r in requests}
    return Scenario(
        horizon=scenario.horizon,
        sites=tuple(s for s in scenario.sites if s.id in site_ids),
        inspectors=tuple(i for i in scenario.inspectors if groups.find(i.home_site) == root),
        exporters=tuple(e for e in scenario.exporters if e.id in exporter_ids),
        requests=tuple(requests),
        rules=scenario.rules,
        travel_overrides=tuple(t for t in scenario.travel_overrides if t[0] in site_ids and t[1] in site_ids))


class _Groups:
    """Union-find over site ids."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, site: str) -> str:
        self.parent.setdefault(site, site)
        while self.parent[site] != site:
            self.parent[site] = self.parent[self.parent[site]]
            site = self.parent[site]
        return site

    def join(self, first: str, *others: str) -> None:
        root = self.find(first)
        for other in others:
            self.parent[self.find(other)] = root
            root = self.find(first)

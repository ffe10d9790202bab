"""The CP-SAT model of some free requests around fixed bookings: variables, rules and objective."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.bookings import Bookings
from scheduling.instance import Instance, Placement
from scheduling.model import objective, rules
from scheduling.model.candidates import Candidate, CandidateCache, usable

Domain = cp_model.Domain


@dataclass
class RequestVars:
    """The variables of one request, named after what they decide."""

    request: str
    served: cp_model.IntVar
    start: cp_model.IntVar
    site: dict  # site id -> literal "inspected at this site"
    team: list  # (literal, Candidate) for APHIS and SENASICA options
    border: cp_model.IntVar | None = None  # literal "border inspection booked"
    border_start: cp_model.IntVar | None = None
    border_team: list = field(default_factory=list)  # (literal, Candidate) CBP options
    waived: cp_model.IntVar | None = None  # literal "ends late enough for a rule to waive"
    kept: cp_model.IntVar | None = None  # literal "same placement as the previous plan"
    start_range: tuple[int, int] = (0, 0)
    north: list = field(default_factory=list)  # site literals north of the border (rule 1b)

    @property
    def avoided(self) -> list:
        """Literals of the ways the border inspection is avoided: waived, or a site in the US."""
        return [self.waived, *self.north]


class JointModel:
    """Builds the model for `free` requests; everything in `context` stays where it is."""

    def __init__(self, instance: Instance, cache: CandidateCache, free: list[str],
                 context: Bookings, keep: dict | None = None, keep_at_least: int = 0):
        self.instance, self.context = instance, context
        self.model = cp_model.CpModel()
        self.vars: dict[str, RequestVars] = {}
        self.orders: list = []  # (literal "first before second", first start, second start)
        for request_id in free:
            request_vars = self._request_vars(cache, request_id)
            if request_vars is not None:
                self.vars[request_id] = request_vars
        self.crew_options = self._crew_options()
        for request_vars in self.vars.values():
            rules.joint_inland_inspection(self, request_vars)
            rules.joint_team(self, request_vars)
            rules.border_inspection(self, request_vars)
            rules.border_decision(self, request_vars)
        rules.site_bays(self)
        rules.inspector_no_overlap(self)
        rules.travel_between_sites(self)
        rules.daily_minutes(self)
        if keep:
            objective.keep_previous(self, keep, keep_at_least)
        self.weights = objective.objective(self)

    def _request_vars(self, cache: CandidateCache, request_id: str) -> RequestVars | None:
        windows = self.instance.windows[request_id]
        request = windows.request
        dur, m = request.inspection_minutes, self.model
        team = self._usable(cache.inland(request_id), dur)
        sites = sorted({c.site for _, c in team})
        if not sites:
            return None
        ranges = [r for s in sites for r in windows.inland[s]]
        served = m.NewBoolVar(f"served[{request_id}]")
        start = m.NewIntVarFromDomain(Domain.FromIntervals(ranges), f"start[{request_id}]")
        site = ({sites[0]: served} if len(sites) == 1 else
                {s: m.NewBoolVar(f"site[{request_id},{s}]") for s in sites})
        request_vars = RequestVars(request_id, served, start, site, team,
                                   start_range=(min(r[0] for r in ranges), max(r[1] for r in ranges)))
        border = []
        if set(sites) - windows.north:  # north of the border there is no port inspection
            border = self._usable(cache.border(request_id), request.border_inspection_minutes)
        if border:
            request_vars.border = m.NewBoolVar(f"border[{request_id}]")
            request_vars.border_start = m.NewIntVarFromDomain(
                Domain.FromIntervals(windows.border), f"border_start[{request_id}]")
            request_vars.border_team = border
        return request_vars

    def _usable(self, candidates: list[Candidate], duration: int) -> list:
        result = []
        for candidate in candidates:
            kept = usable(self.instance, self.context, candidate, duration)
            if kept is not None:
                literal = self.model.NewBoolVar(f"assigned[{candidate.crew},{candidate.site},{candidate.lo}]")
                result.append((literal, kept))
        return result

    def _crew_options(self) -> dict:
        """crew -> [(request, literal, candidate, duration, start variable)] by earliest start."""
        per_crew = defaultdict(list)
        for v in self.vars.values():
            request = self.instance.requests[v.request]
            for lit, c in v.team:
                per_crew[c.crew].append((v.request, lit, c, request.inspection_minutes, v.start))
            for lit, c in v.border_team:
                per_crew[c.crew].append((v.request, lit, c, request.border_inspection_minutes,
                                         v.border_start))
        for options in per_crew.values():
            options.sort(key=lambda o: o[2].lo)
        return per_crew

    # --- hints and answers --------------------------------------------------------------------

    def hint(self, plan: dict) -> None:
        """Hint the model with a plan's placements of its free requests (CP-SAT repairs the rest)."""
        values = {}
        for request_id, v in self.vars.items():
            for variable, value in objective.hint_values(self, v, plan.get(request_id)):
                if variable.Index() not in values:
                    values[variable.Index()] = value
                    self.model.AddHint(variable, value)
        for order, first, second in self.orders:
            a, b = values.get(first.Index()), values.get(second.Index())
            self.model.AddHint(order, int(a is None or b is None or a < b))

    def placements(self, solver: cp_model.CpSolver) -> dict:
        """The placements the solver found for the free requests it serves."""
        plan = {}
        for request_id, v in self.vars.items():
            if not solver.BooleanValue(v.served):
                continue
            start = solver.Value(v.start)
            chosen = [c for lit, c in v.team if solver.BooleanValue(lit)]
            site = chosen[0].site
            team = tuple(c.crew for c in sorted(chosen, key=lambda c: c.agency))
            placement = Placement(request_id, site, start, team)
            if v.border is not None and solver.BooleanValue(v.border):
                crew = next(c.crew for lit, c in v.border_team if solver.BooleanValue(lit))
                placement = Placement(request_id, site, start, team, solver.Value(v.border_start), crew)
            plan[request_id] = placement
        return plan

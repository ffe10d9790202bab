"""The objective (served weight >> kept >> waived >> travel), keeping a previous plan, and hints."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    """Integer weights that make one weighted sum lexicographic: each level outweighs all below."""

    served: int
    kept: int
    waived: int
    travel_bound: int

    def served_weight_bound(self, objective_bound: float) -> int:
        """An upper bound on the priority-weighted served count from a bound on the sum."""
        return int((objective_bound + self.travel_bound) // self.served)


def _candidate_for(options, crew: int, site: str, start: int):
    for literal, candidate in options:
        if candidate.crew == crew and candidate.site == site and \
                any(lo <= start <= hi for lo, hi in candidate.starts):
            return literal
    return None


def keep_previous(jm, keep: dict, at_least: int = 0) -> None:
    """Re-planning: a `kept` literal per request whose previous placement is still possible;
    the objective rewards it just below serving more shipments, and at least `at_least` of
    them hold (the run keeps a share of what a disruption left alone)."""
    m = jm.model
    for request_id, v in jm.vars.items():
        previous = keep.get(request_id)
        if previous is None or previous.site not in v.site:
            continue
        team = [_candidate_for(v.team, crew, previous.site, previous.start) for crew in previous.team]
        border = []
        if previous.border_start is not None:
            port = jm.instance.requests[request_id].port
            border = [_candidate_for(v.border_team, previous.border_crew, port, previous.border_start)]
            if v.border is None or border[0] is None:
                continue
        if any(literal is None for literal in team):
            continue
        v.kept = m.NewBoolVar(f"kept[{request_id}]")
        m.AddBoolAnd([v.site[previous.site], *team, *border]).OnlyEnforceIf(v.kept)
        m.Add(v.start == previous.start).OnlyEnforceIf(v.kept)
        if border:
            m.Add(v.border_start == previous.border_start).OnlyEnforceIf(v.kept)
    kept = [v.kept for v in jm.vars.values() if v.kept is not None]
    if at_least > 0 and kept:
        m.Add(sum(kept) >= min(at_least, len(kept)))


def _travel_terms(jm, v):
    travel, crews = jm.instance.travel, jm.instance.crews
    port = jm.instance.requests[v.request].port
    terms = [(travel(crews[c.crew].home, c.site), lit) for lit, c in v.team]
    terms += [(travel(crews[c.crew].home, port), lit) for lit, c in v.border_team]
    return terms


def objective(jm) -> Weights:
    """Maximise priority-weighted served requests, then kept placements, then waived border
    inspections, then minimise inspectors' travel from home."""
    travel_terms, travel_bound = [], 0
    for v in jm.vars.values():
        terms = _travel_terms(jm, v)
        travel_terms += terms
        inland = [t for t, _ in terms[:len(v.team)]] or [0]
        border = [t for t, _ in terms[len(v.team):]] or [0]
        travel_bound += 2 * max(inland) + max(border)
    n = len(jm.vars) + 1
    weights = Weights(served=(travel_bound + 1) * n * n, kept=(travel_bound + 1) * n,
                      waived=travel_bound + 1, travel_bound=travel_bound)
    requests = jm.instance.requests
    jm.model.Maximize(
        sum(weights.served * requests[r].priority * v.served for r, v in jm.vars.items())
        + sum(weights.kept * v.kept for v in jm.vars.values() if v.kept is not None)
        + sum(weights.waived * literal for v in jm.vars.values() for literal in v.avoided)
        - sum(t * lit for t, lit in travel_terms if t))
    return weights


def hint_values(jm, v, placement):
    """(variable, value) pairs describing `placement` (None: not served) for the solver hint."""
    served = placement is not None
    yield v.served, int(served)
    for site, literal in v.site.items():
        yield literal, int(served and placement.site == site)
    chosen = set()
    if served:
        yield v.start, placement.start
        chosen = {_index(_candidate_for(v.team, c, placement.site, placement.start))
                  for c in placement.team}
    for literal, _ in v.team:
        yield literal, int(literal.Index() in chosen)
    yield from _border_hints(jm, v, placement)
    if v.waived is not None:
        north = served and placement.site in jm.instance.windows[v.request].north
        yield v.waived, int(served and not north and jm.instance.waived(placement))


def _border_hints(jm, v, placement):
    if v.border is None:
        return
    booked = placement is not None and placement.border_start is not None
    yield v.border, int(booked)
    chosen = None
    if booked:
        yield v.border_start, placement.border_start
        port = jm.instance.requests[v.request].port
        chosen = _candidate_for(v.border_team, placement.border_crew, port, placement.border_start)
    for literal, _ in v.border_team:
        yield literal, int(chosen is not None and literal.Index() == chosen.Index())


def _index(literal):
    return None if literal is None else literal.Index()

"""How long and how hard to search, and the progress a search reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SolverSettings:
    """How long and how hard to search; the defaults are the ones measured on 2 cores."""

    time_limit_s: float = 30.0
    workers: int = 2
    probing_level: int = 0
    lns_threshold: int = 200  # more free requests than this: large-neighbourhood search
    neighbourhood_size: int = 80
    neighbourhood_time_s: float = 3.0
    neighbourhood_patience_s: float = 1.0  # end a neighbourhood after this long without a better plan
    repair_burst_s: float = 2.0  # ruin-and-recreate moves before each CP-SAT neighbourhood
    repair_size: int = 16
    seed: int = 1
    log_search: bool = False
    sat_presolve: bool = False  # CP-SAT's SAT presolve hid the bound of proven plans (docs/optimizer.md)
    keep_share: float = 0.95  # a re-plan keeps at least this share of the previous placements that still fit
    split: bool = True  # solve parts that share no inspector, bay or port separately, then merge
    processes: int = 0  # worker processes the parts are solved in; 0: in turn in this process


@dataclass(frozen=True)
class Progress:
    """One progress line: where the search stands (over every part, when it was split)."""

    elapsed: float
    phase: str
    served: int  # requests served
    waived: int  # border inspections avoided
    objective: int  # priority-weighted served requests
    bound: int  # upper bound on the objective
    part: str | None = None  # the part that moved, e.g. "2/4", when the run was split
    parts: tuple = ()  # each part's own Progress, in part order, when the run was split

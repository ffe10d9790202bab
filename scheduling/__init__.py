"""Plans joint inland inspections and the border inspections still needed, in pure Python and CP-SAT.

The stages, each importing only the ones above it:

  domain        the problem and its answer as frozen dataclasses (Scenario, Schedule, ...)
  exchange/     the JSON exchange format: reading (every problem listed), errors, writing
  waiver        the one adapter to mr_agreements: when an inland end waives the border
  explain       why a request stays unscheduled, as a code and a sentence
  minutes       minutes from the horizon start, local days, arithmetic on ranges of start minutes
  windows       exact start windows per request and site (rules 1, 1b, 2 and 3 before any booking)
  instance      the scenario precomputed in minutes: crews, teams, placements, plan scores
  bounds        what no plan can beat, level by level: reaching every bound proves a plan optimal
  bookings      who and what is booked when, for building plans one placement at a time
  heuristic     a fast constructive plan, valid by construction
  model/        the CP-SAT model: candidates, variables, one function per rule, objective, run
  lns/          large-neighbourhood search: CP-SAT neighbourhoods and ruin-and-recreate moves
  validation/   checks any schedule against every rule, independently of the solver
  stats         plan figures beyond the objective
  settings      how long and how hard to search, and the progress a search reports
  search        one scenario's search: greedy, then CP-SAT or LNS, until proven optimal or out of time
  split         independent parts of a scenario, and one schedule merged from theirs
  parallel      parts solved at once, each in its own process
  solver        the entry point: split, search each part, merge; always a validated schedule
  replan        re-planning after a disruption, and what changed between two schedules
  cli           the optimize and validate commands

The public entry points are re-exported here. `replan.replan` is not: a function named like
its module would hide the module `scheduling.replan` that callers import from.
"""

from scheduling.exchange import (SCENARIO_FORMAT, SCHEDULE_FORMAT, Problem, ScenarioError, dump_json,
                                 load_scenario, load_scenario_file, load_schedule, load_schedule_file,
                                 scenario_to_dict, schedule_to_dict)
from scheduling.replan import Replan, ScheduleDiff, diff_schedules
from scheduling.solver import Progress, SolverSettings, solve
from scheduling.validation import Violation, validate

__all__ = [
    "Problem",
    "Progress",
    "Replan",
    "SCENARIO_FORMAT",
    "SCHEDULE_FORMAT",
    "ScenarioError",
    "ScheduleDiff",
    "SolverSettings",
    "Violation",
    "diff_schedules",
    "dump_json",
    "load_scenario",
    "load_scenario_file",
    "load_schedule",
    "load_schedule_file",
    "scenario_to_dict",
    "schedule_to_dict",
    "solve",
    "validate",
]

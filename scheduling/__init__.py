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
  parallel      parts solved in worker processes: every first plan, then the time left shared
  solver        the entry point: split, search each part, merge; always a validated schedule
  replan        re-planning after a disruption, and what changed between two schedules
  cli           the optimize and validate commands

What a caller supplies (exchange format version 2, docs/exchange-format.md):

    Request.origin = Origin(lat, lon)     where the load is packed (the packhouse, or when it is
                                          unknown the centre of the origin state); None keeps
                                          version 1's meaning for that request
    Site.country = "US" or "MX"           an inland site in the US is north of the border: a
                                          version 2 load reaches it after crossing its port, and
                                          its joint inspection replaces the port's (rule 1b)

What it gets back: Schedule.border_decisions may say JOINT_US_SITE (with the rule), counted in
stats["border_inspections_avoided"] and alone in stats["joint_us_site"]; stats["status"] is
"OPTIMAL" when the plan is proven optimal, and then the run ended at once.

Solving, in one process or spread over workers:

    solver.solve(scenario, settings, previous, pinned, progress, stop) -> Schedule
        splits into independent parts and merges; settings.processes > 0 solves the parts
        in that many worker processes; progress gets the sums, Progress.part and Progress.parts
    split.components(scenario) -> list[Scenario]     the parts, largest first (each complete)
    split.merge(scenario, schedules) -> Schedule     one schedule from the parts' schedules
    solver.solve_part(part, settings, previous, pinned, progress, stop) -> Schedule
        what a queue worker runs for one part (previous and pinned may be the whole run's)
    search.start / first_plan / improve / finish     the same in two phases, for fewer workers
        than parts: every part's first plan, then parallel.time_shares of the time left

Re-planning: replan.replan(scenario, previous, ...) -> Replan(schedule, diff), with
diff_schedules(old, new) -> ScheduleDiff(kept, moved, added, dropped), touched(scenario,
previous) for the requests a disruption forces to change, from_moment(scenario, previous,
moment) for the part of a week still to plan, site_closed and inspector_off.

The public entry points are re-exported here. `replan.replan` is not: a function named like
its module would hide the module `scheduling.replan` that callers import from.
"""

from scheduling.domain import JOINT_US_SITE, Origin
from scheduling.exchange import (SCENARIO_FORMAT, SCENARIO_FORMAT_V1, SCHEDULE_FORMAT, Problem, ScenarioError,
                                 dump_json, load_scenario, load_scenario_file, load_schedule, load_schedule_file,
                                 scenario_to_dict, schedule_to_dict)
from scheduling.replan import Replan, ScheduleDiff, diff_schedules
from scheduling.solver import Progress, SolverSettings, solve, solve_part
from scheduling.split import components, merge
from scheduling.validation import Violation, validate

__all__ = [
    "JOINT_US_SITE",
    "Origin",
    "Problem",
    "Progress",
    "Replan",
    "SCENARIO_FORMAT",
    "SCENARIO_FORMAT_V1",
    "SCHEDULE_FORMAT",
    "ScenarioError",
    "ScheduleDiff",
    "SolverSettings",
    "Violation",
    "components",
    "diff_schedules",
    "dump_json",
    "load_scenario",
    "load_scenario_file",
    "load_schedule",
    "load_schedule_file",
    "merge",
    "scenario_to_dict",
    "schedule_to_dict",
    "solve",
    "solve_part",
    "validate",
]

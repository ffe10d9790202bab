"""The dashboard's tables, built once for the page, the printable report and the CSV export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Milestone
from ...services.dashboard import overview as dashboard
from ...services.dashboard.overview import Dashboard, MeasureRow, PortRow, RunQuality, SealException, WaitSaving, assumptions
from ...services.dashboard.cube import Cube
from ...services.dashboard.avoided import AvoidedRow
from ...services.dashboard.periods import Period
from .cells import Column, Link, LocalTime, Percent, Strong, Table

TABLES = ("waived_by_week", "by_port", "by_commodity", "assumptions", "measures", "milestones", "seal_exceptions",
          "runs")


def _counts() -> list[Column]:
    return [Column(_("Waived"), True), Column(_("Required"), True), Column(_("Share waived"), True),
            Column(_("Inspector hours saved"), True)]


def _count_cells(row: AvoidedRow) -> list:
    return [row.waived, row.required, Percent(row.share), row.hours_avoided]


def weeks_table(rows: list[AvoidedRow]) -> Table:
    return Table("waived_by_week", _("Border inspections waived and required per week"),
                 [Column(_("Week of (Monday)"), nowrap=True)] + _counts(),
                 [[row.key] + _count_cells(row) for row in rows])


def ports_table(rows: list[PortRow]) -> Table:
    columns = [Column(_("Port"))] + _counts() + [
        Column(_("Truck waiting hours saved"), True), Column(_("Truck hours saved per waiver"), True),
        Column(_("Basis"))]
    return Table("by_port", _("Border inspections waived and hours saved by port"), columns, [
        [row.avoided.label] + _count_cells(row.avoided) + [row.truck_hours, row.saving.hours, _basis(row.saving)]
        for row in rows])


def commodities_table(rows: list[AvoidedRow]) -> Table:
    return Table("by_commodity", _("Border inspections waived by commodity"), [Column(_("Commodity"))] + _counts(),
                 [[row.label] + _count_cells(row) for row in rows])


def _basis(saving: WaitSaving) -> str:
    return _("published result") if saving.measured else _("assumption")


def assumptions_table(savings: list[WaitSaving]) -> Table:
    columns = [Column(_("Port")), Column(_("Truck wait before (h)"), True), Column(_("Truck wait after (h)"), True),
               Column(_("Hours saved per waived inspection"), True), Column(_("Basis")), Column(_("Source"), wide=True)]
    rows = [[_("Every other port") if s.port == "*" else s.port, s.before_hours, s.after_hours, s.hours,
             _basis(s), str(s.source)] for s in savings]
    return Table("assumptions", _("Truck waiting time saved per waived border inspection: the assumptions"),
                 columns, [[_round(v) for v in row] for row in rows])


def _round(value: object) -> object:
    return round(value, 2) if isinstance(value, float) else value


def measures_table(results: list[MeasureRow], language: str) -> Table:
    columns = [Column(_("Measure"), wide=True), Column(_("Value"), True), Column(_("Target")), Column(_("Unit")),
               Column(_("Result")), Column(_("Period")), Column(_("Agreement"))]
    rows, classes = [], []
    for m in results:
        name = m.name_es if language == "es" and m.name_es else m.name
        target = f"{m.target:g}"
        direction = _("at least %(target)s", target=target) if m.direction == "at_least" \
            else _("at most %(target)s", target=target)
        rows.append([name, m.value, direction, m.unit, _met(m.met), period_text(m.period), m.agreement])
        classes.append("missed" if m.met is False else "")
    return Table("measures", _("Performance measures against their targets"), columns, rows, classes)


def _met(met: bool | None) -> object:
    if met is None:
        return _("No data yet")
    return _("Met") if met else Strong(_("Not met"))


def period_text(period: Period) -> str:
    return f"{period.first.isoformat()} – {period.last.isoformat()}"


def milestone_status(status: str) -> str:
    labels = {"planned": _("Planned"), "in_progress": _("In progress"), "done": _("Done"), "cancelled": _("Cancelled")}
    return labels.get(status, status)


def milestones_table(milestones: list[Milestone], today: date, language: str) -> Table:
    columns = [Column(_("Milestone"), wide=True), Column(_("Due"), nowrap=True), Column(_("Status")),
               Column(_("Owner")), Column(_("Completed"), nowrap=True), Column(_("Agreement"))]
    rows, classes = [], []
    for m in milestones:
        title = m.title_es if language == "es" and m.title_es else m.title
        overdue = m.overdue(today)
        status = Strong(_("Overdue: %(status)s", status=milestone_status(m.status))) if overdue \
            else milestone_status(m.status)
        rows.append([title, m.due_on, status, m.owner_agency, m.completed_on, m.agreement.code])
        classes.append("overdue" if overdue else "")
    return Table("milestones", _("Joint Work Plan milestones"), columns, rows, classes)


def seal_status(status: str) -> str:
    labels = {"broken": _("Broken"), "missing": _("Missing"), "mismatch": _("Number does not match"),
              "intact": _("Intact"), "applied": _("Applied"), "removed": _("Removed")}
    return labels.get(status, status)


def seal_exceptions_table(items: list[SealException]) -> Table:
    columns = [Column(_("Checked (port time)"), nowrap=True), Column(_("Shipment")), Column(_("Seal number")),
               Column(_("Seal type")), Column(_("Found")), Column(_("Port"))]
    kinds = {"mechanical": _("mechanical"), "electronic": _("electronic")}
    rows = [[LocalTime(s.checked_at, s.port_timezone),
             Link(s.reference, url_for("supervisor.shipment", request_id=s.request_id)), s.number,
             kinds.get(s.kind, s.kind), Strong(seal_status(s.status)), s.port_name] for s in items]
    return Table("seal_exceptions", _("Seal exceptions: broken, missing or mismatched seals"), columns, rows)


def run_status(status: str) -> str:
    return {"queued": _("Queued"), "running": _("Running"), "succeeded": _("Succeeded"), "failed": _("Failed"),
            "cancelled": _("Cancelled")}.get(status, status)


def runs_table(items: list[RunQuality]) -> Table:
    columns = [Column(_("Run"), True), Column(_("Started (UTC)"), nowrap=True), Column(_("Horizon")),
               Column(_("Status")), Column(_("Solver status")), Column(_("Served"), True), Column(_("Requests"), True),
               Column(_("Served share"), True), Column(_("Priority-weighted objective"), True),
               Column(_("Bound"), True), Column(_("Objective of bound"), True),
               Column(_("Border inspections waived"), True), Column(_("Travel minutes"), True),
               Column(_("Utilisation"), True), Column(_("Time to first plan (s)"), True)]
    rows = []
    for q in items:
        run = q.run
        rows.append([run.id, run.created_at.strftime("%Y-%m-%d %H:%M"),
                     f"{run.horizon_start.date().isoformat()} – {run.horizon_end.date().isoformat()}",
                     run_status(run.status), run.solver_status or None, q.stat("served"), q.stat("requests"),
                     Percent(q.served_share), run.objective, run.bound, Percent(q.objective_share),
                     q.stat("border_inspections_avoided"), q.stat("travel_minutes"),
                     Percent(q.stat("utilisation")), q.stat("time_to_first_s")])
    return Table("runs", _("Schedule quality per optimizer run"), columns, rows)


def dashboard_tables(data: Dashboard, language: str) -> dict[str, Table]:
    """Every table of the page from one computed dashboard."""
    return {
        "waived_by_week": weeks_table(data.weeks), "by_port": ports_table(data.ports),
        "by_commodity": commodities_table(data.commodities), "assumptions": assumptions_table(assumptions()),
        "measures": measures_table(data.measures, language),
        "milestones": milestones_table(data.milestones, data.today, language),
        "seal_exceptions": seal_exceptions_table(data.seal_exceptions.items), "runs": runs_table(data.runs.items),
    }


def build_table(name: str, session: Session, period: Period, today: date, language: str,
                cache_seconds: float = 0) -> Table:
    """One table on its own, every row (no pages): the CSV export computes only what it sends."""
    def cube() -> Cube:
        return dashboard.cube(session, period, cache_seconds)

    builders: dict[str, Callable[[], Table]] = {
        "waived_by_week": lambda: weeks_table(dashboard.by_week(cube())),
        "by_port": lambda: ports_table(dashboard.by_port(cube())),
        "by_commodity": lambda: commodities_table(dashboard.by_commodity(cube(), language)),
        "assumptions": lambda: assumptions_table(assumptions()),
        "measures": lambda: measures_table(
            dashboard.cached_measures(session, period, today, cache_seconds), language),
        "milestones": lambda: milestones_table(dashboard.milestones(session), today, language),
        "seal_exceptions": lambda: seal_exceptions_table(
            dashboard.seal_exceptions(session, period, per_page=None).items),
        "runs": lambda: runs_table(dashboard.runs(session, period, per_page=None).items),
    }
    return builders[name]()

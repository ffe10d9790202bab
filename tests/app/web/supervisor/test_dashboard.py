"""The supervisor's dashboard: its numbers equal what was recorded, its chart matches its table, who may see it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from app.models import BorderDecision, Shipment, ScheduleRun, Site
from app.services.agreements import measures as metrics
from app.services.dashboard.cube import build_cube, clear_cache
from app.services.dashboard import avoided
from app.services.dashboard.periods import period_between
from app.services.seeding import seed
from tests.factories import make_decision, make_inspection, make_released, make_shipment, make_seal, make_site

# The published anchors the page states: Nogales 4 h -> 20 min; Laredo Colombia 5-7 h -> 1.5-2 h (midpoints).
SAVING_HOURS = {"US-NOGALES": 3.67, "US-COLOMBIA": 4.25}
OTHER_PORT_HOURS = 3.67


class Tables(HTMLParser):
    """Every <table id=...> of a page as rows of cell texts (header row first)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def last_12_weeks() -> tuple[datetime, datetime]:
    today = datetime.now(timezone.utc).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday - timedelta(weeks=11), datetime.min.time(), timezone.utc)
    return start, start + timedelta(weeks=12)


def crossed_day(shipment: Shipment) -> datetime:
    return shipment.released_at or shipment.rejected_at


def decisions_in(db_session, start: datetime, end: datetime) -> list[tuple[BorderDecision, Shipment, Site]]:
    """Counted the slow, obvious way: each truck done with the border in the period (avoided.crossed), with
    its current decision, filtered in Python."""
    rows = db_session.execute(sa.select(BorderDecision, Shipment, Site)
                              .join(Shipment, Shipment.id == BorderDecision.request_id)
                              .join(Site, Site.id == Shipment.port_id)
                              .where(BorderDecision.current, avoided.crossed())).all()
    return [tuple(row) for row in rows if start <= crossed_day(row[1]) < end]


def kpi_numbers(html: str) -> dict[str, str]:
    found = re.findall(r'<span class="kpi">([^<]+)</span>\s*([^<(]+)', html)
    return {label.strip(): number for number, label in found}


@pytest.fixture
def seeded(db_session):
    seed(db_session, demo_accounts=True)
    start, _ = last_12_weeks()
    port = db_session.scalar(sa.select(Site).where(Site.code == "US-NOGALES"))
    # Neither of these may count: one released before the period, one still on its way with its waiver.
    make_released(db_session, start - timedelta(days=3), port=port)
    make_decision(db_session, make_shipment(db_session, port=port, status="sealed"), "waived", basis="inspection",
                  decided_at=start + timedelta(days=3))
    db_session.commit()
    return db_session


def test_kpis_equal_the_recorded_decisions(seeded, client_as):
    start, end = last_12_weeks()
    rows = decisions_in(seeded, start, end)
    waived = [(d, r, s) for d, r, s in rows if d.decision == "waived"]
    required = len(rows) - len(waived)
    inspector_hours = sum(r.border_inspection_minutes for _d, r, _s in waived) / 60
    truck_hours = sum(SAVING_HOURS.get(s.code, OTHER_PORT_HOURS) for _d, _r, s in waived)
    assert waived and required, "the demo data should have both waived and required border inspections"

    kpis = kpi_numbers(client_as("supervisor").get("/supervisor/").get_data(as_text=True))

    assert kpis["border inspections avoided: trucks released at the border without one"] == str(len(waived))
    assert kpis["of the trucks that crossed"] == f"{100 * len(waived) / len(rows):.1f}%"
    assert float(kpis["border inspector hours saved"]) == pytest.approx(round(inspector_hours, 1))
    assert float(kpis["truck waiting hours saved"]) == pytest.approx(round(truck_hours, 1), abs=0.051)


def test_week_chart_has_one_group_per_week_and_its_table_agrees(seeded, client_as):
    start, end = last_12_weeks()
    weeks: dict[str, Counter] = defaultdict(Counter)
    for decision, shipment, _site in decisions_in(seeded, start, end):
        day = crossed_day(shipment).date()
        weeks[(day - timedelta(days=day.weekday())).isoformat()][decision.decision] += 1

    html = client_as("supervisor").get("/supervisor/").get_data(as_text=True)

    chart = re.search(r'<svg[^>]*id="chart-weeks".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in chart and "<title" in chart and "aria-label=" in chart
    assert chart.count('<g class="bar-group">') == len(weeks) > 0
    table = Tables(html).tables["table-waived_by_week"]
    assert table[0][:3] == ["Week of (Monday)", "Waived", "Required"]
    shown = {row[0]: (int(row[1]), int(row[2])) for row in table[1:]}
    assert shown == {week: (c["waived"], c["required"]) for week, c in weeks.items()}


def test_port_and_commodity_charts_have_their_text_tables(seeded, client_as):
    html = client_as("supervisor").get("/supervisor/").get_data(as_text=True)
    tables = Tables(html).tables
    for chart_id, table_id in (("chart-ports", "table-by_port"), ("chart-commodities", "table-by_commodity")):
        chart = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S).group(0)
        assert chart.count('<g class="bar-group">') == len(tables[table_id]) - 1
    assumptions = tables["table-assumptions"]
    assert [row[0] for row in assumptions[1:]] == ["US-NOGALES", "US-COLOMBIA", "Every other port"]
    assert assumptions[1][3] == "3.67" and assumptions[2][3] == "4.25"


def test_work_plan_marks_overdue_milestones_with_a_word_and_shows_measures(seeded, client_as):
    tables = Tables(client_as("supervisor").get("/supervisor/").get_data(as_text=True)).tables
    overdue = [row for row in tables["table-milestones"][1:] if row[2].startswith("Overdue")]
    assert overdue, "the seeded plan has an overdue milestone"
    measures = tables["table-measures"]
    assert measures[0] == ["Measure", "Value", "Target", "Unit", "Result", "Period", "Agreement"]
    assert {row[4] for row in measures[1:]} <= {"Met", "Not met", "No data yet"} and len(measures) > 1


def test_seal_exception_is_listed_with_a_link_to_its_shipment(seeded, client_as):
    client = client_as("supervisor")
    html = client.get("/supervisor/").get_data(as_text=True)
    rows = Tables(html).tables["table-seal_exceptions"]
    assert [row[1:3] + row[4:5] for row in rows[1:]] == [["JI-DEMO-009", "SNS4107104", "Broken"]]
    link = re.search(r'href="(/supervisor/shipments/\d+)">JI-DEMO-009<', html).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "SNS4107104" in page.get_data(as_text=True)
    assert client.get("/supervisor/shipments/999999").status_code == 404
    assert client_as("exporter").get(link).status_code == 403


@pytest.mark.parametrize("role", ["exporter", "coordinator", "inspector", "officer", "supervisor", "admin"])
@pytest.mark.parametrize("path", ["/supervisor/", "/supervisor/report", "/supervisor/export/by_port.csv"])
def test_only_supervisors_and_administrators_see_the_dashboard(client_as, role, path):
    expected = 200 if role in ("supervisor", "admin") else 403
    assert client_as(role).get(path).status_code == expected


def test_spanish_reader_gets_spanish_headings(seeded, client_as):
    client = client_as("supervisor")
    client.post("/language", data={"language": "es", "next": "/supervisor/"})
    html = client.get("/supervisor/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es">' in html
    for heading in ("Reconocimiento mutuo de un vistazo", "¿Funciona el reconocimiento mutuo?",
                    "Inspecciones fronterizas evitadas por semana", "Plan de Trabajo Conjunto", "Excepciones de sello",
                    "Calidad de la programación por corrida"):
        assert heading in html
    assert "Is mutual recognition working?" not in html and "Border inspections avoided per week" not in html


def test_printable_report_has_no_navigation_and_states_the_period(seeded, client_as):
    html = client_as("supervisor").get("/supervisor/report?period=custom&from=2026-01-05&to=2026-03-29")
    text = html.get_data(as_text=True)
    assert html.status_code == 200
    assert 'aria-label="Main"' not in text and "Sign out" not in text and "topbar" not in text
    assert "2026-01-05 – 2026-03-29" in text and "Generated" in text
    assert 'id="table-waived_by_week"' in text and 'id="chart-weeks"' not in text  # no data, no chart


def test_a_period_outside_the_data_shows_nothing_and_a_bad_date_is_explained(seeded, client_as):
    client = client_as("supervisor")
    empty = client.get("/supervisor/?period=custom&from=2001-01-01&to=2001-02-01").get_data(as_text=True)
    assert kpi_numbers(empty)["border inspections avoided: trucks released at the border without one"] == "0"
    refused = client.get("/supervisor/?period=custom&from=2026-13-01&to=2026-01-01")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert 'aria-invalid="true"' in body and "YYYY-MM-DD" in body and "Last 12 weeks" in body


def _seal_exceptions(db_session, count: int) -> None:
    port = make_site(db_session, kind="port", code="US-TEST-PORT", name="Test port")
    when = datetime.now(timezone.utc) - timedelta(days=2)
    for n in range(count):
        request = make_shipment(db_session, port=port)
        make_seal(db_session, make_inspection(db_session, request, when - timedelta(hours=n + 2)), "broken",
                  verified_at=when)
    db_session.commit()


def test_long_lists_are_paginated(db_session, client_as):
    _seal_exceptions(db_session, 25)
    client = client_as("supervisor")
    first = client.get("/supervisor/").get_data(as_text=True)
    assert len(Tables(first).tables["table-seal_exceptions"]) - 1 == 20
    assert "Page 1 of 2" in first
    second = client.get("/supervisor/?seals_page=2").get_data(as_text=True)
    assert len(Tables(second).tables["table-seal_exceptions"]) - 1 == 5


@contextmanager
def counted_statements(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _runs(db_session, count: int) -> None:
    now = datetime.now(timezone.utc)
    for n in range(count):
        db_session.add(ScheduleRun(horizon_start=now, horizon_end=now + timedelta(days=7), status="succeeded",
                                   created_at=now - timedelta(hours=n + 1), objective=40.0, bound=50.0,
                                   solver_status="FEASIBLE", stats={"served": 8, "requests": 10, "utilisation": 0.5}))
    db_session.commit()


def test_queries_do_not_grow_with_the_rows_shown(db_session, client_as, engine):
    client = client_as("supervisor")
    _seal_exceptions(db_session, 1)
    _runs(db_session, 1)
    with counted_statements(engine) as few:
        client.get("/supervisor/")
    _seal_exceptions_more = make_site(db_session, kind="port", code="US-TEST-PORT-2")
    for _ in range(15):
        request = make_shipment(db_session, port=_seal_exceptions_more)
        when = datetime.now(timezone.utc) - timedelta(days=1)
        make_seal(db_session, make_inspection(db_session, request, when - timedelta(hours=3)), "missing",
                  verified_at=when)
    _runs(db_session, 15)
    with counted_statements(engine) as many:
        html = client.get("/supervisor/").get_data(as_text=True)
    assert len(Tables(html).tables["table-runs"]) - 1 == 16
    assert len(many) == len(few)
    runs = Tables(html).tables["table-runs"]
    assert runs[1][5:8] == ["8", "10", "80.0%"] and runs[1][10] == "80.0%"


@pytest.mark.parametrize("dimension", ["port", "commodity", "week"])
def test_the_one_scan_agrees_with_the_measures_of_the_work_plan(seeded, dimension):
    start, end = last_12_weeks()
    period = period_between(start.date(), (end - timedelta(days=1)).date())
    cube = build_cube(seeded, period)
    rows = cube.by(dimension)
    assert (sum(r.waived for r in rows), sum(r.required for r in rows)) == (cube.waived, cube.required)
    shares = metrics.waived_share(seeded, period).numbers
    assert (cube.waived, cube.required) == (shares["waived"], shares["required"])
    assert cube.inspector_hours == metrics.inspector_hours_avoided(seeded, period).value


def test_cached_totals_refresh_as_soon_as_a_decision_is_recorded(app, seeded, client_as):
    app.config["DASHBOARD_CACHE_SECONDS"] = 600
    clear_cache()
    client = client_as("supervisor")
    label = "border inspections avoided: trucks released at the border without one"
    before = int(kpi_numbers(client.get("/supervisor/").get_data(as_text=True))[label])
    make_released(seeded, datetime.now(timezone.utc) - timedelta(hours=1))
    seeded.commit()
    after = int(kpi_numbers(client.get("/supervisor/").get_data(as_text=True))[label])
    clear_cache()
    assert after == before + 1

"""CSV export of the dashboard's tables: what Excel opens, the same rows as the page, and no formulas."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.web.supervisor.export import neutralise
from app.web.supervisor.tables import TABLES
from tests.factories import make_commodity, make_released, make_site

WHEN = datetime.now(timezone.utc) - timedelta(days=1)
PORT_HEADER = ["Port", "Waived", "Required", "Share waived", "Inspector hours saved", "Truck waiting hours saved",
               "Truck hours saved per waiver", "Basis", "Days in time zone"]
ZONE = "America/Mexico_City"  # the program's: nobody has a zone of their own


def read_csv(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode()), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def decisions(db_session):
    """Two ports: Nogales (published saving) with 2 waived and 1 required; a port whose name is a formula."""
    nogales = make_site(db_session, kind="port", code="US-NOGALES", name="Nogales Mariposa")
    hostile = make_site(db_session, kind="port", code="US-EVIL", name="=cmd|' /C calc'!A0")
    commodity = make_commodity(db_session, "evil_fruit", name_en="@SUM(1+1)")
    for port, decision, minutes in ((nogales, "waived", 60), (nogales, "waived", 30), (nogales, "required", 45),
                                    (hostile, "waived", 90)):
        make_released(db_session, WHEN, decision, port=port, border_inspection_minutes=minutes,
                      commodity=commodity if port is hostile else None)
    db_session.commit()


def test_by_port_csv_has_the_header_and_the_rows(decisions, client_as):
    response = client_as("supervisor").get("/supervisor/export/by_port.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="jointinspect-by_port-')
    rows = read_csv(response)
    assert rows[0] == PORT_HEADER
    by_port = {row[0]: row[1:] for row in rows[1:]}
    assert by_port["Nogales Mariposa"] == ["2", "1", "66.7", "1.5", "7.34", "3.67", "published result", ZONE]


def test_cells_that_would_run_as_formulas_are_neutralised(decisions, client_as):
    client = client_as("supervisor")
    ports = read_csv(client.get("/supervisor/export/by_port.csv"))
    assert "'=cmd|' /C calc'!A0" in [row[0] for row in ports]
    assert not any(row[0].startswith("=") for row in ports)
    commodities = read_csv(client.get("/supervisor/export/by_commodity.csv"))
    assert "'@SUM(1+1)" in [row[0] for row in commodities]


def test_neutralise_leaves_numbers_and_plain_text_alone():
    assert neutralise("=1+2") == "'=1+2"
    assert neutralise("+1") == "'+1" and neutralise("-1") == "'-1" and neutralise("@A1") == "'@A1"
    assert neutralise(-1.5) == -1.5 and neutralise("Pharr") == "Pharr" and neutralise("") == ""


@pytest.mark.parametrize("table", TABLES)
def test_every_table_exports(decisions, client_as, table):
    response = client_as("admin").get(f"/supervisor/export/{table}.csv")
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows and all(rows[0]), f"{table}: a header row with a name in every column"
    assert all(len(row) == len(rows[0]) for row in rows)


def test_export_uses_the_same_period_as_the_page(decisions, client_as):
    client = client_as("supervisor")
    outside = read_csv(client.get("/supervisor/export/by_port.csv?period=custom&from=2001-01-01&to=2001-12-31"))
    assert outside == [PORT_HEADER]
    day = WHEN.astimezone(ZoneInfo(ZONE)).date().isoformat()
    inside = read_csv(client.get(f"/supervisor/export/waived_by_week.csv?period=custom&from={day}&to={day}"))
    assert [row[1:3] for row in inside[1:]] == [["3", "1"]]


def test_unknown_table_is_not_found(client_as):
    assert client_as("supervisor").get("/supervisor/export/passwords.csv").status_code == 404


def test_page_links_to_the_export_with_its_filters(decisions, client_as):
    html = client_as("supervisor").get("/supervisor/?period=month&on=2026-03-15").get_data(as_text=True)
    assert 'href="/supervisor/export/by_port.csv?period=month&amp;on=2026-03-15"' in html

"""The dashboard's days are days in the program's zone (America/Mexico_City, UTC-6): a truck released at 23:30
there on day D is 05:30 UTC on D+1, and counts on D, in D's week; the page and the CSV say which zone."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.models import Site
from app.services.dashboard.avoided import realised
from app.services.dashboard.cube import build_cube
from app.services.dashboard.localdays import cut_days
from app.services.dashboard.periods import local_midnight, period_between
from tests.factories import make_released, make_site

ZONE = "America/Mexico_City"
MEXICO = ZoneInfo(ZONE)
SUNDAY = date(2026, 3, 29)  # D: the last day of a week; D+1 in UTC is the next week's Monday


def _released(db_session, local: datetime, decision: str = "waived"):
    port = db_session.scalar(sa.select(Site).where(Site.code == "US-PHARR")) or make_site(
        db_session, kind="port", code="US-PHARR", name="Pharr")
    make_released(db_session, local.astimezone(timezone.utc), decision, port=port)
    db_session.commit()


def test_a_period_runs_from_local_midnight_to_local_midnight():
    period = period_between(SUNDAY, SUNDAY).in_zone(ZONE)
    assert period.start == datetime(2026, 3, 29, 6, 0, tzinfo=timezone.utc)
    assert period.end == datetime(2026, 3, 30, 6, 0, tzinfo=timezone.utc)
    assert local_midnight(SUNDAY, "UTC") == datetime(2026, 3, 29, tzinfo=timezone.utc)
    # The UTC days a local midnight cuts: the period's first and the one after its last.
    assert cut_days(period) == {date(2026, 3, 29), date(2026, 3, 30)}


def test_a_late_release_counts_on_its_local_day_and_week(db_session):
    _released(db_session, datetime(2026, 3, 29, 23, 30, tzinfo=MEXICO))
    on_the_day = period_between(SUNDAY, SUNDAY).in_zone(ZONE)
    next_day = period_between(SUNDAY + timedelta(days=1), SUNDAY + timedelta(days=1)).in_zone(ZONE)
    assert realised(db_session, on_the_day).waived == 1
    assert realised(db_session, next_day).waived == 0
    # In UTC days it is the next day's: the zone is what moves it.
    assert realised(db_session, period_between(SUNDAY, SUNDAY)).waived == 0
    two_weeks = period_between(date(2026, 3, 23), date(2026, 4, 5)).in_zone(ZONE)
    weeks = {row.key: row.waived for row in build_cube(db_session, two_weeks).by("week")}
    assert weeks == {"2026-03-23": 1}  # the week of Sunday 29 March, not the week of Monday 30


def test_whole_days_inside_a_period_still_come_from_the_tallies(db_session):
    for day in (date(2026, 3, 24), date(2026, 3, 25), date(2026, 3, 26)):
        _released(db_session, datetime.combine(day, datetime.min.time(), MEXICO).replace(hour=12))
    _released(db_session, datetime(2026, 3, 23, 0, 30, tzinfo=MEXICO), "required")  # 06:30 UTC Monday
    week = period_between(date(2026, 3, 23), date(2026, 3, 29)).in_zone(ZONE)
    assert (realised(db_session, week).waived, realised(db_session, week).required) == (3, 1)
    assert [(row.key, row.waived, row.required) for row in build_cube(db_session, week).by("week")] == [
        ("2026-03-23", 3, 1)]


def test_the_dashboard_and_its_csv_name_the_zone(db_session, client_as):
    _released(db_session, datetime(2026, 3, 29, 23, 30, tzinfo=MEXICO))
    client = client_as("supervisor")
    page = client.get("/supervisor/?period=custom&from=2026-03-29&to=2026-03-29").get_data(as_text=True)
    assert "Days in America/Mexico_City" in page
    raw = client.get("/supervisor/export/by_port.csv?period=custom&from=2026-03-29&to=2026-03-29").get_data()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][-1] == "Days in time zone"
    assert [(row[0], row[1], row[-1]) for row in rows[1:]] == [("Pharr", "1", ZONE)]
    after = client.get("/supervisor/export/by_port.csv?period=custom&from=2026-03-30&to=2026-03-30").get_data()
    assert list(csv.reader(io.StringIO(after.decode("utf-8-sig"))))[1:] == []
    assert "Days in America/Mexico_City" in client.get("/supervisor/safety").get_data(as_text=True)


def test_a_person_who_chose_a_zone_reads_days_in_it(db_session, client_as):
    """11:30 pm on 29 March in Chicago (CDT, UTC-5) is 04:30 UTC on the 30th: the 29th in Chicago and in Mexico."""
    chicago = ZoneInfo("America/Chicago")
    make_site(db_session, kind="port", code="US-LAREDO", name="Laredo", timezone="America/Chicago")  # a choice
    _released(db_session, datetime(2026, 3, 29, 23, 30, tzinfo=chicago))
    _released(db_session, datetime(2026, 3, 30, 0, 30, tzinfo=chicago))  # 05:30 UTC: the 29th in Mexico City
    client = client_as("supervisor")
    assert 'value="America/Chicago"' in client.get("/account/password").get_data(as_text=True)
    day = "/supervisor/export/by_port.csv?period=custom&from=2026-03-29&to=2026-03-29"
    read = lambda: list(csv.reader(io.StringIO(client.get(day).get_data().decode("utf-8-sig"))))  # noqa: E731
    assert [(row[1], row[-1]) for row in read()[1:]] == [("2", ZONE)]
    answer = client.post("/account/timezone", data={"timezone": "America/Chicago"}, follow_redirects=True)
    assert "now days in America/Chicago" in answer.get_data(as_text=True)
    assert [(row[1], row[-1]) for row in read()[1:]] == [("1", "America/Chicago")]
    page = client.get("/supervisor/?period=custom&from=2026-03-29&to=2026-03-29").get_data(as_text=True)
    assert "Days in America/Chicago" in page
    refused = client.post("/account/timezone", data={"timezone": "Mars/Olympus_Mons"}, follow_redirects=True)
    assert "Choose a time zone from the list." in refused.get_data(as_text=True)
    assert "Days in America/Chicago" in client.get("/supervisor/").get_data(as_text=True)
    client.post("/account/timezone", data={"timezone": ""})
    assert "Days in America/Mexico_City" in client.get("/supervisor/").get_data(as_text=True)

"""A new administrator sets up a second office from the browser alone, in English and in Spanish: accounts,
a site, its inspectors and next week's shifts, an exporter; its first shipment is requested, and the
office's coordinator plans the week with the optimizer and sees the shipment planned at the new site."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.db import db
from app.models import Holiday, ScheduleAssignment, Shipment, Site, User

from .conftest import sign_in, sign_out

pytestmark = pytest.mark.e2e
PASSWORD = "segunda oficina 2027"
OFFICES = {
    "en": {"site": "MX-ZAMORA", "name": "Zamora, Michoacán", "lat": "19.9855", "lon": "-102.2839", "short": "ZAM",
           "company": "AGRO-ZAMORA", "legal": "Agrícola Zamora SPR de RL", "tax": "AZA150101AB1"},
    "es": {"site": "MX-LOS-REYES", "name": "Los Reyes, Michoacán", "lat": "19.5858", "lon": "-102.4722",
           "short": "LRY", "company": "AGRO-LOS-REYES", "legal": "Berries Los Reyes SA de CV", "tax": "BLR160202CD3"},
}


def _speak(page, language: str) -> None:
    page.locator("#language").select_option(language)
    page.locator("form[action='/language'] button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def _next_monday() -> date:
    today = datetime.now(ZoneInfo("America/Mexico_City")).date()
    return today + timedelta(days=7 - today.weekday())


def _working_day(live_app, monday: date) -> date:
    """Tuesday to Thursday of next week, whichever is first not a Mexican holiday (the site observes them)."""
    with live_app.app_context():
        holidays = set(db.session.scalars(sa.select(Holiday.day).where(Holiday.country == "MX")))
    return next(day for day in (monday + timedelta(days=n) for n in (1, 2, 3)) if day not in holidays)


def _new_account(page, base, username, name, role, language, agency="", exporter="") -> str:
    """Fill the new-account form (already open) and read the temporary password it shows once."""
    page.locator("#username").fill(username)
    page.locator("#display_name").fill(name)
    page.locator("#role").select_option(role)
    page.locator("#agency").select_option(agency)
    if exporter:
        page.locator("#exporter").select_option(exporter)
    page.locator("#account_language").select_option(language)
    page.locator("input[name=first_password][value=temporary]").check()
    page.locator("main form button.primary").click()
    secret = page.locator("code[data-secret=password]")
    expect(secret).to_be_visible()
    return secret.inner_text().strip()


def _first_sign_in(page, base, username, temporary) -> None:
    """A temporary password works once: the first page is the one that changes it."""
    sign_in(page, base, username, temporary)
    page.wait_for_url("**/account/password")
    page.locator("#current_password").fill(temporary)
    page.locator("#new_password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("main form button.primary").click()
    expect(page.locator("#current_password")).to_have_count(0)


def _site(page, base, office) -> None:
    page.goto(f"{base}/reference/sites/new")
    page.locator("#code").fill(office["site"])
    page.locator("#name").fill(office["name"])
    page.locator("#state").fill("MIC")
    page.locator("#lat").fill(office["lat"])
    page.locator("#lon").fill(office["lon"])
    page.locator("#timezone").fill("America/Mexico_City")
    page.locator("#bays").fill("2")
    page.locator("input[name=commodities][value=berries]").check()
    page.locator("main form button.primary").click()
    page.wait_for_url("**/reference/sites/*")


def _inspector(page, base, office, agency, account="") -> None:
    page.goto(f"{base}/reference/inspectors/new?site={office['site']}")
    page.locator("#code").fill(f"{agency}-{office['short']}-01")
    page.locator("#name").fill(f"{agency.title()} {office['short']}")
    page.locator("#agency").select_option(agency)
    page.locator("input[name=commodities][value=berries]").check()
    if account:
        page.locator("#user").select_option(account)
    page.locator("main form button.primary").click()
    page.wait_for_url("**/reference/inspectors/*")


def _exporter(page, base, office) -> None:
    page.goto(f"{base}/reference/exporters/new")
    page.locator("#code").fill(office["company"])
    page.locator("#legal_name").fill(office["legal"])
    page.locator("#tax_id").fill(office["tax"])
    page.locator("main form button.primary").click()
    page.wait_for_url("**/reference/exporters/*")


def _request(page, base, office, day: date, packhouse: str) -> None:
    page.goto(f"{base}/exporter/requests/new")
    page.locator("#commodity").select_option("berries")
    page.locator("#quantity").fill("18")
    page.locator("#origin_state").select_option("MIC")
    page.locator("#packhouse").fill(packhouse)
    page.locator("#port").select_option("US-PHARR")
    page.locator("#sites").select_option(office["site"])
    page.locator("#ready").fill(f"{day}T08:00")
    page.locator("#arrive_port").fill(f"{day + timedelta(days=1)}T08:00")
    page.locator("#cross_by").fill(f"{day + timedelta(days=1)}T20:00")
    page.locator("button[value=precheck]").click()
    page.locator("button[value=submit]").click()
    page.wait_for_url("**/exporter/shipments/*")


@pytest.fixture
def in_english_afterwards(live_app):
    yield
    with live_app.app_context():
        db.session.execute(sa.update(User).where(User.username == "admin").values(language="en"))
        db.session.commit()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_new_administrator_sets_up_a_second_office_and_plans_a_week_there(
        page, live_server, live_app, screenshot, in_english_afterwards, language):
    base, office, shot = str(live_server), OFFICES[language], f"second-office-{language}"
    names = {role: f"{role[:5]}-{office['short'].lower()}-{language}" for role in
             ("admin", "coordinator", "inspector", "exporter")}

    # The program's administrator gives the office its own administrator.
    sign_in(page, base, "admin")
    _speak(page, language)
    page.goto(f"{base}/admin/accounts/new")
    temporary = _new_account(page, base, names["admin"], f"Admin {office['short']}", "admin", language)
    screenshot(f"{shot}-01-new-administrator-password-shown-once")
    sign_out(page)
    _first_sign_in(page, base, names["admin"], temporary)
    screenshot(f"{shot}-02-temporary-password-changed")

    # The office's administrator, from the browser alone: the site, the accounts, the inspectors.
    _site(page, base, office)
    screenshot(f"{shot}-03-site-created")
    accounts = {}
    for role, agency in (("coordinator", "SENASICA"), ("inspector", "APHIS")):
        page.goto(f"{base}/admin/accounts/new")
        accounts[role] = _new_account(page, base, names[role], f"{role.title()} {office['short']}", role, language,
                                      agency=agency)
    _inspector(page, base, office, "APHIS", account=names["inspector"])
    _inspector(page, base, office, "SENASICA")
    screenshot(f"{shot}-04-inspector-created")

    # Next week's shifts: the whole week from a pattern, closed days skipped.
    page.goto(f"{base}/reference/")
    page.locator("main tr", has_text=office["name"]).locator("a[href$='/week']").click()
    page.locator("button[name=action][value=fill]").click()
    expect(page.locator("input[value='07:00'][name$='|start']").first).to_be_visible()
    screenshot(f"{shot}-05-next-week-shifts")

    # The exporter company and its first account, offered from the company's page.
    _exporter(page, base, office)
    page.locator("main a[href*='/admin/accounts/new']").click()
    accounts["exporter"] = _new_account(page, base, names["exporter"], f"Exportador {office['short']}", "exporter",
                                        language, exporter=office["company"])
    screenshot(f"{shot}-06-exporter-account")
    page.goto(f"{base}/admin/")
    screenshot(f"{shot}-07-accounts")
    sign_out(page)

    # The exporter asks for a joint inspection at the new site.
    monday = _next_monday()
    day = _working_day(live_app, monday)
    packhouse = f"Empaque {office['name']}"
    _first_sign_in(page, base, names["exporter"], accounts["exporter"])
    _request(page, base, office, day, packhouse)
    screenshot(f"{shot}-08-exporter-requested")
    with live_app.app_context():
        reference = db.session.scalar(sa.select(Shipment.reference).where(Shipment.packhouse == packhouse))
    sign_out(page)

    # The office's coordinator plans next week and sees the shipment planned at the new site.
    _first_sign_in(page, base, names["coordinator"], accounts["coordinator"])
    page.goto(f"{base}/coordinator/runs")
    page.locator("#start_date").fill(monday.isoformat())
    page.locator("#days").fill("7")
    page.locator("#time_limit_s").fill("10")
    page.locator("main form button.primary").click()
    expect(page.locator("main a[href$='/publish']")).to_be_visible(timeout=120_000)
    expect(page.locator("main tr", has_text=reference).filter(has_text=office["name"])).to_have_count(1)
    screenshot(f"{shot}-09-week-planned")
    with live_app.app_context():
        codes = db.session.scalars(
            sa.select(Site.code).join(ScheduleAssignment, ScheduleAssignment.site_id == Site.id)
            .join(Shipment, Shipment.id == ScheduleAssignment.request_id)
            .where(Shipment.reference == reference, ScheduleAssignment.kind == "joint_inland")).all()
    assert codes == [office["site"]]

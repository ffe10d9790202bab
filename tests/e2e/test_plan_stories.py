"""Stories with time in them, as the demo tells them: a late truck, a republish that moved an inspection,
an inspector taken ill under a pinned inspection, a seal check that changes the decision, in both languages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.db import db
from app.models import Inspection, ScheduleRun, Shipment, User

from .conftest import sign_in, sign_out

pytestmark = pytest.mark.e2e

WORDS = {
    "en": {"late": "arrived 120 h after the joint inspection; rule allows 48 h", "arrived": "Truck arrived at",
           "changed": "changed", "was": "was at", "live": "Live plan", "replaced": "Replaced by run",
           "pins": "Pins that could not be kept", "shift": "shift", "confirm": "This changes the border decision",
           "required": "Border inspection required", "publish": "inspections kept as they are"},
    "es": {"late": "llegó 120 h después de la inspección conjunta; la regla permite 48 h",
           "arrived": "El camión llegó", "changed": "cambió", "was": "antes:", "live": "Plan vigente",
           "replaced": "Reemplazado por la corrida", "pins": "Fijaciones que no se pudieron mantener",
           "shift": "turno", "confirm": "Esto cambia la decisión fronteriza",
           "required": "Inspección fronteriza requerida", "publish": "inspecciones que se mantienen"},
}


def speak(page, language: str) -> None:
    page.locator("#language").select_option(language)
    page.locator("form[action='/language'] button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def shipment_id(live_app, reference: str) -> int:
    with live_app.app_context():
        return db.session.scalar(sa.select(Shipment.id).where(Shipment.reference == reference))


@pytest.fixture
def in_english_afterwards(live_app):
    yield
    with live_app.app_context():
        db.session.execute(sa.update(User).values(language="en"))
        db.session.commit()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_late_truck_is_inspected_and_everyone_reads_why(page, live_server, live_app, screenshot,
                                                          in_english_afterwards, language):
    base, words = str(live_server), WORDS[language]
    late = shipment_id(live_app, "JI-DEMO-021")
    sign_in(page, base, "officer")
    speak(page, language)
    page.goto(f"{base}/officer/shipments/{late}")
    expect(page.locator("main")).to_contain_text(words["late"])
    expect(page.locator("main")).to_contain_text(words["arrived"])
    screenshot(f"story-late-truck-officer-{language}")
    sign_out(page)
    sign_in(page, base, "exporter")
    speak(page, language)
    page.goto(f"{base}/exporter/shipments/{late}")
    expect(page.locator("main")).to_contain_text(words["late"])
    screenshot(f"story-late-truck-exporter-{language}")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_republished_plan_moved_one_inspection_and_its_people_are_told(page, live_server, live_app, screenshot,
                                                                         in_english_afterwards, language):
    base, words = str(live_server), WORDS[language]
    moved = shipment_id(live_app, "JI-DEMO-004")
    sign_in(page, base, "exporter")
    speak(page, language)
    page.goto(f"{base}/exporter/shipments/{moved}")
    changed = page.locator("main li", has_text=words["changed"])
    expect(changed).to_have_count(1)  # one line for the inspection, saying what moved
    expect(changed).to_contain_text(words["was"])
    screenshot(f"story-republish-exporter-{language}")
    sign_out(page)
    sign_in(page, base, "coordinator")
    speak(page, language)
    page.goto(f"{base}/coordinator/runs")
    expect(page.locator("main")).to_contain_text(words["live"])
    expect(page.locator("main")).to_contain_text(words["replaced"])
    screenshot(f"story-republish-runs-{language}")


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_inspector_taken_ill_drops_the_pin_on_re_plan_and_says_why(page, live_server, live_app, screenshot,
                                                                      in_english_afterwards, language):
    base, words = str(live_server), WORDS[language]
    with live_app.app_context():
        demo_live = db.session.scalar(sa.select(ScheduleRun.id).where(ScheduleRun.settings["demo"].as_string()
                                                                      .is_not(None), ScheduleRun.superseded_at.is_(None)))
        demo_live = demo_live or db.session.scalar(sa.select(sa.func.max(ScheduleRun.id)).where(
            ScheduleRun.settings["demo"].as_string().is_not(None)))
    sign_in(page, base, "coordinator")
    speak(page, language)
    page.goto(f"{base}/coordinator/runs/{demo_live}/board")
    page.locator("form[action$='/replan'] button").click()
    expect(page.locator("main h2", has_text=words["pins"])).to_be_visible(timeout=90_000)
    pins = page.locator("main h2", has_text=words["pins"]).locator("xpath=following-sibling::ul[1]")
    expect(pins).to_contain_text("JI-DEMO-012")
    expect(pins).to_contain_text(words["shift"])
    screenshot(f"story-taken-ill-replan-{language}")
    if language == "en":  # the re-plan is published once; its review says what changes
        page.locator("a[href$='/publish']").click()
        expect(page.locator("main")).to_contain_text(words["publish"])
        screenshot("story-taken-ill-publish-review-en")
        page.locator("main form button.primary").click()
        expect(page.locator("main h1")).to_contain_text(words["live"])


@pytest.mark.parametrize(("language", "reference"), [("en", "JI-DEMO-006"), ("es", "JI-DEMO-007")])
def test_a_seal_check_that_changes_the_decision_asks_first(page, live_server, live_app, screenshot,
                                                           in_english_afterwards, language, reference):
    base, words = str(live_server), WORDS[language]
    sealed = shipment_id(live_app, reference)
    sign_in(page, base, "officer")
    speak(page, language)
    page.goto(f"{base}/officer/shipments/{sealed}")
    page.locator("fieldset.radios input[value=broken]").first.check()
    page.locator("form[action$='/verify'] button.primary").click()
    expect(page.locator("main")).to_contain_text(words["confirm"])
    with live_app.app_context():
        assert db.session.scalar(sa.select(Shipment.status).where(Shipment.id == sealed)) == "sealed"
    screenshot(f"story-seal-confirm-{language}")
    page.locator("form[action$='/verify'] button.primary").click()
    expect(page.locator(".current-decision")).to_contain_text(words["required"])
    with live_app.app_context():
        assert db.session.scalar(sa.select(Shipment.status).where(Shipment.id == sealed)) == "at_border"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Inspection)
                                 .where(Inspection.request_id == sealed, Inspection.kind == "joint_inland")) == 1

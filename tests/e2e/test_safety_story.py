"""Is recognition safe? The Pharr officer finds weevils in two avocado loads of one exporter: the second
find suspends the exporter's waivers at once, the exporter reads why, and a supervisor of each agency signs
the lift. The officer and the APHIS supervisor work in English, the exporter and SENASICA in Spanish."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.db import db
from app.models import Commodity, Exporter, Site, Suspension, User
from tests.factories import make_decision, make_shipment, make_user

from .conftest import sign_in, sign_out
from .test_plan_stories import in_english_afterwards, speak  # noqa: F401  (a fixture)

pytestmark = pytest.mark.e2e

WORDS = {
    "en": {"recorded": "Border inspection recorded.", "intercepted": "Interception recorded.",
           "pest": "Heilipus lauri", "suspended": "Recognition suspended", "cause": "2 actionable interceptions",
           "signed": "lift signed by APHIS", "none": "No suspension."},
    "es": {"recorded": "Inspección fronteriza registrada.", "intercepted": "Intercepción registrada.",
           "pest": "Heilipus lauri", "suspended": "Reconocimiento suspendido",
           "cause": "2 intercepciones accionables", "signed": "levantamiento firmado por APHIS",
           "precheck": "suspendido el", "for_you": "Para su empresa"},
}


@pytest.fixture
def two_loads_at_pharr(live_app):
    """Two avocado loads of the Culiacán exporter in the Pharr queue, their border inspection required, and
    an APHIS supervisor next to the demo's SENASICA one."""
    with live_app.app_context():
        session = db.session
        exporter = session.scalar(sa.select(Exporter).where(Exporter.code == "AVC-CULIACAN"))
        port = session.scalar(sa.select(Site).where(Site.code == "US-PHARR"))
        avocado = session.get(Commodity, "avocado")
        arrived = datetime.now(timezone.utc) - timedelta(hours=2)
        ids = []
        for number in (1, 2):
            load = make_shipment(session, exporter=exporter, commodity=avocado, port=port, origin_state="MIC",
                                 packhouse=f"Empaque Safety {number}", status="at_border",
                                 reference=f"JI-SAFETY-00{number}", ready=arrived - timedelta(days=1),
                                 arrived_at=arrived)
            make_decision(session, load, "required", reasons=[{"code": "no_inland_inspection", "params": {}}])
            ids.append(load.id)
        if session.scalar(sa.select(User).where(User.username == "supervisor-aphis")) is None:
            make_user(session, role="supervisor", username="supervisor-aphis", agency="APHIS")
        session.commit()
    return ids


def record_weevils(page, base: str, shipment: int, words: dict) -> None:
    page.goto(f"{base}/officer/shipments/{shipment}")
    page.locator("input[name=result][value=fail]").check()
    page.locator("input[name=pests][value=found]").check()
    page.locator("#findings").fill("Live larvae in the seed.")
    page.locator("form[action$='/border-result'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(words["recorded"])
    form = page.locator("form[action$='/interceptions']")
    form.locator("select[name=organism]").select_option("heilipus_lauri")
    form.locator("select[name=life_stage]").select_option("larva")
    form.locator("input[name=count]").fill("3")
    form.locator("select[name=action]").select_option("destroyed")
    form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(words["intercepted"])
    expect(page.locator("#interceptions + table, main table").first).to_contain_text(words["pest"])


def test_two_finds_suspend_an_exporter_and_both_agencies_lift_it(page, live_server, live_app, screenshot,
                                                                  two_loads_at_pharr, in_english_afterwards):
    base, first, second = str(live_server), *two_loads_at_pharr
    en, es = WORDS["en"], WORDS["es"]

    sign_in(page, base, "officer")
    record_weevils(page, base, first, en)
    speak(page, "es")
    record_weevils(page, base, second, es)  # the exporter's second find in 30 days: the threshold
    screenshot("safety-officer-interception-es")
    sign_out(page)

    sign_in(page, base, "exporter2")
    speak(page, "es")
    page.goto(f"{base}/exporter/")
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text(es["suspended"])
    expect(banner).to_contain_text(es["for_you"])
    expect(banner).to_contain_text(es["cause"])
    page.goto(f"{base}/exporter/requests/new")
    page.locator("#commodity").select_option("avocado")
    page.locator("#quantity").fill("20")
    page.locator("#origin_state").select_option("MIC")
    page.locator("#packhouse").fill("Empaque Safety 3")
    page.locator("#port").select_option("US-PHARR")
    day = datetime.now(timezone.utc).date() + timedelta(days=3)
    page.locator("#ready").fill(f"{day}T08:00")
    page.locator("#arrive_port").fill(f"{day + timedelta(days=1)}T12:00")
    page.locator("#cross_by").fill(f"{day + timedelta(days=1)}T18:00")
    page.locator("button[value=precheck]").click()
    expect(page.locator("main")).to_contain_text(es["precheck"])
    screenshot("safety-exporter-precheck-suspended-es")
    sign_out(page)

    sign_in(page, base, "supervisor-aphis")
    page.goto(f"{base}/supervisor/safety")
    exporter_card = page.locator("#suspensions ~ ul li", has_text="Agrícola Valle de Culiacán")
    expect(exporter_card).to_have_count(1)
    exporter_card.locator("textarea").fill("Packhouses retrained; traps clean for 30 days.")
    exporter_card.locator("button[type=submit]").click()
    expect(page.locator("#suspensions ~ ul li", has_text="Agrícola Valle de Culiacán")).to_contain_text(en["signed"])
    screenshot("safety-supervisor-aphis-signed-en")
    sign_out(page)

    sign_in(page, base, "supervisor")  # SENASICA
    speak(page, "es")
    page.goto(f"{base}/supervisor/safety")
    exporter_card = page.locator("#suspensions ~ ul li", has_text="Agrícola Valle de Culiacán")
    expect(exporter_card).to_contain_text(es["signed"])
    exporter_card.locator("textarea").fill("Auditoría de SENASICA aprobada.")
    exporter_card.locator("button[type=submit]").click()
    screenshot("safety-supervisor-senasica-lifted-es")
    with live_app.app_context():
        suspension = db.session.scalar(sa.select(Suspension).join(Exporter, Exporter.id == Suspension.exporter_id)
                                       .where(Exporter.code == "AVC-CULIACAN"))
        assert suspension is not None and suspension.lifted_at is not None
    sign_out(page)

    sign_in(page, base, "exporter2")
    page.goto(f"{base}/exporter/")
    expect(page.get_by_role("alert")).to_have_count(0)

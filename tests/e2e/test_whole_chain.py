"""The whole chain in a browser: an exporter requests, a coordinator plans and publishes, an inspector
seals, an officer verifies, and the supervisor sees one more border inspection avoided."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.db import db
from app.models import (
    BorderDecision, Inspection, Inspector, InspectorBooking, Rule, Shipment, UnscheduledRequest, User,
)
from app.services.access.users import create_user
from app.services.border import seal_stock

from .conftest import sign_in, sign_out

pytestmark = pytest.mark.e2e


def _inspection_day() -> date:
    """The next Tuesday to Friday: every inland site has both agencies on shift then."""
    day = datetime.now(timezone.utc).date() + timedelta(days=1)
    while day.weekday() not in (1, 2, 3, 4):
        day += timedelta(days=1)
    return day


def _speak(page, language: str) -> None:
    page.locator("#language").select_option(language)
    page.locator("form[action='/language'] button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def _waived_so_far(page, base: str) -> int:
    text = page.request.get(f"{base}/supervisor/export/waived_by_week.csv").text().lstrip("\\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    return sum(int(row[1]) for row in rows[1:] if row and row[1].isdigit())


@pytest.fixture
def reset_languages(live_app):
    yield
    with live_app.app_context():
        db.session.execute(sa.update(User).values(language="en"))
        db.session.commit()


@pytest.fixture
def no_verification_sampling(live_app):
    """This story is the waiver's: the random verification draw is turned off on the rules while it runs
    (a drawn load would rightly keep its border inspection; test_safety_story and the sampling tests tell
    that story)."""
    with live_app.app_context():
        rates = dict(db.session.execute(sa.select(Rule.id, Rule.verification_rate)).all())
        db.session.execute(sa.update(Rule).values(verification_rate=0.0))
        db.session.commit()
    yield
    with live_app.app_context():
        for rule_id, rate in rates.items():
            db.session.execute(sa.update(Rule).where(Rule.id == rule_id).values(verification_rate=rate))
        db.session.commit()


@pytest.mark.parametrize("language", ["en", "es"])
def test_request_plan_seal_verify_and_count_the_avoided_inspection(page, live_server, live_app, screenshot,
                                                                  reset_languages, language, clock,
                                                                  no_verification_sampling):
    base = str(live_server)
    packhouse = f"Empaque cadena completa {language}"
    sign_in(page, base, "supervisor")
    waived_before = _waived_so_far(page, base)
    sign_out(page)

    # The exporter asks for a joint inspection of avocados crossing at Pharr.
    sign_in(page, base, "exporter")
    _speak(page, language)
    page.goto(f"{base}/exporter/requests/new")
    day = _inspection_day()
    page.locator("#commodity").select_option("avocado")
    page.locator("#quantity").fill("20")
    page.locator("#origin_state").select_option("MIC")
    page.locator("#packhouse").fill(packhouse)
    page.locator("#port").select_option("US-PHARR")
    page.locator("#ready").fill(f"{day}T08:00")
    page.locator("#arrive_port").fill(f"{day + timedelta(days=1)}T12:00")
    page.locator("#cross_by").fill(f"{day + timedelta(days=1)}T18:00")
    page.locator("button[value=precheck]").click()
    expect(page.locator("main")).to_contain_text("MR-AVO-01")
    screenshot(f"chain-{language}-1-exporter-precheck")
    page.locator("button[value=submit]").click()
    page.wait_for_url("**/exporter/shipments/*")
    screenshot(f"chain-{language}-2-exporter-requested")
    with live_app.app_context():
        request_id = db.session.scalar(sa.select(Shipment.id).where(Shipment.packhouse == packhouse))
    assert request_id is not None
    sign_out(page)

    # The coordinator plans the coming days and publishes the plan.
    sign_in(page, base, "coordinator")
    _speak(page, language)
    page.goto(f"{base}/coordinator/runs")
    page.locator("#start_date").fill(datetime.now(timezone.utc).date().isoformat())
    page.locator("#days").fill("9")
    page.locator("#time_limit_s").fill("5")
    page.locator("main form button.primary").click()
    review = page.locator("main a[href$='/publish']")
    expect(review).to_be_visible(timeout=60_000)
    screenshot(f"chain-{language}-3-coordinator-plan")
    review.click()
    refusal = page.locator("section.error")
    if refusal.count():
        pytest.fail(f"publishing was refused: {refusal.inner_text()}")
    screenshot(f"chain-{language}-3b-coordinator-publish-review")
    with page.expect_navigation(timeout=120_000):
        page.locator("main form button.primary").click()
    expect(page.locator("main a[href$='/publish']")).to_have_count(0)  # the page now says it is live
    with live_app.app_context():
        inland = db.session.scalar(sa.select(Inspection).where(Inspection.request_id == request_id,
                                                               Inspection.kind == "joint_inland",
                                                               Inspection.status == "scheduled"))
        if inland is None:
            reasons = db.session.scalars(sa.select(UnscheduledRequest.reason_text)
                                         .where(UnscheduledRequest.request_id == request_id)).all()
            status = db.session.get(Shipment, request_id).status
            pytest.fail(f"the published plan must inspect the new shipment ({status}): {reasons}")
        decision = db.session.scalar(sa.select(BorderDecision).where(BorderDecision.request_id == request_id,
                                                                     BorderDecision.current))
        assert decision.decision == "waived" and decision.rule_code == "MR-AVO-01"
        aphis = db.session.scalar(sa.select(Inspector).join(InspectorBooking).where(
            InspectorBooking.inspection_id == inland.id, Inspector.agency == "APHIS"))
        inspector_login = f"e2e-{language}-{aphis.code.lower()}"
        if aphis.user_id is None:
            user = create_user(db.session, username=inspector_login, password="jointinspect-demo",
                               role="inspector", display_name=aphis.name, agency="APHIS")
            aphis.user_id = user.id
        else:
            inspector_login = db.session.get(User, aphis.user_id).username
        db.session.commit()
        inland_id, inland_start, inland_end = inland.id, inland.start, inland.end
        # A seal of the site's own stock: only numbers issued to the site are applied there.
        seal = seal_stock.next_unused(db.session, inland.site)
        assert seal is not None, f"no seal stock at {inland.site.code}"
    sign_out(page)

    # Time passes: the inspection starts on its day (nothing is recorded before it can have happened).
    clock.go(inland_start + timedelta(minutes=30))

    # The APHIS inspector on the team records a pass and the seal applied.
    sign_in(page, base, inspector_login)
    _speak(page, language)
    page.goto(f"{base}/inspector/inspections/{inland_id}")
    page.locator("input[name=result][value=pass]").check()
    page.locator("#seals-0-number").fill(seal)
    page.locator("main form button.primary").click()
    expect(page.locator("main")).to_contain_text(seal)
    screenshot(f"chain-{language}-4-inspector-sealed")
    sign_out(page)

    # The truck reaches Pharr the next morning; the officer finds the seal intact: the waiver stands.
    clock.go(inland_end + timedelta(hours=18))
    sign_in(page, base, "officer")
    _speak(page, language)
    page.goto(f"{base}/officer/shipments/{request_id}")
    page.locator("fieldset.radios input[value=intact]").first.check()
    page.locator("form[action$='/verify'] button.primary").click()
    screenshot(f"chain-{language}-5-officer-verified")
    with live_app.app_context():
        assert db.session.get(Shipment, request_id).status == "released"
    sign_out(page)

    # The supervisor sees one more border inspection avoided.
    sign_in(page, base, "supervisor")
    _speak(page, language)
    assert _waived_so_far(page, base) == waived_before + 1
    page.goto(f"{base}/supervisor/")
    screenshot(f"chain-{language}-6-supervisor")


def test_an_invalid_request_is_refused_and_keeps_what_was_typed(page, live_server, screenshot):
    base = str(live_server)
    sign_in(page, base, "exporter")
    page.goto(f"{base}/exporter/requests/new")
    page.locator("#commodity").select_option("avocado")
    page.locator("#quantity").fill("0")
    page.locator("#packhouse").fill("Empaque que no se pierde")
    page.locator("button[value=submit]").click()
    expect(page.locator("#quantity")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#packhouse")).to_have_value("Empaque que no se pierde")
    screenshot("exporter-refused-form")

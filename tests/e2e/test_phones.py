"""Every role's main pages on a 390 px phone, in English and Spanish: the page itself never scrolls sideways,
and the header's menu opens and shows the navigation. The screenshots land in test-artifacts/ to be looked at."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.db import db
from app.models import ScheduleRun, Shipment, User

from .conftest import sign_in
from .test_plan_stories import speak

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# Lists whose every shown column fits a phone (others scroll inside their own box, the first column kept).
WHOLE_TABLES = {("exporter", "home"), ("officer", "home"), ("admin", "home")}


def _live_run(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(ScheduleRun.id).where(ScheduleRun.status == "published")
                                 .order_by(ScheduleRun.id.desc()).limit(1)) \
            or db.session.scalar(sa.select(sa.func.max(ScheduleRun.id)))


def _shipment(app, reference: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Shipment.id).where(Shipment.reference == reference))


def pages(app) -> dict[str, list[tuple[str, str]]]:
    """role -> [(name, path)]: the main page first, then the busiest ones."""
    return {
        "exporter": [("home", "/exporter/"), ("shipment", f"/exporter/shipments/{_shipment(app, 'JI-DEMO-004')}"),
                     ("request-form", "/exporter/requests/new")],
        "coordinator": [("home", "/coordinator/"), ("queue", "/coordinator/queue"), ("runs", "/coordinator/runs"),
                        ("board", f"/coordinator/runs/{_live_run(app)}/board")],
        "inspector": [("home", "/inspector/")],
        "officer": [("home", "/officer/")],
        "supervisor": [("home", "/supervisor/"), ("safety", "/supervisor/safety"), ("account", "/account/password")],
        "admin": [("home", "/admin/")],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "device_scale_factor": 1, "is_mobile": True,
            "has_touch": True}


@pytest.fixture
def in_english_afterwards(live_app):
    yield
    with live_app.app_context():
        db.session.execute(sa.update(User).values(language="en"))
        db.session.commit()


def fits_the_phone(page) -> None:
    overflow = page.evaluate("""() => {
        const width = window.innerWidth, wide = [];
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.right > width + 1 && box.width > 0) wide.push(el.tagName + '.' + el.className);
        }
        return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
    }""")
    assert overflow["scroll"] <= overflow["width"], overflow


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("role", ["exporter", "coordinator", "inspector", "officer", "supervisor", "admin"])
def test_each_role_reads_its_pages_on_a_phone(page, live_server, live_app, screenshot, in_english_afterwards,
                                              role, language):
    base = str(live_server)
    sign_in(page, base, role)
    page.locator("details.nav-menu > summary").click()  # the language choice is in the menu on a phone
    speak(page, language)
    for name, path in pages(live_app)[role]:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.ok, (path, response and response.status)
        assert page.viewport_size == PHONE
        menu = page.locator("details.nav-menu")
        links = menu.locator("nav .menu a")
        expect(links.first).to_be_hidden()  # the header is one line until the menu is opened
        fits_the_phone(page)
        if (role, name) in WHOLE_TABLES:  # their less needed columns fold away: the last one is on screen
            last = page.locator("main table thead th").filter(visible=True).last.bounding_box()
            assert last is not None and last["x"] + last["width"] <= PHONE["width"], (path, last)
        screenshot(f"phone-{role}-{name}-{language}")
        menu.locator("summary").click()
        expect(links.first).to_be_visible()
        expect(menu.locator("form[action='/logout'] button")).to_be_visible()
        fits_the_phone(page)
        if name == "home":
            screenshot(f"phone-{role}-menu-{language}")


def test_the_desktop_header_shows_the_links_without_a_menu(page, live_server, screenshot):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, str(live_server), "supervisor")
    expect(page.locator("details.nav-menu > summary")).to_be_hidden()
    expect(page.locator("nav .menu a").first).to_be_visible()
    expect(page.locator("form[action='/logout'] button")).to_be_visible()
    screenshot("desktop-supervisor-header")

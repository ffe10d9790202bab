"""A live server on its own seeded database, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from werkzeug.serving import make_server

from app import create_app
from app.db import db
from app.migrate import upgrade
from app.services.seeding import seed
from tests.conftest import scratch_database

class LiveURL(str):
    """The live server's address (a string) that also knows its app."""

    def __new__(cls, url: str, app):
        value = super().__new__(cls, url)
        value.app = app
        return value


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def live_app(live_server):
    """The live server's app, for a story to look into its database."""
    return live_server.app


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The app with the demo data, served on a free port in a thread."""
    with scratch_database("e2e", tmp_path_factory.mktemp("e2e")) as url:
        upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "e2e-secret", "RATELIMIT_ENABLED": False})
        with app.app_context():
            seed(db.session, demo_accounts=True)
            db.session.commit()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield LiveURL(f"http://127.0.0.1:{server.server_port}", app)
        server.shutdown()
        thread.join(timeout=10)
        db.bound(app).engine.dispose()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def screenshot(page):
    """`screenshot("name")` saves the page under test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def _shot(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def sign_in(page, base_url: str, username: str, password: str = "jointinspect-demo") -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").or_(page.get_by_label("Usuario")).fill(username)
    page.get_by_label("Password").or_(page.get_by_label("Contraseña")).fill(password)
    page.locator("button[type=submit].primary").click()


def sign_out(page) -> None:
    page.locator("form[action='/logout'] button").click()


class Clock:
    """The app's clock (the live server shares this process): a story moves it to when things happen."""

    def __init__(self) -> None:
        self._travel = None

    def go(self, moment) -> None:
        self.back()
        self._travel = time_machine.travel(moment, tick=True)
        self._travel.start()

    def back(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None


@pytest.fixture
def clock() -> Iterator[Clock]:
    travelling = Clock()
    yield travelling
    travelling.back()

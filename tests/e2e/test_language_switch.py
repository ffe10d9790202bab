"""Issue 17 in a browser: switching language keeps the page, its filters, and the audit log reads as sentences."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.db import db
from app.models import User

from .conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def admin_in_english_afterwards(live_app):
    yield
    with live_app.app_context():
        db.session.execute(sa.update(User).where(User.username == "admin").values(language="en"))
        db.session.commit()


def test_the_switch_keeps_the_filters_and_the_audit_log_speaks_spanish(page, live_server, screenshot,
                                                                       admin_in_english_afterwards):
    base = str(live_server)
    sign_in(page, base, "admin")
    page.goto(f"{base}/audit?entity_type=Shipment&actor=coordinator")
    expect(page.locator(".audit-entries li").first).to_contain_text("(Coordinator)")
    page.locator("#language").select_option("es")
    page.locator("form[action='/language'] button").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url == f"{base}/audit?entity_type=Shipment&actor=coordinator"
    expect(page.locator("#actor")).to_have_value("coordinator")
    first = page.locator(".audit-entries li").first
    expect(first).to_contain_text("(Coordinador)")
    expect(first.locator("details")).not_to_have_attribute("open", "")
    first.locator("summary").click()
    expect(first.locator("details dd code").first).to_be_visible()
    screenshot("issue17-audit-log-es")

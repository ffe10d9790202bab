"""Each demo user signs in, lands on their own page, and can switch to Spanish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import sign_in, sign_out

pytestmark = pytest.mark.e2e

HOMES = {
    "exporter": ("/exporter/", "My shipments", "Mis embarques"),
    "coordinator": ("/coordinator/", "Coordination", "Coordinación"),
    "inspector": ("/inspector/", "My assignments", "Mis asignaciones"),
    "officer": ("/officer/", "Port queue", "Fila del puerto"),
    "supervisor": ("/supervisor/", "Mutual recognition at a glance", "Reconocimiento mutuo de un vistazo"),
    "admin": ("/admin/", "Accounts", "Cuentas"),
}


@pytest.mark.parametrize("username", sorted(HOMES))
def test_demo_user_signs_in_and_switches_to_spanish(page, live_server, screenshot, username):
    path, english, spanish = HOMES[username]
    sign_in(page, live_server, username)
    expect(page).to_have_url(f"{live_server}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(english)
    screenshot(f"home-{username}-en")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(spanish)
    screenshot(f"home-{username}-es")
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(f"{live_server}/login")
    page.goto(f"{live_server}{path}")
    expect(page).to_have_url(f"{live_server}/login?next={path}")


def test_exporter_cannot_open_another_companys_shipment(page, live_server, screenshot):
    sign_in(page, live_server, "exporter")
    href = page.locator("table a").first.get_attribute("href")
    assert href and href.startswith("/exporter/shipments/")
    sign_out(page)
    sign_in(page, live_server, "exporter2")
    expect(page).to_have_url(f"{live_server}/exporter/")
    response = page.goto(f"{live_server}{href}")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not found")
    screenshot("exporter2-refused-other-company")

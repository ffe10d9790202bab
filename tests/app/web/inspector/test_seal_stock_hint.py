"""The inspector sees which seals the site was issued, and a number from elsewhere is refused on the form."""

from __future__ import annotations

import pytest

from app.models import Seal
from tests.factories import count

from ...services.border.seal_scenario import seal_scenario
from .test_pages import result_form


@pytest.fixture
def scenario(db_session, users):
    return seal_scenario(db_session, users)


def test_the_form_names_the_sites_stock_and_refuses_other_numbers(client_as, db_session, scenario):
    client = client_as("inspector")
    url = f"/inspector/inspections/{scenario.inspection.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Only seals issued to this site:" in page and "NOGA-000000–NOGA-999999 (CBP, class H)" in page
    refused = client.post(url, data=result_form(seals=[("SNS9999999", "mechanical")]))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f"Seal number SNS9999999 was not issued to {scenario.site.name}" in text
    assert count(db_session, Seal) == 0

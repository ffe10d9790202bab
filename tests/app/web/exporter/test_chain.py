"""The exporter names its shipment's logistics chain, and its pre-check says which link is missing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.models import ShipmentParty
from tests.factories import (
    make_agreement, make_certification, make_commodity, make_party, make_party_certification, make_register,
    make_rule, make_shipment, make_site,
)

LINKS = ("packhouse", "carrier", "driver", "importer", "broker")


@pytest.fixture
def shipment(db_session, users):
    make_register(db_session)
    commodity = make_commodity(db_session, "berries")
    port = make_site(db_session, kind="port", code="US-OTAY-E", name="Otay Mesa", timezone="America/Los_Angeles",
                     state="CA")
    agreement = make_agreement(db_session)
    make_rule(db_session, agreement, code="MR-CHAIN-E", commodities=["berries"], requires_recognised_status=True,
              requires_whole_chain=True)
    exporter = users["exporter"].exporter
    make_certification(db_session, exporter, "OEA")
    programs = {"packhouse": "SENASICA-PH", "driver": "FAST"}
    for link in LINKS:
        party = make_party(db_session, link, code=f"{link.upper()}-E")
        make_party_certification(db_session, party, programs.get(link, "CTPAT"), valid_until=None
                                 if link not in programs else datetime.now(timezone.utc).date() + timedelta(days=900))
    ready = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=3)
    found = make_shipment(db_session, exporter=exporter, commodity=commodity, port=port, ready=ready,
                          origin_state="BCN")
    db_session.commit()
    return found


def test_the_pre_check_names_the_missing_links_until_the_chain_is_named(client_as, shipment, db_session):
    client = client_as("exporter")
    page = client.get(f"/exporter/shipments/{shipment.id}").get_data(as_text=True)
    assert "logistics chain: no driver holding FAST is named" in page and "Save the chain" in page
    refused = client.post(f"/exporter/shipments/{shipment.id}/chain", data={"carrier": "DRIVER-E"})
    assert refused.status_code == 422 and "No carrier is registered with the code DRIVER-E." in refused.get_data(
        as_text=True)
    saved = client.post(f"/exporter/shipments/{shipment.id}/chain", data={link: f"{link}-e" for link in LINKS})
    assert saved.status_code == 302
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ShipmentParty)) == 5
    page = client.get(f"/exporter/shipments/{shipment.id}").get_data(as_text=True)
    assert "logistics chain" not in page.split('id="precheck"')[1] and "under rule MR-CHAIN-E" in page


def test_another_exporters_shipment_is_not_found(client_as, shipment, db_session, users):
    from tests.factories import make_user

    make_user(db_session, role="exporter", username="other-exporter")
    db_session.commit()
    from tests.conftest import AuthActions

    other = client_as("exporter").application.test_client()
    AuthActions(other).login("other-exporter")
    assert other.post(f"/exporter/shipments/{shipment.id}/chain", data={"carrier": "CARRIER-E"}).status_code == 404
    assert client_as("coordinator").post(f"/exporter/shipments/{shipment.id}/chain", data={}).status_code == 403

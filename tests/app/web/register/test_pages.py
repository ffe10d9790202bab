"""The register pages: who reads and who keeps the register, forms that refuse politely, files all or nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.models import Certification, SealStock, TradeParty, utcnow
from tests.factories import count, make_exporter, make_party, make_party_certification, make_register, make_site

ROLES = ("exporter", "coordinator", "inspector", "officer", "supervisor", "admin")
READERS = {"coordinator", "supervisor", "admin", "officer"}
KEEPERS = {"coordinator", "admin"}


@pytest.fixture
def register(db_session):
    make_register(db_session)
    make_exporter(db_session, code="EXP-PAGE", legal_name="Empaque de Prueba")
    carrier = make_party(db_session, "carrier", code="CAR-PAGE", name="Transportes de Prueba")
    make_party_certification(db_session, carrier, "CTPAT", status="suspended",
                             status_since=utcnow().date() - timedelta(days=5), status_reason="seal control breach")
    db_session.commit()


@pytest.mark.parametrize("path", ["/register/", "/register/parties", "/register/holders/CAR-PAGE"])
@pytest.mark.parametrize("role", ROLES)
def test_readers(client_as, register, path, role):
    assert client_as(role).get(path).status_code == (200 if role in READERS else 403), f"{role} on {path}"


@pytest.mark.parametrize("path", ["/register/statuses/new", "/register/import"])
@pytest.mark.parametrize("role", ROLES)
def test_keepers(client_as, register, path, role):
    assert client_as(role).get(path).status_code == (200 if role in KEEPERS else 403), f"{role} on {path}"


def test_the_register_shows_programs_the_arrangement_and_who_is_not_in_good_standing(client_as, register):
    page = client_as("officer").get("/register/").get_data(as_text=True)
    assert "CTPAT ↔ OEA" in page and "2014-10-17" in page
    row = page[page.index("Transportes de Prueba"):page.index("Transportes de Prueba") + 900]
    assert "Suspended" in row and "seal control breach" in row and ">no<" in row


def test_a_refused_status_names_its_field_and_keeps_what_was_typed(client_as, register, db_session):
    client = client_as("coordinator")
    before = count(db_session, Certification)
    refused = client.post("/register/statuses", data={"program": "OEA", "holder": "EXP-PAGE",
                                                      "certificate_id": "OEA-77", "status": "certified"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="valid_until-error"' in page and 'value="OEA-77"' in page
    assert count(db_session, Certification) == before
    saved = client.post("/register/statuses", data={"program": "oea", "holder": "exp-page", "certificate_id": "OEA-77",
                                                    "status": "certified", "valid_until": "2029-01-01"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/register/holders/EXP-PAGE")
    assert count(db_session, Certification) == before + 1


def test_a_register_file_with_a_bad_line_records_nothing_and_says_which(client_as, register, db_session):
    client = client_as("coordinator")
    text = ("program,holder,certificate_id,status,valid_until\n"
            "OEA,EXP-PAGE,OEA-1,certified,2029-01-01\nOEA,EXP-PAGE,OEA-2,certified,tomorrow\n")
    before = count(db_session, Certification)
    refused = client.post("/register/import", data={"file": (io.BytesIO(text.encode()), "register.csv")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "Line 3, valid_until" in refused.get_data(as_text=True)
    assert count(db_session, Certification) == before
    good = text.replace("tomorrow", "2029-02-01")
    done = client.post("/register/import", data={"file": (io.BytesIO(good.encode()), "register.csv")},
                       content_type="multipart/form-data")
    assert done.status_code == 302 and count(db_session, Certification) == before + 2


def test_parties_are_registered_by_keepers_only(client_as, register, db_session):
    data = {"code": "BRK-NEW", "kind": "broker", "name": "Agencia Nueva", "country": "MX", "identifier": "ANU990101AA1"}
    assert client_as("supervisor").post("/register/parties", data=data).status_code == 403
    refused = client_as("coordinator").post("/register/parties", data={**data, "code": "bad code"})
    assert refused.status_code == 422 and 'id="code-error"' in refused.get_data(as_text=True)
    assert client_as("coordinator").post("/register/parties", data=data).status_code == 302
    assert db_session.scalar(sa.select(TradeParty.kind).where(TradeParty.code == "BRK-NEW")) == "broker"


def test_seal_stock_is_read_by_staff_and_issued_by_keepers(client_as, register, db_session):
    site = make_site(db_session, code="MX-STOCK", name="Stock site")
    db_session.commit()
    assert client_as("supervisor").get("/register/seal-stock").status_code == 200
    assert client_as("inspector").get("/register/seal-stock").status_code == 403
    data = {"site": "MX-STOCK", "issuer": "CBP", "iso_class": "H", "kind": "mechanical", "prefix": "TST",
            "first": "100", "last": "50", "digits": "6"}
    refused = client_as("coordinator").post("/register/seal-stock", data=data)
    assert refused.status_code == 422 and 'id="last-error"' in refused.get_data(as_text=True)
    issued = client_as("coordinator").post("/register/seal-stock", data={**data, "last": "199"})
    assert issued.status_code == 302
    stock = db_session.scalar(sa.select(SealStock).where(SealStock.site_id == site.id))
    assert (stock.number(stock.first), stock.number(stock.last)) == ("TST000100", "TST000199")
    page = client_as("supervisor").get("/register/seal-stock").get_data(as_text=True)
    assert "TST000100" in page and "H: high security" in page


def test_the_register_speaks_spanish(client_as, register, db_session, users):
    users["supervisor"].language = "es"
    db_session.commit()
    page = client_as("supervisor").get("/register/").get_data(as_text=True)
    assert "Padrón de operadores confiables" in page and "Suspendido" in page

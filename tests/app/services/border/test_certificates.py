"""SPS certificate export: the UN/CEFACT fields as JSON and XML, escaped, for the owner and staff only."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.models import BorderDecision, Inspection, InspectorBooking, Seal
from app.services.border.certificates_xml import XML_NAMESPACE
from tests.factories import make_commodity, make_inspector, make_shipment, make_site

NS = {"c": XML_NAMESPACE}
START = datetime(2027, 3, 1, 15, 0, tzinfo=timezone.utc)


@pytest.fixture
def shipment(db_session, users):
    """An inspected, sealed avocado shipment of the test exporter's company, with its border decision."""
    commodity = make_commodity(db_session, "avocado", name_en="Avocado", name_es="Aguacate", hs_heading="0804.40")
    request = make_shipment(db_session, exporter=users["exporter"].exporter, commodity=commodity,
                           packhouse="Empaque <b>Uruapan</b> & Hijos", status="sealed")
    site = make_site(db_session, name="Uruapan JIS", state="MIC")
    inspection = Inspection(request=request, kind="joint_inland", site=site, start=START, end=START + timedelta(hours=1),
                            status="done", result="pass", findings="No pests <found>")
    db_session.add(inspection)
    for agency in ("APHIS", "SENASICA"):
        inspection.bookings.append(InspectorBooking(inspector=make_inspector(db_session, agency=agency, home_site=site),
                                                    start=inspection.start, end=inspection.end))
    db_session.add(Seal(number="MX-ABC-000123", kind="mechanical", request_id=request.id, inspection=inspection,
                        applied_at=inspection.end))
    db_session.add(BorderDecision(request_id=request.id, decision="required", basis="inspection",
                                  reasons=[{"code": "no_rule_for_commodity", "params": {"commodity": "avocado"}}]))
    db_session.commit()
    return request


def test_json_carries_the_sps_fields(client_as, shipment):
    response = client_as("exporter").get(f"/api/v1/requests/{shipment.id}/certificate")
    assert response.status_code == 200
    consignment = response.json["consignment"]
    assert response.json["document"]["type_code"] == "851"
    assert consignment["consignor"]["name"] == shipment.exporter.legal_name
    assert consignment["consignee"]["name"] == "NOT DECLARED"
    line = consignment["trade_line_items"][0]
    assert line["commodity"] == {"code": "avocado", "name_en": "Avocado", "name_es": "Aguacate", "hs_code": "0804.40"}
    assert line["quantity"] == {"value": 1200, "unit": "boxes", "unit_code": "BX"}
    assert line["origin"] == {"country": "MX", "subdivision": "MIC"}
    assert consignment["port_of_entry"]["code"] == shipment.port.code
    assert consignment["transport"] == {"mode_code": "3", "mode": "road"}
    assert [s["number"] for s in consignment["seals"]] == ["MX-ABC-000123"]
    examination = consignment["examination"]
    assert examination["result"] == "pass" and examination["agencies"] == ["APHIS", "SENASICA"]
    assert examination["date"] == "2027-03-01" and examination["site"]["name"] == "Uruapan JIS"
    decision = consignment["border_decision"]
    assert decision["decision"] == "required"
    assert decision["reasons"][0]["text"] == "no active rule covers commodity avocado"


def test_xml_has_the_same_content_escaped(client_as, shipment):
    response = client_as("coordinator").get(f"/api/v1/requests/{shipment.id}/certificate?format=xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert b"<b>" not in response.data and b"&lt;b&gt;Uruapan&lt;/b&gt; &amp; Hijos" in response.data
    root = ET.fromstring(response.data)
    assert root.tag == f"{{{XML_NAMESPACE}}}SPSCertificate"
    assert root.findtext("c:SPSExchangedDocument/c:TypeCode", namespaces=NS) == "851"
    consignment = root.find("c:SPSConsignment", NS)
    assert consignment.findtext("c:ConsignorSPSParty/c:Name", namespaces=NS) == shipment.exporter.legal_name
    assert consignment.findtext("c:MainCarriageSPSTransportMovement/c:ModeCode", namespaces=NS) == "3"
    assert consignment.findtext("c:UtilizedSPSTransportEquipment/c:AffixedSPSSeal/c:ID", namespaces=NS) == "MX-ABC-000123"
    line = consignment.find("c:IncludedSPSConsignmentItem/c:IncludedSPSTradeLineItem", NS)
    assert line.findtext("c:ApplicableSPSClassification/c:ClassCode", namespaces=NS) == "0804.40"
    assert line.find("c:PhysicalSPSPackage/c:ItemQuantity", NS).get("unitCode") == "BX"
    assert line.findtext("c:PackingSPSLocation/c:Name", namespaces=NS) == "Empaque <b>Uruapan</b> & Hijos"
    event = consignment.find("c:ExaminationSPSEvent", NS)
    assert event.findtext("c:Findings", namespaces=NS) == "No pests <found>"
    assert {p.get("agency") for p in event.findall("c:PerformerSPSParty", NS)} == {"APHIS", "SENASICA"}
    assert consignment.find("c:BorderDecision", NS).get("decision") == "required"


def test_control_characters_do_not_break_the_xml(client_as, db_session, shipment):
    shipment.packhouse = "Empaque\x1b\x07 Uruapan"
    db_session.commit()
    response = client_as("admin").get(f"/api/v1/requests/{shipment.id}/certificate?format=xml")
    ET.fromstring(response.data)


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "admin"])
def test_program_staff_read_any_certificate(client_as, shipment, role):
    assert client_as(role).get(f"/api/v1/requests/{shipment.id}/certificate").status_code == 200


def test_an_officer_reads_the_certificates_of_their_own_port_only(client_as, db_session, users, shipment):
    officer = client_as("officer")
    url = f"/api/v1/requests/{shipment.id}/certificate"
    assert officer.get(url).status_code == 404  # no port yet
    elsewhere = make_inspector(db_session, "CBP", home_site=make_site(db_session, kind="port"), user_id=users["officer"].id)
    db_session.commit()
    assert officer.get(url).status_code == 404  # another port, as /seals answers
    assert officer.get(f"/api/v1/requests/{shipment.id}/seals").status_code == 404
    elsewhere.home_site_id = shipment.port_id
    db_session.commit()
    assert officer.get(url).status_code == 200


def test_an_inspector_reads_the_certificates_of_inspections_they_are_booked_on_only(client_as, db_session, users,
                                                                                  shipment):
    inspector = client_as("inspector")
    url = f"/api/v1/requests/{shipment.id}/certificate"
    assert inspector.get(url).status_code == 404
    inspection = db_session.scalar(sa.select(Inspection).where(Inspection.request_id == shipment.id))
    inspection.bookings[0].inspector.user_id = users["inspector"].id
    db_session.commit()
    assert inspector.get(url).status_code == 200


def test_other_companies_get_404(app, db_session, shipment):
    from tests.factories import make_user

    make_user(db_session, role="exporter", username="rival")
    db_session.commit()
    rival = app.test_client()
    rival.post("/login", data={"username": "rival", "password": "jointinspect-demo"})
    response = rival.get(f"/api/v1/requests/{shipment.id}/certificate")
    assert response.status_code == 404 and response.json["message"] == "No such request."
    assert rival.get("/api/v1/requests/999999/certificate").status_code == 404


def test_no_certificate_before_the_joint_inspection(client_as, db_session, users):
    request = make_shipment(db_session, exporter=users["exporter"].exporter)
    db_session.commit()
    response = client_as("exporter").get(f"/api/v1/requests/{request.id}/certificate")
    assert response.status_code == 409
    assert "No joint inspection" in response.json["message"]


def test_unknown_formats_are_refused(client_as, shipment):
    response = client_as("admin").get(f"/api/v1/requests/{shipment.id}/certificate?format=pdf")
    assert response.status_code == 422 and "format" in response.json["errors"]["query"]


def test_the_certificate_carries_the_seal_numbers_with_their_issuer_and_class(client_as, db_session, shipment):
    seal = db_session.scalar(sa.select(Seal).where(Seal.request_id == shipment.id))
    seal.issuer, seal.iso_class = "CBP", "H"
    db_session.commit()
    exporter = client_as("exporter")
    seals = exporter.get(f"/api/v1/requests/{shipment.id}/certificate").json["consignment"]["seals"]
    assert seals == [{"number": "MX-ABC-000123", "kind": "mechanical", "status": "applied", "issuer": "CBP",
                      "iso_class": "H"}]
    root = ET.fromstring(exporter.get(f"/api/v1/requests/{shipment.id}/certificate?format=xml").data)
    affixed = root.find(".//c:AffixedSPSSeal", NS)
    assert (affixed.get("issuer"), affixed.get("isoClass"), affixed.find("c:ID", NS).text) == ("CBP", "H",
                                                                                                 "MX-ABC-000123")

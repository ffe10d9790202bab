"""The certificate as XML, with element names modelled on the UN/CEFACT SPSCertificate schema."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

XML_NAMESPACE = "urn:jointinspect:sps-certificate:1"
_NS = f"{{{XML_NAMESPACE}}}"
# Characters XML 1.0 cannot carry even escaped; free text could hold them and must not break the file.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def certificate_xml(certificate: dict[str, Any]) -> bytes:
    """Serialise a certificate dict; ElementTree escapes every text and attribute value."""
    ET.register_namespace("", XML_NAMESPACE)
    root = ET.Element(_NS + "SPSCertificate", {"format": certificate["format"]})
    _exchanged_document(root, certificate["document"])
    _consignment(root, certificate["consignment"])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _add(parent: ET.Element, tag: str, text: Any = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, _NS + tag, {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def safe_text(value: Any) -> str:
    """A value as text XML 1.0 can carry: characters it cannot are replaced, never dropped silently."""
    return _NOT_XML.sub("\ufffd", str(value))


_clean = safe_text


def _exchanged_document(root: ET.Element, document: dict[str, Any]) -> None:
    element = _add(root, "SPSExchangedDocument")
    _add(element, "Name", document["name"])
    _add(element, "ID", document["id"])
    _add(element, "TypeCode", document["type_code"])
    _add(element, "IssueDateTime", document["issued_at"])
    _add(_add(element, "IssuerSPSParty"), "Name", document["issuer"])


def _party(parent: ET.Element, tag: str, party: dict[str, Any]) -> None:
    element = _add(parent, tag)
    _add(element, "Name", party["name"])
    if party.get("tax_id"):
        _add(element, "ID", party["tax_id"], schemeID="TAX")
    if party.get("country"):
        _add(_add(element, "SpecifiedSPSAddress"), "CountryID", party["country"])


def _location(parent: ET.Element, tag: str, site: dict[str, Any]) -> None:
    element = _add(parent, tag)
    _add(element, "ID", site["code"])
    _add(element, "Name", site["name"])
    _add(element, "CountrySubDivisionID", site["state"])
    _add(element, "CountryID", site["country"])


def _consignment(root: ET.Element, consignment: dict[str, Any]) -> None:
    element = _add(root, "SPSConsignment")
    _add(element, "ID", consignment["reference"])
    _add(element, "StatusCode", consignment["status"])
    _party(element, "ConsignorSPSParty", consignment["consignor"])
    _party(element, "ConsigneeSPSParty", consignment["consignee"])
    _add(_add(element, "ExportSPSCountry"), "ID", consignment["export_country"])
    _add(_add(element, "ImportSPSCountry"), "ID", consignment["import_country"])
    _location(element, "UnloadingBaseportSPSLocation", consignment["port_of_entry"])
    movement = _add(element, "MainCarriageSPSTransportMovement")
    _add(movement, "ModeCode", consignment["transport"]["mode_code"], name=consignment["transport"]["mode"])
    equipment = _add(element, "UtilizedSPSTransportEquipment")
    for seal in consignment["seals"]:
        issued = {name: seal[key] for name, key in (("issuer", "issuer"), ("isoClass", "iso_class")) if seal.get(key)}
        _add(_add(equipment, "AffixedSPSSeal", kind=seal["kind"], status=seal["status"], **issued), "ID", seal["number"])
    _examination(element, consignment["examination"])
    if consignment["border_decision"] is not None:
        _border_decision(element, consignment["border_decision"])
    items = _add(element, "IncludedSPSConsignmentItem")
    for line in consignment["trade_line_items"]:
        _trade_line_item(items, line)


def _trade_line_item(parent: ET.Element, line: dict[str, Any]) -> None:
    element = _add(parent, "IncludedSPSTradeLineItem")
    commodity = line["commodity"]
    _add(element, "SequenceNumeric", line["sequence"])
    _add(element, "Description", commodity["code"])
    _add(element, "CommonName", commodity["name_en"], languageID="en")
    _add(element, "CommonName", commodity["name_es"], languageID="es")
    classification = _add(element, "ApplicableSPSClassification")
    _add(classification, "SystemName", "HS")
    _add(classification, "ClassCode", commodity["hs_code"])
    quantity = line["quantity"]
    _add(_add(element, "PhysicalSPSPackage"), "ItemQuantity", quantity["value"], unitCode=quantity["unit_code"])
    origin = _add(element, "OriginSPSCountry")
    _add(origin, "ID", line["origin"]["country"])
    _add(_add(origin, "SubordinateSPSCountrySubDivision"), "ID", line["origin"]["subdivision"])
    _add(_add(element, "PackingSPSLocation"), "Name", line["packhouse"])


def _examination(parent: ET.Element, examination: dict[str, Any]) -> None:
    element = _add(parent, "ExaminationSPSEvent", kind=examination["kind"])
    _add(element, "OccurrenceDate", examination["date"])
    _add(element, "StartDateTime", examination["start"])
    _add(element, "EndDateTime", examination["end"])
    _location(element, "OccurrenceSPSLocation", examination["site"])
    _add(element, "ResultCode", examination["result"])
    if examination["findings"]:
        _add(element, "Findings", examination["findings"])
    for inspector in examination["inspectors"]:
        performer = _add(element, "PerformerSPSParty", agency=inspector["agency"])
        _add(performer, "ID", inspector["code"])
        _add(performer, "Name", inspector["name"])


def _border_decision(parent: ET.Element, decision: dict[str, Any]) -> None:
    element = _add(parent, "BorderDecision", decision=decision["decision"], basis=decision["basis"])
    if decision["rule"]:
        _add(element, "RuleID", decision["rule"], version=decision["rule_version"] or "")
    _add(element, "DecisionDateTime", decision["decided_at"])
    for reason in decision["reasons"]:
        _add(element, "Reason", reason["text"], code=reason["code"] or "")

"""The emergency action notice to the exporting country's plant protection organisation (SENASICA) after
pests were intercepted at the border: the facts as a document, and as XML like the SPS certificate."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Inspection, Interception, Seal, Shipment
from ..errors import WorkflowError
from .certificates_xml import safe_text

NOTICE_NAMESPACE = "urn:jointinspect:emergency-action-notice:1"
_NS = f"{{{NOTICE_NAMESPACE}}}"


def emergency_action_notice(session: Session, shipment: Shipment) -> dict[str, Any]:
    """Everything the notice states, as plain values; refused while nothing was intercepted."""
    interceptions = list(session.scalars(sa.select(Interception).where(Interception.request_id == shipment.id)
                                         .order_by(Interception.recorded_at, Interception.id)))
    if not interceptions:
        raise WorkflowError(_("Nothing was intercepted on this shipment: there is no notice to send."),
                            field="interceptions")
    inspection = session.get(Inspection, interceptions[0].inspection_id)
    seals = session.scalars(sa.select(Seal.number).where(Seal.request_id == shipment.id).order_by(Seal.id)).all()
    return {
        "format": "jointinspect-emergency-action-notice/1",
        "id": f"EAN-{shipment.reference}",
        "issued_at": interceptions[-1].recorded_at.isoformat(),
        "from": {"authority": "USDA APHIS PPQ / CBP", "port": shipment.port.name, "port_code": shipment.port.code},
        "to": {"authority": "SENASICA", "country": "MX"},
        "shipment": {
            "reference": shipment.reference, "exporter": shipment.exporter.legal_name,
            "exporter_tax_id": shipment.exporter.tax_id, "packhouse": shipment.packhouse,
            "origin_state": shipment.origin_state, "commodity": shipment.commodity_code,
            "commodity_name_en": shipment.commodity.name_en, "commodity_name_es": shipment.commodity.name_es,
            "quantity": shipment.quantity, "unit": shipment.quantity_unit, "seals": list(seals),
        },
        "inspection": {"at": inspection.recorded_at.isoformat() if inspection.recorded_at else None,
                       "result": inspection.result, "findings": inspection.findings},
        "interceptions": [_finding(row) for row in interceptions],
    }


def _finding(row: Interception) -> dict[str, Any]:
    return {
        "organism": row.pest.scientific_name if row.pest else row.other_organism,
        "common_name_en": row.pest.common_name_en if row.pest else None,
        "common_name_es": row.pest.common_name_es if row.pest else None,
        "listed": row.pest is not None, "life_stage": row.life_stage, "count": row.count, "action": row.action,
        "sent_to_lab": row.sent_to_lab, "lab_result": row.lab_result, "lab_result_note": row.lab_result_note,
        "recorded_at": row.recorded_at.isoformat(),
    }


def notice_xml(notice: dict[str, Any]) -> bytes:
    """The notice as XML; every text goes through ElementTree's escaping and the XML-safe filter."""
    ET.register_namespace("", NOTICE_NAMESPACE)
    root = ET.Element(_NS + "EmergencyActionNotice", {"format": notice["format"]})
    _add(root, "ID", notice["id"])
    _add(root, "IssueDateTime", notice["issued_at"])
    for role in ("from", "to"):
        party = _add(root, "IssuerParty" if role == "from" else "RecipientParty")
        for name, value in notice[role].items():
            _add(party, _tag(name), value)
    consignment = _add(root, "Consignment")
    for name, value in notice["shipment"].items():
        if name == "seals":
            for number in value:
                _add(consignment, "SealID", number)
        else:
            _add(consignment, _tag(name), value)
    inspection = _add(root, "BorderInspection")
    for name, value in notice["inspection"].items():
        _add(inspection, _tag(name), value)
    for finding in notice["interceptions"]:
        element = _add(root, "Interception")
        for name, value in finding.items():
            _add(element, _tag(name), value)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _add(parent: ET.Element, tag: str, value: Any = None) -> ET.Element:
    element = ET.SubElement(parent, _NS + tag)
    if value is not None:
        element.text = safe_text(value)
    return element


def _tag(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))

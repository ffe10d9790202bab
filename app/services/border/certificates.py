"""An inspection certificate carrying the fields of the UN/CEFACT SPS electronic phytosanitary certificate."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import Session

from ...models import BorderDecision, Inspection, Shipment, Seal, Site, utcnow
from ...reasons import reason_text
from ..errors import WorkflowError

FORMAT = "jointinspect-sps-certificate/1"
PHYTOSANITARY_CERTIFICATE = "851"  # UN/EDIFACT 1001 document name code
ROAD = "3"  # UN/ECE Recommendation 19 mode of transport code
UNIT_CODES = {"kg": "KGM", "boxes": "BX", "pallets": "PX"}  # UN/ECE Recommendations 20 and 21
CONSIGNEE_NOT_DECLARED = "NOT DECLARED"


def certificate_for(session: Session, request: Shipment) -> dict[str, Any]:
    """The certificate of a shipment whose joint inland inspection is done; refuses one without."""
    inspection = _joint_inspection(session, request)
    if inspection is None:
        raise WorkflowError("No joint inspection of this shipment has been recorded yet.", field="inspection")
    return {
        "format": FORMAT,
        "document": {
            "id": f"JI-{request.reference}",
            "type_code": PHYTOSANITARY_CERTIFICATE,
            "name": "Joint inspection certificate",
            "issued_at": utcnow().isoformat(),
            "issuer": "APHIS-SENASICA joint inspection",
        },
        "consignment": _consignment(session, request, inspection),
    }


def _consignment(session: Session, request: Shipment, inspection: Inspection) -> dict[str, Any]:
    exporter = request.exporter
    return {
        "reference": request.reference,
        "status": request.status,
        "consignor": {"name": exporter.legal_name, "tax_id": exporter.tax_id, "country": exporter.country},
        # The request records no consignee yet; the field is kept so receivers find it where they expect.
        "consignee": {"name": getattr(request, "consignee", None) or CONSIGNEE_NOT_DECLARED},
        "export_country": exporter.country,
        "import_country": request.port.country,
        "port_of_entry": _site(request.port),
        "transport": {"mode_code": ROAD, "mode": "road"},
        # The seals' numbers, with who issued each and its ISO 17712 class (the CBP seal of the avocado program).
        "seals": [{"number": s.number, "kind": s.kind, "status": s.status, "issuer": s.issuer, "iso_class": s.iso_class}
                  for s in _seals(session, request)],
        "trade_line_items": [_trade_line_item(request)],
        "examination": _examination(inspection),
        "border_decision": _border_decision(session, request),
    }


def _trade_line_item(request: Shipment) -> dict[str, Any]:
    commodity = request.commodity
    return {
        "sequence": 1,
        "commodity": {"code": commodity.code, "name_en": commodity.name_en, "name_es": commodity.name_es,
                      "hs_code": commodity.hs_heading},
        "quantity": {"value": request.quantity, "unit": request.quantity_unit,
                     "unit_code": UNIT_CODES.get(request.quantity_unit, request.quantity_unit)},
        "origin": {"country": request.exporter.country, "subdivision": request.origin_state},
        "packhouse": request.packhouse,
    }


def _examination(inspection: Inspection) -> dict[str, Any]:
    inspectors = sorted((b.inspector for b in inspection.bookings if b.active), key=lambda i: (i.agency, i.code))
    return {
        "kind": inspection.kind,
        "date": inspection.start.astimezone(_zone(inspection.site)).date().isoformat(),
        "start": inspection.start.isoformat(),
        "end": inspection.end.isoformat(),
        "site": _site(inspection.site),
        "result": inspection.result,
        "findings": inspection.findings,
        "inspectors": [{"code": i.code, "name": i.name, "agency": i.agency} for i in inspectors],
        "agencies": sorted({i.agency for i in inspectors}),
    }


def _border_decision(session: Session, request: Shipment) -> dict[str, Any] | None:
    decision = session.scalar(
        sa.select(BorderDecision).where(BorderDecision.request_id == request.id, BorderDecision.current)
        .order_by(BorderDecision.decided_at.desc(), BorderDecision.id.desc()).limit(1)
    )
    if decision is None:
        return None
    with force_locale("en"):  # the certificate is a record; its wording does not follow the reader
        reasons = [{"code": r.get("code"), "text": reason_text(r)} for r in decision.reasons or []]
    return {"decision": decision.decision, "rule": decision.rule_code, "rule_version": decision.rule_version,
            "basis": decision.basis, "decided_at": decision.decided_at.isoformat(), "reasons": reasons}


def _joint_inspection(session: Session, request: Shipment) -> Inspection | None:
    return session.scalar(
        sa.select(Inspection).where(Inspection.request_id == request.id, Inspection.kind == "joint_inland",
                                    Inspection.status == "done")
        .order_by(Inspection.end.desc()).limit(1)
    )


def _seals(session: Session, request: Shipment) -> list[Seal]:
    return list(session.scalars(sa.select(Seal).where(Seal.request_id == request.id).order_by(Seal.applied_at, Seal.id)))


def _site(site: Site) -> dict[str, Any]:
    return {"code": site.code, "name": site.name, "state": site.state, "country": site.country}


def _zone(site: Site) -> ZoneInfo:
    return ZoneInfo(site.timezone)

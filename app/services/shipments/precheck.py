"""The mutual-recognition pre-check of a request not yet stored, in the exporter's words and language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_time, gettext as _
from sqlalchemy.orm import Session

from ...models import Exporter
from ...reasons import reason_text
from ..recognition import RuleAssessment, UnsavedShipment, precheck
from .checks import check_shipment_facts
from .parties import party_ids


@dataclass(frozen=True)
class PrecheckLine:
    """One rule's answer: would it waive the border inspection, and what is missing if not."""

    rule: str
    version: int
    agreement: str
    qualifies: bool
    earliest_end: datetime | None  # in the port's local time
    text: str
    missing: tuple[dict[str, Any], ...]  # {"code", "params", "text"}


@dataclass(frozen=True)
class Precheck:
    port_code: str
    port_name: str
    commodity: str
    summary: str
    lines: tuple[PrecheckLine, ...]

    @property
    def waivable(self) -> bool:
        return any(line.qualifies for line in self.lines)


def _when(moment: datetime) -> str:
    """"14:00 CST on Mar 3, 2027" in the reader's language."""
    return _("%(time)s %(zone)s on %(date)s", time=format_time(moment, "HH:mm", rebase=False),
             zone=moment.tzname(), date=format_date(moment, "medium", rebase=False))


def _line(assessment: RuleAssessment, port_name: str, zone: ZoneInfo) -> PrecheckLine:
    earliest = assessment.earliest_end.astimezone(zone) if assessment.earliest_end else None
    missing = tuple(
        {"code": r.code, "params": dict(r.params), "text": reason_text({**r.as_dict(), "rule": None})}
        for r in assessment.missing
    )
    if not assessment.qualifies_now:
        text = _("Rule %(rule)s would not waive the border inspection: %(missing)s",
                 rule=assessment.rule, missing="; ".join(m["text"] for m in missing))
    elif earliest is None:
        text = _("This shipment will be waived at %(port)s under rule %(rule)s.", port=port_name, rule=assessment.rule)
    else:
        text = _("This shipment will be waived at %(port)s under rule %(rule)s "
                 "if the joint inspection ends after %(when)s.",
                 port=port_name, rule=assessment.rule, when=_when(earliest))
    return PrecheckLine(assessment.rule, assessment.version, assessment.agreement, assessment.qualifies_now,
                        earliest, text, missing)


def _summary(lines: tuple[PrecheckLine, ...], commodity: str) -> str:
    qualifying = [line for line in lines if line.qualifies]
    if qualifying:
        return qualifying[0].text
    if not lines:
        return _("No mutual-recognition rule covers %(commodity)s: the border inspection will be required.",
                 commodity=commodity)
    return _("No rule waives this shipment yet: "
             "the border inspection will be required unless what is missing is fixed.")


def precheck_for(session: Session, exporter: Exporter | int, data: Mapping[str, Any]) -> Precheck:
    """The pre-check of unsaved request data (InvalidRequest when a field the rules need is wrong)."""
    exporter_id = exporter if isinstance(exporter, int) else exporter.id
    facts = check_shipment_facts(session, data)
    packhouse = " ".join(str(data.get("packhouse") or "").split()) or None
    chain = data.get("parties")
    shipment = UnsavedShipment(exporter_id=exporter_id, commodity=facts.commodity.code,
                               origin_state=facts.origin_state, port=facts.port.code,
                               cross_by=facts.cross_by_as_written, sealable=facts.sealable, packhouse=packhouse,
                               parties=party_ids(session, chain) if isinstance(chain, Mapping) else ())
    zone = ZoneInfo(facts.port.timezone)
    lines = tuple(_line(a, facts.port.name, zone) for a in precheck(session, shipment))
    summary = _summary(lines, facts.commodity.code)
    return Precheck(facts.port.code, facts.port.name, facts.commodity.code, summary, lines)


def precheck_payload(result: Precheck) -> dict[str, Any]:
    """The pre-check as JSON for the API and the form's live check."""
    return {
        "port": result.port_code, "commodity": result.commodity, "waivable": result.waivable,
        "summary": result.summary,
        "assessments": [
            {"rule": line.rule, "version": line.version, "agreement": line.agreement, "qualifies": line.qualifies,
             "earliest_end": line.earliest_end.isoformat() if line.earliest_end else None, "text": line.text,
             "missing": list(line.missing)}
            for line in result.lines
        ],
    }

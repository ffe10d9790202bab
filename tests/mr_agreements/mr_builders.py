"""One-line builders of engine facts for the mutual-recognition tests."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from mr_agreements import Agreement, Certification, Rule, Shipment

# Late evening with a negative offset: 3 March as written, already 4 March in UTC.
CROSS_BY = datetime.fromisoformat("2027-03-03T23:30:00-06:00")
CROSS_DATE = date(2027, 3, 3)
IN_TIME = CROSS_BY - timedelta(hours=10)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def make_rule(**changes) -> Rule:
    base = Rule(
        id="MR-AVO-01", agreement="MR-2027", commodities=("avocado",),
        origin_states=("MIC", "JAL"), ports=("US-PHARR",), requires_certifications=("OEA",),
        requires_seal=True, max_hours_before_crossing=48,
        valid_from=date(2027, 1, 1), valid_to=date(2027, 12, 31),
    )
    return dataclasses.replace(base, **changes)


def make_certification(program: str = "OEA", valid_until: date = date(2028, 6, 30),
                       valid_from: date | None = None) -> Certification:
    return Certification(program=program, valid_until=valid_until, valid_from=valid_from)


def make_shipment(**changes) -> Shipment:
    base = Shipment(
        id="SHP-1", commodity="avocado", origin_state="MIC", port="US-PHARR",
        cross_by=CROSS_BY, sealable=True, certifications=(make_certification(),),
    )
    return dataclasses.replace(base, **changes)


def make_agreement(**changes) -> Agreement:
    base = Agreement(id="MR-2027", status="active", effective_from=date(2027, 1, 1))
    return dataclasses.replace(base, **changes)

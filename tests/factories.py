"""`make_*` builders: one line of test data each, with sensible defaults."""

from __future__ import annotations

import functools
import itertools
from datetime import date, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.passwords import hash_password
from app.models.shipment import changing_status
from app.models import (
    Certification, Commodity, Exporter, Shipment, Inspector, Shift, Site, SiteHours, User,
)

DEMO_PASSWORD = "jointinspect-demo"


@functools.cache
def _password_hash() -> str:
    return hash_password(DEMO_PASSWORD)  # hashing once keeps the suite fast
_counter = itertools.count(1)
STAFF_AGENCY = {"coordinator": "APHIS", "inspector": "SENASICA", "officer": "CBP", "supervisor": "APHIS"}


def _next() -> int:
    return next(_counter)


def make_commodity(session: Session, code: str = "avocado", **fields: Any) -> Commodity:
    existing = session.get(Commodity, code)
    if existing is not None:
        return existing
    commodity = Commodity(code=code, name_en=fields.get("name_en", code.title()),
                          name_es=fields.get("name_es", code.title() + " (es)"), hs_heading=fields.get("hs_heading", "0804"))
    session.add(commodity)
    session.flush()
    return commodity


def make_exporter(session: Session, **fields: Any) -> Exporter:
    n = _next()
    exporter = Exporter(code=fields.pop("code", f"EXP{n}"), legal_name=fields.pop("legal_name", f"Empacadora {n} SA de CV"),
                        tax_id=fields.pop("tax_id", f"EMP{n:06d}AB1"), country=fields.pop("country", "MX"), **fields)
    session.add(exporter)
    session.flush()
    return exporter


def make_certification(session: Session, exporter: Exporter, program: str = "OEA", **fields: Any) -> Certification:
    certification = Certification(exporter=exporter, program=program, certificate_id=fields.pop("certificate_id", f"{program}-{_next()}"),
                                  valid_until=fields.pop("valid_until", date(2030, 1, 1)), **fields)
    session.add(certification)
    session.flush()
    return certification


def make_user(session: Session, role: str = "exporter", **fields: Any) -> User:
    if role == "exporter" and "exporter" not in fields:
        fields["exporter"] = make_exporter(session)
    user = User(username=fields.pop("username", f"user{_next()}"), display_name=fields.pop("display_name", f"Test {role}"),
                password_hash=_password_hash(), role=role, agency=fields.pop("agency", STAFF_AGENCY.get(role)), **fields)
    session.add(user)
    session.flush()
    return user


def make_site(session: Session, kind: str = "inland", **fields: Any) -> Site:
    n = _next()
    site = Site(code=fields.pop("code", f"SITE{n}"), name=fields.pop("name", f"Site {n}"), kind=kind,
                country=fields.pop("country", "MX" if kind == "inland" else "US"), state=fields.pop("state", "MIC"),
                lat=fields.pop("lat", 19.4), lon=fields.pop("lon", -102.0), timezone=fields.pop("timezone", "America/Mexico_City"),
                bays=fields.pop("bays", 1), inspects_any=fields.pop("inspects_any", True), **fields)
    site.hours.append(SiteHours(days=["mon", "tue", "wed", "thu", "fri", "sat"], open_time="06:00", close_time="20:00"))
    session.add(site)
    session.flush()
    return site


def make_inspector(session: Session, agency: str = "APHIS", home_site: Site | None = None, **fields: Any) -> Inspector:
    n = _next()
    inspector = Inspector(code=fields.pop("code", f"{agency}-{n:04d}"), name=fields.pop("name", f"Inspector {n}"), agency=agency,
                          home_site=home_site or make_site(session), qualified_any=fields.pop("qualified_any", True), **fields)
    session.add(inspector)
    session.flush()
    return inspector


def make_shift(session: Session, inspector: Inspector, start: datetime, hours: int = 8) -> Shift:
    shift = Shift(inspector=inspector, start=start, end=start + timedelta(hours=hours))
    session.add(shift)
    session.flush()
    return shift


def make_shipment(session: Session, exporter: Exporter | None = None, **fields: Any) -> Shipment:
    """A shipment; `status` puts it where its lifecycle would have taken it, without the steps."""
    ready = fields.pop("ready", datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc))
    with changing_status():
        request = Shipment(
            reference=fields.pop("reference", f"REQ-{_next():05d}"),
            exporter=exporter or make_exporter(session),
            commodity=fields.pop("commodity", None) or make_commodity(session),
            origin_state=fields.pop("origin_state", "MIC"),
            packhouse=fields.pop("packhouse", "Empaque Uruapan"),
            quantity=fields.pop("quantity", 1200),
            port=fields.pop("port", None) or make_site(session, kind="port", timezone="America/Chicago", state="TX"),
            ready=ready,
            arrive_port=fields.pop("arrive_port", ready + timedelta(hours=16)),
            cross_by=fields.pop("cross_by", ready + timedelta(hours=30)),
            cross_by_offset_minutes=fields.pop("cross_by_offset_minutes", -360),
            inspection_minutes=fields.pop("inspection_minutes", 90),
            border_inspection_minutes=fields.pop("border_inspection_minutes", 45),
            **fields,
        )
    session.add(request)
    session.flush()
    return request


def make_pest(session: Session, code: str = "heilipus_lauri", commodities=("avocado",), **fields: Any):
    """A quarantine pest of the reference list (the real one when the code is one of the seed's)."""
    from app.models import QuarantinePest

    existing = session.get(QuarantinePest, code)
    if existing is not None:
        return existing
    pest = QuarantinePest(code=code, scientific_name=fields.pop("scientific_name", code.replace("_", " ").capitalize()),
                          common_name_en=fields.pop("common_name_en", "seed weevil"),
                          common_name_es=fields.pop("common_name_es", "barrenador del hueso"),
                          commodities=list(commodities), **fields)
    session.add(pest)
    session.flush()
    return pest


def force_status(shipment: Shipment, status: str) -> None:
    """Put a test's shipment in a status directly, as if its lifecycle had taken it there."""
    with changing_status():
        shipment.status = status


def count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


# Agreements, rules and the Joint Work Plan (added with the agreements capability).


def make_agreement(session: Session, **fields: Any):
    from app.models import Agreement

    agreement = Agreement(code=fields.pop("code", f"MR-TEST-{_next()}"), title=fields.pop("title", "Test agreement"),
                          status=fields.pop("status", "active"), status_since=fields.pop("status_since", date(2024, 9, 1)),
                          effective_from=fields.pop("effective_from", date(2024, 9, 1)), **fields)
    session.add(agreement)
    session.flush()
    return agreement


def make_rule(session: Session, agreement: Any = None, **fields: Any):
    from app.models import Rule

    rule = Rule(code=fields.pop("code", f"MR-R-{_next()}"), version=fields.pop("version", 1),
                agreement=agreement or make_agreement(session), commodities=fields.pop("commodities", ["avocado"]),
                origin_states=fields.pop("origin_states", []), ports=fields.pop("ports", []),
                requires_certifications=fields.pop("requires_certifications", []),
                requires_seal=fields.pop("requires_seal", False), valid_from=fields.pop("valid_from", date(2024, 9, 1)),
                # No verification sampling unless a test asks for it: a random draw would make tests flaky.
                verification_rate=fields.pop("verification_rate", 0.0),
                **fields)
    session.add(rule)
    session.flush()
    return rule


def make_milestone(session: Session, agreement: Any = None, **fields: Any):
    from app.models import Milestone

    milestone = Milestone(agreement=agreement or make_agreement(session), title=fields.pop("title", f"Milestone {_next()}"),
                          owner_agency=fields.pop("owner_agency", "JOINT"), due_on=fields.pop("due_on", date(2027, 3, 1)),
                          **fields)
    session.add(milestone)
    session.flush()
    return milestone


def make_measure(session: Session, agreement: Any = None, metric: str = "waived_share", **fields: Any):
    from app.models import PerformanceMeasure

    measure = PerformanceMeasure(agreement=agreement or make_agreement(session), metric=metric,
                                 name=fields.pop("name", metric), target=fields.pop("target", 60.0),
                                 unit=fields.pop("unit", "%"), direction=fields.pop("direction", "at_least"),
                                 period=fields.pop("period", "month"), **fields)
    session.add(measure)
    session.flush()
    return measure


def make_decision(session: Session, request: Shipment, decision: str = "waived", **fields: Any):
    from app.models import BorderDecision

    row = BorderDecision(request_id=request.id, decision=decision, basis=fields.pop("basis", "inspection"),
                         rule=fields.pop("rule", None), current=fields.pop("current", True), **fields)
    if decision == "waived" and row.rule is None:
        row.rule = make_rule(session)
    if row.rule is not None:
        row.rule_code, row.rule_version = row.rule.code, row.rule.version
    session.add(row)
    session.flush()
    return row


def make_released(session: Session, day: datetime, decision: str = "waived", **fields: Any) -> Shipment:
    """A shipment released at the border on `day`, with that border decision: a realised count."""
    rule = fields.pop("rule", None)  # the rule that waived it (by default one of a new agreement)
    shipment = make_shipment(session, status="released", released_at=day, at_border_at=day,
                             arrived_at=day, **fields)
    make_decision(session, shipment, decision, basis="seal_verification", decided_at=day, rule=rule)
    return shipment


def make_inspection(session: Session, request: Shipment, start: datetime, minutes: int = 90, **fields: Any):
    from app.models import Inspection

    inspection = Inspection(request_id=request.id, kind=fields.pop("kind", "joint_inland"),
                            site=fields.pop("site", None) or make_site(session), start=start,
                            end=start + timedelta(minutes=minutes), status=fields.pop("status", "done"),
                            result=fields.pop("result", "pass"), **fields)
    session.add(inspection)
    session.flush()
    return inspection


def make_seal(session: Session, inspection: Any, status: str = "intact", **fields: Any):
    from app.models import Seal

    seal = Seal(number=fields.pop("number", f"HS-{_next():08d}"), request_id=inspection.request_id,
                inspection_id=inspection.id, status=status, applied_at=fields.pop("applied_at", inspection.end),
                **fields)
    session.add(seal)
    session.flush()
    return seal


# Bookings and a whole sealable shipment (added with the seals and border capability).


def make_booking(session: Session, inspection: Any, inspector: Inspector, **fields: Any):
    from app.models import InspectorBooking

    booking = InspectorBooking(inspection_id=inspection.id, inspector_id=inspector.id, start=inspection.start,
                               end=inspection.end, active=fields.pop("active", True), **fields)
    session.add(booking)
    session.flush()
    return booking


# Request input as the form, the CSV and the API send it (added with the exporter requests capability).


def make_shipment_data(port: Site, /, commodity: str = "avocado", **changes: Any) -> dict[str, Any]:
    """Valid input for a new request at `port`: times as wall-clock time at the port, in March 2027."""
    data: dict[str, Any] = {
        "commodity": commodity, "quantity": "20", "quantity_unit": "pallets", "origin_state": "MIC",
        "packhouse": "Empaque Los Cedros, Uruapan", "port": port.code, "ready": "2027-03-03T08:00",
        "arrive_port": "2027-03-04T06:00", "cross_by": "2027-03-05T18:00",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# The trusted-trader register and logistics chains (added with the register capability).

REGISTER_PROGRAMS = {
    "CTPAT": ("CBP", "US", ["exporter", "carrier", "importer", "broker"], False, ["C-TPAT"]),
    "OEA": ("SAT/ANAM", "MX", ["exporter", "carrier", "importer", "broker"], True, ["NEEC"]),
    "FAST": ("CBP", "US", ["driver"], True, []),
    "SENASICA-PH": ("SENASICA", "MX", ["packhouse"], True, []),
}


def make_register(session: Session, arrangement: bool = True):
    """CTPAT, OEA, FAST and SENASICA's packhouse register, and the 2014 CTPAT ↔ OEA arrangement."""
    from app.models import RecognitionArrangement, TrustedTraderProgram

    for code, (administration, country, holders, expiry, aliases) in REGISTER_PROGRAMS.items():
        if session.get(TrustedTraderProgram, code) is None:
            session.add(TrustedTraderProgram(code=code, name_en=code, name_es=code, administration=administration,
                                             country=country, holders=holders, has_tiers=code == "CTPAT",
                                             has_expiry=expiry, aliases=aliases))
    session.flush()
    if arrangement and session.scalar(sa.select(RecognitionArrangement.id).limit(1)) is None:
        session.add(RecognitionArrangement(code="CTPAT-OEA-2014", title_en="CTPAT and OEA", title_es="CTPAT y OEA",
                                           program_a="CTPAT", program_b="OEA", signed_on=date(2014, 10, 17)))
        session.flush()


def make_party(session: Session, kind: str = "carrier", **fields: Any):
    from app.models import TradeParty

    n = _next()
    party = TradeParty(code=fields.pop("code", f"{kind.upper()}-{n}"), kind=kind,
                       name=fields.pop("name", f"{kind.title()} {n}"), country=fields.pop("country", "MX"),
                       identifier=fields.pop("identifier", f"ID{n:08d}"), **fields)
    session.add(party)
    session.flush()
    return party


def make_party_certification(session: Session, party: Any, program: str = "CTPAT", **fields: Any) -> Certification:
    certification = Certification(party=party, program=program,
                                  certificate_id=fields.pop("certificate_id", f"{program}-P{_next()}"),
                                  valid_until=fields.pop("valid_until", None), **fields)
    session.add(certification)
    session.flush()
    return certification


def name_parties(session: Session, shipment: Shipment, **parties: Any) -> None:
    """`name_parties(s, shipment, carrier=party, ...)`: the parties a shipment names for its chain."""
    from app.models import ShipmentParty

    for link, party in parties.items():
        session.add(ShipmentParty(request_id=shipment.id, link=link, party_id=party.id))
    session.flush()


def make_seal_stock(session: Session, site: Site, prefix: str = "HS-", first: int = 0, last: int = 99_999_999,
                    digits: int = 8, **fields: Any):
    """Seal numbers prefix + first..last issued to the site (CBP, ISO 17712 class H, mechanical by default)."""
    from app.models import SealStock

    stock = SealStock(site_id=site.id, prefix=prefix, first=first, last=last, digits=digits,
                      issuer=fields.pop("issuer", "CBP"), iso_class=fields.pop("iso_class", "H"),
                      kind=fields.pop("kind", "mechanical"), issued_on=fields.pop("issued_on", date(2027, 1, 4)),
                      **fields)
    session.add(stock)
    session.flush()
    return stock

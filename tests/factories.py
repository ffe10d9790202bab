"""`make_*` builders: one line of test data each, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.passwords import hash_password
from app.models import (
    Certification, Commodity, Exporter, InspectionRequest, Inspector, Shift, Site, SiteHours, User,
)

DEMO_PASSWORD = "jointinspect-demo"
_PASSWORD_HASH = hash_password(DEMO_PASSWORD)  # hashing once keeps the suite fast
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
                password_hash=_PASSWORD_HASH, role=role, agency=fields.pop("agency", STAFF_AGENCY.get(role)), **fields)
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


def make_request(session: Session, exporter: Exporter | None = None, **fields: Any) -> InspectionRequest:
    ready = fields.pop("ready", datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc))
    request = InspectionRequest(
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


def count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))

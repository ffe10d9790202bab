"""Checking an exporter's inspection request: each refused field named, times converted to UTC."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ...models import Commodity, Site
from ...models.shipment import QUANTITY_UNITS
from ..errors import WorkflowError

REQUEST_FIELDS = (
    "commodity", "quantity", "quantity_unit", "origin_state", "packhouse", "port", "ready", "arrive_port",
    "cross_by", "inspection_minutes", "border_inspection_minutes", "priority", "sites", "sealable",
)
# The codes the seed data and the agreement's rules use for Mexican states (INEGI style).
# Mexico's states by their ISO 3166-2 subdivision codes (MX-GUA is Guanajuato).
MEXICAN_STATES = (
    "AGU", "BCN", "BCS", "CAM", "CHH", "CHP", "CMX", "COA", "COL", "DUR", "GRO", "GUA", "HID", "JAL", "MEX", "MIC",
    "MOR", "NAY", "NLE", "OAX", "PUE", "QUE", "ROO", "SIN", "SLP", "SON", "TAB", "TAM", "TLA", "VER", "YUC", "ZAC",
)
# The abbreviations in common use that differ from ISO 3166-2, still accepted and read as the ISO code.
LEGACY_STATE_CODES = {"AGS": "AGU", "BC": "BCN", "CHS": "CHP", "DGO": "DUR", "GTO": "GUA", "HGO": "HID",
                      "NL": "NLE", "QRO": "QUE", "QROO": "ROO", "TLX": "TLA"}


def iso_state(code: str) -> str:
    """A Mexican state's ISO 3166-2 code, from the code or a common abbreviation ("GTO" is GUA)."""
    return LEGACY_STATE_CODES.get(code, code)
DEFAULT_INSPECTION_MINUTES = 90
DEFAULT_BORDER_INSPECTION_MINUTES = 45
# Produce that spoils within days waits least: its requests default to priority 4 (of 5).
PERISHABLE_COMMODITIES = ("berries", "broccoli", "tomato")
MAX_MINUTES = 24 * 60
TRUE_WORDS = ("1", "true", "yes", "y", "si", "sí", "on")
FALSE_WORDS = ("0", "false", "no", "n", "off", "")


class InvalidRequest(WorkflowError):
    """Refused input with every field at fault and its message; nothing was changed."""

    def __init__(self, errors: Mapping[str, Any]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(str(message), field)
        self.errors = dict(errors)

    def texts(self) -> dict[str, str]:
        return {field: str(message) for field, message in self.errors.items()}

    def field_messages(self, default_field: str = "_schema") -> dict[str, str]:
        return self.texts()


@dataclass
class RequestFacts:
    """A checked request, ready to store: rows looked up, times in UTC."""

    commodity: Commodity
    quantity: int
    quantity_unit: str
    origin_state: str
    packhouse: str
    port: Site
    ready: datetime
    arrive_port: datetime
    cross_by: datetime
    cross_by_offset_minutes: int
    inspection_minutes: int
    border_inspection_minutes: int
    priority: int
    sites: list[Site]
    sealable: bool


class _Checks:
    """Keeps each field's first problem so a form can show them all at once."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, Any] = {}

    def fail(self, field: str, message: Any) -> None:
        self.errors.setdefault(field, message)

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        return value.strip() if isinstance(value, str) else value

    def text(self, field: str, max_length: int) -> str | None:
        value = self.raw(field)
        if value in (None, ""):
            return self.fail(field, _l("This field is required."))
        if not isinstance(value, str) or len(value) > max_length:
            return self.fail(field, _l("Use at most %(n)s characters.", n=max_length))
        return value

    def number(self, field: str, low: int, high: int, default: int | None = None) -> int | None:
        value = self.raw(field)
        if value in (None, ""):
            if default is None:
                self.fail(field, _l("This field is required."))
            return default
        try:
            number = int(value) if not isinstance(value, (bool, float)) else None
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            return self.fail(field, _l("Enter a whole number from %(low)s to %(high)s.", low=low, high=high))
        return number

    def choice(self, field: str, allowed: tuple[str, ...]) -> str | None:
        value = self.raw(field)
        if value in (None, ""):
            return self.fail(field, _l("This field is required."))
        if value not in allowed:
            return self.fail(field, _l("%(value)s is not one of: %(allowed)s.",
                                       value=value, allowed=", ".join(allowed)))
        return value

    def flag(self, field: str, default: bool = True) -> bool:
        value = self.raw(field)
        if value in (None, "") or isinstance(value, bool):
            return default if value in (None, "") else value
        if str(value).lower() in TRUE_WORDS:
            return True
        if str(value).lower() not in FALSE_WORDS:
            self.fail(field, _l("Answer yes or no."))
        return False


def parse_time(value: Any) -> datetime:
    """An ISO 8601 time ("2027-03-01T08:00", a space also works), with or without an offset."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError("empty")
    return datetime.fromisoformat(value.strip().replace(" ", "T", 1))


def to_utc(moment: datetime, zone: ZoneInfo) -> tuple[datetime, int]:
    """A time in UTC and the offset (minutes) it was written with; a time without one is the zone's."""
    if moment.tzinfo is None:
        local = moment.replace(tzinfo=zone)
        # A wall-clock time skipped by a daylight-saving change does not come back unchanged.
        if local.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != moment:
            raise ValueError("skipped by a clock change")
    else:
        local = moment
    return local.astimezone(timezone.utc), int(local.utcoffset().total_seconds() // 60)


def _time(checks: _Checks, field: str, zone: ZoneInfo | None) -> tuple[datetime, int] | None:
    value = checks.raw(field)
    if value in (None, ""):
        return checks.fail(field, _l("This field is required."))
    try:
        moment = parse_time(value)
    except (TypeError, ValueError):
        return checks.fail(field, _l("Enter a date and time such as 2027-03-01 08:00."))
    if zone is None and moment.tzinfo is None:
        return None  # the port is wrong; that is the error people need to see
    try:
        return to_utc(moment, zone or timezone.utc)
    except ValueError:
        return checks.fail(field, _l("This local time does not exist: the clocks change then."))


def _port(session: Session, checks: _Checks) -> Site | None:
    code = checks.raw("port")
    if code in (None, ""):
        return checks.fail("port", _l("This field is required."))
    port = session.scalar(sa.select(Site).where(Site.code == str(code), Site.kind == "port"))
    if port is None:
        return checks.fail("port", _l("%(code)s is not a border port.", code=code))
    if not port.active:
        return checks.fail("port", _l("Port %(code)s is closed.", code=code))
    return port


def _commodity(session: Session, checks: _Checks) -> Commodity | None:
    code = checks.raw("commodity")
    if code in (None, ""):
        return checks.fail("commodity", _l("This field is required."))
    commodity = session.get(Commodity, str(code))
    if commodity is None:
        return checks.fail("commodity", _l("%(code)s is not a known commodity.", code=code))
    return commodity


def _origin_state(checks: _Checks) -> str | None:
    code = checks.raw("origin_state")
    code = iso_state(code.strip().upper()) if isinstance(code, str) else code
    if code in (None, ""):
        return checks.fail("origin_state", _l("This field is required."))
    if code not in MEXICAN_STATES:
        return checks.fail("origin_state", _l("%(code)s is not a Mexican state code (ISO 3166-2) such as MIC, JAL or SIN.", code=code))
    return code


def site_codes(value: Any) -> list[str]:
    """Preferred sites as a list of codes: a list, or one text with spaces, commas or bars between."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [code for code in re.split(r"[\s,|;]+", value) if code]
    return [str(code).strip() for code in value if str(code).strip()]


def _sites(session: Session, checks: _Checks, commodity: Commodity | None) -> list[Site]:
    codes = list(dict.fromkeys(site_codes(checks.raw("sites"))))
    if not codes:
        return []
    found = {s.code: s for s in session.scalars(sa.select(Site).where(Site.code.in_(codes)))}
    for code in codes:
        site = found.get(code)
        if site is None or site.kind != "inland":
            checks.fail("sites", _l("%(code)s is not an inland inspection site.", code=code))
        elif not site.active:
            checks.fail("sites", _l("Site %(code)s is closed: %(reason)s", code=code, reason=site.closed_reason))
        elif commodity is not None and not site.inspects(commodity.code):
            checks.fail("sites", _l("Site %(code)s does not inspect %(commodity)s.",
                                    code=code, commodity=commodity.code))
    return [found[code] for code in codes if code in found]


def _time_order(checks: _Checks, times: dict[str, tuple[datetime, int] | None], now: datetime) -> None:
    """The order the database insists on (ready < cross_by, ready <= arrive_port <= cross_by), and a future deadline."""
    ready, arrive, cross = (times[f][0] if times[f] else None for f in ("ready", "arrive_port", "cross_by"))
    if ready and cross and cross <= ready:
        checks.fail("cross_by", _l("The cross-by time must be after the ready time."))
    if ready and arrive and arrive < ready:
        checks.fail("arrive_port", _l("The arrival at the port cannot be before the ready time."))
    if arrive and cross and arrive > cross:
        checks.fail("arrive_port", _l("The arrival at the port cannot be after the cross-by time."))
    if cross and cross <= now:
        checks.fail("cross_by", _l("The cross-by time has already passed."))


def check_request(session: Session, data: Mapping[str, Any], now: datetime) -> RequestFacts:
    """Every field of a request checked; InvalidRequest names each one at fault."""
    checks = _Checks(data)
    commodity = _commodity(session, checks)
    quantity = checks.number("quantity", 1, 10_000_000)
    unit = checks.choice("quantity_unit", QUANTITY_UNITS)
    origin_state = _origin_state(checks)
    packhouse = checks.text("packhouse", 200)
    port = _port(session, checks)
    zone = ZoneInfo(port.timezone) if port is not None else None
    times = {field: _time(checks, field, zone) for field in ("ready", "arrive_port", "cross_by")}
    _time_order(checks, times, now)
    minutes = checks.number("inspection_minutes", 1, MAX_MINUTES, DEFAULT_INSPECTION_MINUTES)
    border_minutes = checks.number("border_inspection_minutes", 1, MAX_MINUTES, DEFAULT_BORDER_INSPECTION_MINUTES)
    default_priority = 4 if commodity is not None and commodity.code in PERISHABLE_COMMODITIES else 3
    priority = checks.number("priority", 1, 5, default_priority)
    sites = _sites(session, checks, commodity)
    sealable = checks.flag("sealable")
    if checks.errors:
        raise InvalidRequest(checks.errors)
    return RequestFacts(
        commodity=commodity, quantity=quantity, quantity_unit=unit, origin_state=origin_state, packhouse=packhouse,
        port=port, ready=times["ready"][0], arrive_port=times["arrive_port"][0], cross_by=times["cross_by"][0],
        cross_by_offset_minutes=times["cross_by"][1], inspection_minutes=minutes,
        border_inspection_minutes=border_minutes, priority=priority, sites=sites, sealable=sealable,
    )


@dataclass
class ShipmentFacts:
    """What the mutual-recognition pre-check needs of a request not yet stored."""

    commodity: Commodity
    origin_state: str
    port: Site
    cross_by_as_written: datetime
    sealable: bool


def check_shipment_facts(session: Session, data: Mapping[str, Any]) -> ShipmentFacts:
    """Only the fields the rules look at, so the pre-check answers before the form is complete."""
    checks = _Checks(data)
    commodity = _commodity(session, checks)
    origin_state = _origin_state(checks)
    port = _port(session, checks)
    zone = ZoneInfo(port.timezone) if port is not None else None
    cross = _time(checks, "cross_by", zone)
    sealable = checks.flag("sealable")
    if checks.errors or cross is None:
        raise InvalidRequest(checks.errors or {"port": _l("This field is required.")})
    utc, offset = cross
    written = utc.astimezone(timezone(timedelta(minutes=offset)))
    return ShipmentFacts(commodity, origin_state, port, written, sealable)

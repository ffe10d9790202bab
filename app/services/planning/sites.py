"""Creating and changing sites and ports: hours per weekday, bays, commodities, holidays observed.

A site's code and kind stay as created: shipments, inspectors and exchange files refer to them.
Closing a site now (and reopening it) is disruptions.py; closing it on dates ahead is calendar.py.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Commodity, Site, SiteHours, User
from ...models.calendar import HOLIDAY_COUNTRIES
from ..access.audit import record
from .reference_checks import InvalidFields, check_site, refuse_if

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")
EDITABLE = ("name", "country", "state", "lat", "lon", "timezone", "bays", "hours", "commodities", "observes_holidays",
            "notes")


def create_site(session: Session, actor: User | None, data: dict[str, Any]) -> Site:
    """A new site or port from exchange-format fields plus state, notes and holidays observed."""
    _checked(session, data, None)
    site = Site(code=data["code"], kind=data["kind"], active=True)
    _apply(session, site, data)
    session.add(site)
    session.flush()
    record(session, actor, "site.created", site, after=summary(site))
    return site


def update_site(session: Session, actor: User | None, site: Site, changes: dict[str, Any]) -> Site:
    """Change the given fields; the rest keep their values. Code and kind never change."""
    data = {**_current(site), **{k: v for k, v in changes.items() if k in EDITABLE}}
    _checked(session, data, site)
    before = summary(site)
    _apply(session, site, data)
    session.flush()
    if summary(site) != before:
        record(session, actor, "site.changed", site, before=before, after=summary(site))
    return site


def _checked(session: Session, data: dict[str, Any], site: Site | None) -> None:
    """The reader's checks and the database's, every problem at once."""
    problems: dict[str, str] = {}
    try:
        check_site({"id": data.get("code"), **{k: data.get(k) for k in (
            "name", "kind", "country", "lat", "lon", "timezone", "bays", "hours")},
            "commodities": data.get("commodities")})
    except InvalidFields as error:
        problems.update(error.problems)
    code = data.get("code")
    if site is None and isinstance(code, str) and not CODE.fullmatch(code):
        problems["code"] = _("A code has 2 to 40 capital letters, digits or hyphens, such as MX-ZAMORA.")
    elif site is None and session.scalar(sa.select(Site.id).where(Site.code == code)) is not None:
        problems["code"] = _("The code %(code)s is taken.", code=code)
    for name, size in (("name", 200), ("state", 10), ("timezone", 64)):
        if isinstance(data.get(name), str) and len(data[name]) > size:
            problems[name] = _("At most %(count)d characters.", count=size)
    if not isinstance(data.get("state"), str):
        problems["state"] = _("Give the state or province code, such as MIC or TX.")
    unknown = _unknown_commodities(session, data.get("commodities"))
    if unknown:
        problems["commodities"] = _("Unknown commodities: %(codes)s.", codes=", ".join(unknown))
    if not isinstance(data.get("observes_holidays"), list) or \
            any(c not in HOLIDAY_COUNTRIES for c in data["observes_holidays"]):
        problems["observes_holidays"] = _("Choose Mexico or the United States.")
    refuse_if(problems)


def _unknown_commodities(session: Session, codes: Any) -> list[str]:
    if not isinstance(codes, list):
        return []
    wanted = {c for c in codes if isinstance(c, str) and c != "*"}
    known = set(session.scalars(sa.select(Commodity.code).where(Commodity.code.in_(wanted)))) if wanted else set()
    return sorted(wanted - known)


def _apply(session: Session, site: Site, data: dict[str, Any]) -> None:
    site.name, site.country, site.state = data["name"].strip(), data["country"], data["state"].strip()
    site.lat, site.lon = float(data["lat"]), float(data["lon"])
    site.timezone, site.bays = data["timezone"], data["bays"]
    site.notes = (data.get("notes") or "").strip() or None
    site.observes_holidays = sorted(set(data["observes_holidays"]))
    wanted = [(list(h["days"]), h["open"], h["close"]) for h in data["hours"]]
    if [(h.days, h.open_time, h.close_time) for h in site.hours] != wanted:
        site.hours = [SiteHours(days=days, open_time=o, close_time=c) for days, o, c in wanted]
    site.inspects_any = "*" in data["commodities"]
    codes = sorted(c for c in data["commodities"] if c != "*")
    if sorted(c.code for c in site.commodities) != codes:
        site.commodities = [session.get(Commodity, c) for c in codes]


def _current(site: Site) -> dict[str, Any]:
    return {"code": site.code, "kind": site.kind, "name": site.name, "country": site.country, "state": site.state,
            "lat": site.lat, "lon": site.lon, "timezone": site.timezone, "bays": site.bays,
            "hours": hours_of(site), "commodities": commodities_of(site),
            "observes_holidays": list(site.observes_holidays or []), "notes": site.notes}


def hours_of(site: Site) -> list[dict[str, Any]]:
    return [{"days": list(h.days), "open": h.open_time, "close": h.close_time} for h in site.hours]


def commodities_of(site: Site) -> list[str]:
    return ["*"] if site.inspects_any else sorted(c.code for c in site.commodities)


def summary(site: Site) -> dict[str, Any]:
    return {k: v for k, v in _current(site).items() if k != "notes"}

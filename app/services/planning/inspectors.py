"""Creating and changing inspectors: agency, home site, qualifications, daily limit, their account.

An inspector's code stays as created. Agency and active are refused while the inspector still has
inspections booked ahead: the joint team and the plan depend on them (take them off their shifts,
re-plan, then change).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Commodity, Inspector, InspectorBooking, Site, User, utcnow
from ...roles import INSPECTOR
from ..access.audit import record
from .reference_checks import InvalidFields, check_inspector, refuse_if

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")
MAX_DAILY_MINUTES = 1440
EDITABLE = ("name", "agency", "home_site", "commodities", "max_minutes_per_day", "active", "user")


def create_inspector(session: Session, actor: User | None, data: dict[str, Any]) -> Inspector:
    """A new inspector from code, name, agency, home_site (code), commodities, max_minutes_per_day, user."""
    home, account = _checked(session, data, None)
    inspector = Inspector(code=data["code"])
    _apply(session, inspector, data, home, account)
    session.add(inspector)
    session.flush()
    record(session, actor, "inspector.created", inspector, after=summary(inspector))
    return inspector


def update_inspector(session: Session, actor: User | None, inspector: Inspector, changes: dict[str, Any]) -> Inspector:
    data = {**_current(inspector), **{k: v for k, v in changes.items() if k in EDITABLE}}
    home, account = _checked(session, data, inspector)
    before = summary(inspector)
    _apply(session, inspector, data, home, account)
    session.flush()
    if summary(inspector) != before:
        record(session, actor, "inspector.changed", inspector, before=before, after=summary(inspector))
    return inspector


def _checked(session: Session, data: dict[str, Any], inspector: Inspector | None) -> tuple[Site, User | None]:
    problems: dict[str, str] = {}
    home = session.scalar(sa.select(Site).where(Site.code == data.get("home_site"))) \
        if isinstance(data.get("home_site"), str) else None
    try:
        check_inspector({"id": data.get("code"), "agency": data.get("agency"), "home_site": data.get("home_site"),
                         "commodities": data.get("commodities"), "shifts": [],
                         "max_minutes_per_day": data.get("max_minutes_per_day")})
    except InvalidFields as error:
        problems.update(error.problems)
    if home is None:
        problems.setdefault("home_site", _("Choose the home site."))
    problems.update(_database_problems(session, data, inspector))
    account, problem = _account(session, data, inspector)
    if problem:
        problems["user"] = problem
    refuse_if(problems)
    return home, account


def _database_problems(session: Session, data: dict[str, Any], inspector: Inspector | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    code, name, minutes = data.get("code"), data.get("name"), data.get("max_minutes_per_day")
    if inspector is None and isinstance(code, str) and not CODE.fullmatch(code):
        problems["code"] = _("A code has 2 to 40 capital letters, digits or hyphens, such as APHIS-ZAM-01.")
    elif inspector is None and session.scalar(sa.select(Inspector.id).where(Inspector.code == code)) is not None:
        problems["code"] = _("The code %(code)s is taken.", code=code)
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        problems["name"] = _("Give the inspector's name (at most 200 characters).")
    if isinstance(minutes, int) and minutes > MAX_DAILY_MINUTES:
        problems["max_minutes_per_day"] = _("A day has %(count)d minutes at most.", count=MAX_DAILY_MINUTES)
    codes = data.get("commodities")
    wanted = {c for c in codes if isinstance(c, str) and c != "*"} if isinstance(codes, list) else set()
    unknown = wanted - set(session.scalars(sa.select(Commodity.code).where(Commodity.code.in_(wanted))))
    if unknown:
        problems["commodities"] = _("Unknown commodities: %(codes)s.", codes=", ".join(sorted(unknown)))
    if not isinstance(data.get("active"), bool):
        problems["active"] = _("Say whether the inspector works.")
    elif inspector is not None and (data["agency"] != inspector.agency or not data["active"]) \
            and booked_ahead(session, inspector):
        problems["agency" if data["active"] else "active"] = _(
            "The inspector has inspections booked ahead: take them off their shifts and re-plan first.")
    return problems


def _account(session: Session, data: dict[str, Any], inspector: Inspector | None) -> tuple[User | None, str | None]:
    """The inspector's own sign-in, if any: an inspector account of the same agency, not someone else's."""
    username = data.get("user")
    if not username:
        return None, None
    account = session.scalar(sa.select(User).where(User.username == username)) if isinstance(username, str) else None
    if account is None or account.role != INSPECTOR:
        return None, _("Choose an inspector account.")
    if account.agency != data.get("agency"):
        return None, _("The account belongs to %(agency)s.", agency=account.agency)
    other = session.scalar(sa.select(Inspector.code).where(Inspector.user_id == account.id))
    if other is not None and (inspector is None or other != inspector.code):
        return None, _("The account is already the inspector %(code)s.", code=other)
    return account, None


def booked_ahead(session: Session, inspector: Inspector) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(InspectorBooking).where(
        InspectorBooking.inspector_id == inspector.id, InspectorBooking.active,
        InspectorBooking.end > utcnow())) or 0


def _apply(session: Session, inspector: Inspector, data: dict[str, Any], home: Site, account: User | None) -> None:
    inspector.name, inspector.agency, inspector.home_site = data["name"].strip(), data["agency"], home
    inspector.max_minutes_per_day, inspector.active = data["max_minutes_per_day"], data["active"]
    inspector.user = account
    inspector.qualified_any = "*" in data["commodities"]
    codes = sorted(c for c in data["commodities"] if c != "*")
    if sorted(c.code for c in inspector.qualifications) != codes:
        inspector.qualifications = [session.get(Commodity, c) for c in codes]


def _current(inspector: Inspector) -> dict[str, Any]:
    return {"code": inspector.code, "name": inspector.name, "agency": inspector.agency,
            "home_site": inspector.home_site.code, "max_minutes_per_day": inspector.max_minutes_per_day,
            "active": inspector.active, "user": inspector.user.username if inspector.user else None,
            "commodities": ["*"] if inspector.qualified_any else sorted(c.code for c in inspector.qualifications)}


def summary(inspector: Inspector) -> dict[str, Any]:
    return _current(inspector)

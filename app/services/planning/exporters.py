"""Creating and changing exporting companies: code, legal name, tax id, country.

Only the company's own fields: its trusted-trader status is kept elsewhere. The code stays as
created (shipments, accounts and exchange files refer to it).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Exporter, User
from ...models.exporter import COUNTRIES
from ..access.audit import record
from .reference_checks import InvalidFields, check_exporter, refuse_if

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")
TAX_ID = re.compile(r"[A-Z0-9&Ñ-]{5,20}")
EDITABLE = ("legal_name", "tax_id", "country")


def create_exporter(session: Session, actor: User | None, data: dict[str, Any]) -> Exporter:
    _checked(session, data, None)
    exporter = Exporter(code=data["code"])
    _apply(exporter, data)
    session.add(exporter)
    session.flush()
    record(session, actor, "exporter.created", exporter, after=summary(exporter))
    return exporter


def update_exporter(session: Session, actor: User | None, exporter: Exporter, changes: dict[str, Any]) -> Exporter:
    data = {**summary(exporter), **{k: v for k, v in changes.items() if k in EDITABLE}}
    _checked(session, data, exporter)
    before = summary(exporter)
    _apply(exporter, data)
    session.flush()
    if summary(exporter) != before:
        record(session, actor, "exporter.changed", exporter, before=before, after=summary(exporter))
    return exporter


def _checked(session: Session, data: dict[str, Any], exporter: Exporter | None) -> None:
    problems: dict[str, str] = {}
    try:
        check_exporter({"id": data.get("code"), "name": data.get("legal_name")})
    except InvalidFields as error:
        problems.update({"legal_name" if k == "name" else k: v for k, v in error.problems.items()})
    code, name, tax_id = data.get("code"), data.get("legal_name"), data.get("tax_id")
    if exporter is None and isinstance(code, str) and not CODE.fullmatch(code):
        problems["code"] = _("A code has 2 to 40 capital letters, digits or hyphens, such as AGRO-ZAMORA.")
    elif exporter is None and session.scalar(sa.select(Exporter.id).where(Exporter.code == code)) is not None:
        problems["code"] = _("The code %(code)s is taken.", code=code)
    if isinstance(name, str) and len(name) > 200:
        problems["legal_name"] = _("At most %(count)d characters.", count=200)
    if not isinstance(tax_id, str) or not TAX_ID.fullmatch(tax_id.strip().upper()):
        problems["tax_id"] = _("A tax id (RFC or EIN) has 5 to 20 letters, digits or hyphens.")
    elif session.scalar(sa.select(Exporter.code).where(Exporter.tax_id == tax_id.strip().upper(),
                                                       Exporter.id != (exporter.id if exporter else -1))):
        problems["tax_id"] = _("Another company has this tax id.")
    if data.get("country") not in COUNTRIES:
        problems["country"] = _("Choose Mexico or the United States.")
    refuse_if(problems)


def _apply(exporter: Exporter, data: dict[str, Any]) -> None:
    exporter.legal_name, exporter.tax_id = data["legal_name"].strip(), data["tax_id"].strip().upper()
    exporter.country = data["country"]


def summary(exporter: Exporter) -> dict[str, Any]:
    return {"code": exporter.code, "legal_name": exporter.legal_name, "tax_id": exporter.tax_id,
            "country": exporter.country}

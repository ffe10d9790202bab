"""Inspectors, their shifts and unavailability, and closing or reopening sites."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy.orm import selectinload

from ..roles import PLANNERS, PROGRAM_STAFF
from ..extensions import db
from ..models import Inspector, Shift, Site, User
from ..services.planning.disruptions import close_site, mark_unavailable, reopen_site
from ..services.errors import WorkflowError
from ..services.pagination import Page
from .auth import api_roles
from .refusals import refuse
from .staff_schemas import (
    ClosureSchema, InspectorDetailSchema, InspectorPageSchema, InspectorQuerySchema, ShiftOutSchema,
    ShiftQuerySchema, SiteStatusSchema, UnavailabilityOutSchema, UnavailabilitySchema,
)

blp = Blueprint("staff", __name__, url_prefix="", description="Inspectors, shifts and site closures")
READERS = PROGRAM_STAFF


def _inspector(code: str) -> Inspector:
    found = db.session.scalar(sa.select(Inspector).where(Inspector.code == code).options(
        selectinload(Inspector.qualifications), selectinload(Inspector.home_site)))
    if found is None:
        abort(404, message="No such inspector.")
    return found


def _site(code: str) -> Site:
    found = db.session.scalar(sa.select(Site).where(Site.code == code))
    if found is None:
        abort(404, message="No such site.")
    return found


def _actor() -> User:
    return db.session.get(User, current_user.id)


def inspector_page(args: dict[str, Any]) -> Page[Inspector]:
    """Inspectors by agency and home site, ordered by code."""
    query = sa.select(Inspector)
    if args.get("agency"):
        query = query.where(Inspector.agency == args["agency"])
    if args.get("site"):
        query = query.join(Site, Inspector.home_site_id == Site.id).where(Site.code == args["site"])
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.options(selectinload(Inspector.home_site)).order_by(Inspector.code)
                               .offset((args["page"] - 1) * args["page_size"]).limit(args["page_size"])).all()
    return Page(list(items), args["page"], args["page_size"], total or 0)


@blp.route("/inspectors")
class Inspectors(MethodView):
    @api_roles(*READERS)
    @blp.arguments(InspectorQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, InspectorPageSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    def get(self, args: dict[str, Any]):
        """List inspectors, filtered by agency and home site"""
        page = inspector_page(args)
        return {"items": page.items, "total": page.total, "page": page.page, "page_size": page.page_size,
                "pages": page.pages}


@blp.route("/inspectors/<code>")
class InspectorItem(MethodView):
    @api_roles(*READERS)
    @blp.response(200, InspectorDetailSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    @blp.alt_response(404, description="No such inspector")
    def get(self, code: str):
        """One inspector with qualifications and home site"""
        return _inspector(code)


@blp.route("/inspectors/<code>/shifts")
class InspectorShifts(MethodView):
    @api_roles(*READERS)
    @blp.arguments(ShiftQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ShiftOutSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    @blp.alt_response(404, description="No such inspector")
    def get(self, args: dict[str, Any], code: str):
        """The inspector's shifts touching [from, to), available or not"""
        inspector = _inspector(code)
        return db.session.scalars(sa.select(Shift).where(
            Shift.inspector_id == inspector.id, Shift.end > args["start"], Shift.start < args["end"])
            .order_by(Shift.start)).all()


@blp.route("/inspectors/<code>/unavailability")
class InspectorUnavailability(MethodView):
    @api_roles(*PLANNERS)
    @blp.arguments(UnavailabilitySchema)
    @blp.response(200, UnavailabilityOutSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such inspector")
    def post(self, data: dict[str, Any], code: str):
        """Take the inspector off every shift touching [start, end) (illness, leave, training)"""
        inspector = _inspector(code)
        try:
            shifts = mark_unavailable(db.session, _actor(), inspector, data["start"], data["end"], data["reason"])
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused, "start")
        return {"inspector": inspector.code, "shifts": shifts}


@blp.route("/sites/<code>/closure")
class SiteClosure(MethodView):
    @api_roles(*PLANNERS)
    @blp.arguments(ClosureSchema)
    @blp.response(200, SiteStatusSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such site")
    @blp.alt_response(409, description="The site is already closed")
    def post(self, data: dict[str, Any], code: str):
        """Close a site; nothing is planned there until it reopens"""
        site = _site(code)
        if not site.active:
            abort(409, message="The site is already closed.", errors={"json": {"reason": ["Already closed."]}})
        try:
            close_site(db.session, _actor(), site, data["reason"])
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused, "reason")
        return site

    @api_roles(*PLANNERS)
    @blp.response(200, SiteStatusSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such site")
    @blp.alt_response(409, description="The site is open")
    def delete(self, code: str):
        """Reopen a closed site"""
        site = _site(code)
        if site.active:
            abort(409, message="The site is open.", errors={"json": {"site": ["Not closed."]}})
        try:
            reopen_site(db.session, _actor(), site)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused, "site")
        return site

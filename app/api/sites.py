"""Sites and ports written by planners: create, change, closed days ahead, and the week of shifts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Site, SiteClosure, User
from ..roles import PLANNERS, PROGRAM_STAFF
from ..services.errors import WorkflowError
from ..services.planning.calendar import add_closure, remove_closure
from ..services.planning.shifts import PLANNABLE_YEARS, copy_week, set_week
from ..services.planning.sites import create_site, update_site
from .auth import api_roles
from .refusals import refuse
from .sites_schemas import (
    PlannedClosureCreateSchema, PlannedClosureSchema, SiteCreateSchema, SiteDetailSchema, SitePatchSchema,
    WeekReportSchema, WeekSchema,
)

blp = Blueprint("sites", __name__, url_prefix="/sites", description="Sites and ports: writing them, closed days, weeks")


def _site(code: str) -> Site:
    found = db.session.scalar(sa.select(Site).where(Site.code == code)
                              .options(selectinload(Site.hours), selectinload(Site.commodities)))
    if found is None:
        abort(404, message="No such site.")
    return found


def _me() -> User:
    return db.session.get(User, current_user.id)


def _monday(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = date(1, 1, 1)
    if day.year not in PLANNABLE_YEARS or day.weekday() != 0:
        abort(422, message="A week starts on a Monday between 2000 and 2100.",
              errors={"json": {"monday": ["Give the Monday of the week."]}})
    return day


@blp.route("")
class Sites(MethodView):
    @api_roles(*PLANNERS)
    @blp.arguments(SiteCreateSchema)
    @blp.response(201, SiteDetailSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(422, description="Invalid input, checked as a scenario import checks it; errors name the field")
    def post(self, data: dict[str, Any]):
        """Create a site or port"""
        try:
            site = create_site(db.session, _me(), data)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return site


@blp.route("/<code>")
class SiteItem(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.response(200, SiteDetailSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    @blp.alt_response(404, description="No such site")
    def get(self, code: str):
        """One site with its weekly hours, commodities and holidays observed"""
        return _site(code)

    @api_roles(*PLANNERS)
    @blp.arguments(SitePatchSchema)
    @blp.response(200, SiteDetailSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such site")
    @blp.alt_response(422, description="Invalid input; errors name the field")
    def patch(self, data: dict[str, Any], code: str):
        """Change a site's fields (code and kind never change)"""
        site = _site(code)
        try:
            update_site(db.session, _me(), site, data)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return site


@blp.route("/<code>/planned-closures")
class PlannedClosures(MethodView):
    @api_roles(*PROGRAM_STAFF)
    @blp.response(200, PlannedClosureSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Role not allowed")
    @blp.alt_response(404, description="No such site")
    def get(self, code: str):
        """The site's dated closures, by first day (holidays are at /holidays)"""
        site = _site(code)
        return db.session.scalars(sa.select(SiteClosure).where(SiteClosure.site_id == site.id)
                                  .order_by(SiteClosure.first_day)).all()

    @api_roles(*PLANNERS)
    @blp.arguments(PlannedClosureCreateSchema)
    @blp.response(201, PlannedClosureSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such site")
    @blp.alt_response(422, description="Invalid input; errors name the field")
    def post(self, data: dict[str, Any], code: str):
        """Close the site on whole local days ahead; the optimizer plans nothing there then"""
        site = _site(code)
        try:
            closure = add_closure(db.session, _me(), site, data["first_day"], data["last_day"], data["reason"])
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return closure


@blp.route("/<code>/planned-closures/<int:closure_id>")
class PlannedClosureItem(MethodView):
    @api_roles(*PLANNERS)
    @blp.response(204)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such site or closure")
    def delete(self, code: str, closure_id: int):
        """Remove a dated closure: the site is open on those days again"""
        site = _site(code)
        closure = db.session.get(SiteClosure, closure_id)
        if closure is None or closure.site_id != site.id:
            abort(404, message="No such closure.")
        remove_closure(db.session, _me(), closure)
        db.session.commit()
        return None


@blp.route("/<code>/weeks/<monday>")
class Week(MethodView):
    @api_roles(*PLANNERS)
    @blp.arguments(WeekSchema)
    @blp.response(200, WeekReportSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such site")
    @blp.alt_response(422, description="Invalid shifts; errors name the inspector or the day; nothing changed")
    def put(self, data: dict[str, Any], code: str, monday: str):
        """Set the week's shifts of the inspectors based at the site (local times; all or nothing)"""
        site, first = _site(code), _monday(monday)
        cells: dict[tuple[str, date], tuple[str, str] | None] = {}
        for shift in data["shifts"]:
            if not first <= shift["day"] < first + timedelta(days=7):
                refuse(WorkflowError("Every shift falls in the week.", field="shifts"))
            cells[(shift["inspector"], shift["day"])] = (shift["start"], shift["end"])
        try:
            report = set_week(db.session, _me(), site, first, cells)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return report


@blp.route("/<code>/weeks/<monday>/copy")
class WeekCopy(MethodView):
    @api_roles(*PLANNERS)
    @blp.response(200, WeekReportSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such site")
    @blp.alt_response(422, description="The copied shifts would clash; nothing changed")
    def post(self, code: str, monday: str):
        """Copy the week before's shifts of the site's inspectors into this week (closed days skipped)"""
        site, first = _site(code), _monday(monday)
        try:
            report = copy_week(db.session, _me(), site, first)
            db.session.commit()
        except WorkflowError as refused:
            refuse(refused)
        return report

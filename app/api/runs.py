"""Optimizer runs: start, follow, read the schedule, publish."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from scheduling.exchange import schedule_to_dict

from ..roles import PLANNERS
from ..extensions import db
from ..models import ScheduleRun, User
from ..services.errors import WorkflowError
from ..services.access.idempotency import idempotent
from ..services.planning.publishing import publish_run
from ..services.planning.runs import cancel_run, start_run
from ..services.planning.stored import run_schedule
from .auth import api_roles
from .refusals import refuse

blp = Blueprint("runs", __name__, url_prefix="/runs", description="Optimizer runs and their schedules")


class RunStartSchema(Schema):
    class Meta:
        unknown = RAISE

    horizon_start = fields.AwareDateTime(required=True)
    horizon_end = fields.AwareDateTime(required=True)
    time_limit_s = fields.Integer(load_default=30, validate=validate.Range(min=1, max=600))
    workers = fields.Integer(load_default=2, validate=validate.Range(min=1, max=8))


class RunSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    horizon_start = fields.DateTime()
    horizon_end = fields.DateTime()
    settings = fields.Dict()
    progress = fields.Dict()
    stats = fields.Dict()
    solver_status = fields.String(allow_none=True)
    objective = fields.Float(allow_none=True)
    bound = fields.Float(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)


class PublishResultSchema(Schema):
    published = fields.List(fields.String())
    skipped = fields.List(fields.String())
    changes = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "inspections kept as they were (same id), moved in place, added and dropped, and "
                       "shipments released back to the queue"})


def _run(run_id: int) -> ScheduleRun:
    run = db.session.get(ScheduleRun, run_id)
    if run is None:
        abort(404, message="No such run.")
    return run


@blp.route("")
class Runs(MethodView):
    @api_roles(*PLANNERS)
    @blp.response(200, RunSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    def get(self):
        """List recent runs"""
        return db.session.scalars(sa.select(ScheduleRun).order_by(ScheduleRun.created_at.desc()).limit(50)).all()

    @api_roles(*PLANNERS)
    @idempotent
    @blp.arguments(RunStartSchema)
    @blp.response(202, RunSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(422, description="Invalid horizon or settings")
    def post(self, data):
        """Start planning a horizon; the run goes on in the background"""
        try:
            run = start_run(db.session, db.session.get(User, current_user.id), data["horizon_start"],
                            data["horizon_end"], time_limit_s=data["time_limit_s"], workers=data["workers"])
        except WorkflowError as error:
            abort(422, message=error.message, errors={"json": {error.field or "horizon_end": [error.message]}})
        db.session.commit()
        current_app.extensions["run_executor"].submit(run.id)
        db.session.refresh(run)
        return run


@blp.route("/<int:run_id>")
class RunItem(MethodView):
    @api_roles(*PLANNERS)
    @blp.response(200, RunSchema)
    @blp.alt_response(404, description="No such run")
    def get(self, run_id: int):
        """A run with its progress and statistics"""
        return _run(run_id)


@blp.route("/<int:run_id>/schedule")
class RunSchedule(MethodView):
    @api_roles(*PLANNERS)
    @blp.response(200, description="The run's plan as a jointinspect-schedule/1 document")
    @blp.alt_response(404, description="No such run")
    @blp.alt_response(409, description="The run has not finished")
    def get(self, run_id: int):
        """The run's schedule in the exchange format"""
        run = _run(run_id)
        if run.status != "succeeded":
            abort(409, message=f"the run is {run.status}; a schedule exists once it has succeeded")
        return schedule_to_dict(run_schedule(db.session, run))


@blp.route("/<int:run_id>/publish")
class RunPublish(MethodView):
    @api_roles(*PLANNERS)
    @blp.response(200, PublishResultSchema)
    @blp.alt_response(404, description="No such run")
    @blp.alt_response(409, description="Not finished, already published, started from a plan replaced since, or "
                                         "invalid now: errors list each offending inspection")
    def post(self, run_id: int):
        """Publish a run: its assignments become the scheduled inspections"""
        _run(run_id)
        try:
            report = publish_run(db.session, db.session.get(User, current_user.id), run_id)
            db.session.commit()
        except WorkflowError as error:
            refuse(error, "run")
        return report


@blp.route("/<int:run_id>/cancel")
class RunCancel(MethodView):
    @api_roles(*PLANNERS)
    @blp.response(200, RunSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a coordinator")
    @blp.alt_response(404, description="No such run")
    @blp.alt_response(409, description="The run has already ended")
    def post(self, run_id: int):
        """Cancel a queued or running run: it ends at once as cancelled, and its solver stops"""
        _run(run_id)
        try:
            run = cancel_run(db.session, db.session.get(User, current_user.id), run_id)
            db.session.commit()
        except WorkflowError as error:
            refuse(error, "run")
        current_app.extensions["run_executor"].cancel(run_id)
        return run

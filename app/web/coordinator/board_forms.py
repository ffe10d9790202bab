"""Forms of the plan board: moving an assignment, filtering the queue."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, Form, IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from ...days import within_app_days
from ...models import Commodity, Inspector, ScheduleAssignment, Site

AGENCY_FIELDS = {"joint_inland": (("aphis", "APHIS"), ("senasica", "SENASICA")), "border": (("cbp", "CBP"),)}


class MoveForm(FlaskForm):
    start = DateTimeLocalField(_l("Start, local time at the site"), format="%Y-%m-%dT%H:%M",
                               validators=[InputRequired()])
    site = SelectField(_l("Site"), coerce=int, validators=[DataRequired()])
    aphis = SelectField(_l("APHIS inspector"), coerce=int, validators=[DataRequired()])
    senasica = SelectField(_l("SENASICA inspector"), coerce=int, validators=[DataRequired()])
    cbp = SelectField(_l("CBP inspector"), coerce=int, validators=[DataRequired()])

    def agency_fields(self) -> list:
        return [self._fields[name] for name in ("aphis", "senasica", "cbp") if name in self._fields]


def move_form(session, assignment: ScheduleAssignment) -> MoveForm:
    """The form for one assignment: sites of its kind, inspectors of the agencies it needs."""
    form = MoveForm()
    needed = dict(AGENCY_FIELDS[assignment.kind])
    for name in ("aphis", "senasica", "cbp"):
        if name not in needed:
            delattr(form, name)
    kind = "inland" if assignment.kind == "joint_inland" else "port"
    sites = session.scalars(sa.select(Site).where(Site.kind == kind).order_by(Site.name)).all()
    form.site.choices = [(s.id, f"{s.name} ({s.timezone})") for s in sites]
    for name, agency in needed.items():
        inspectors = session.scalars(sa.select(Inspector).where(Inspector.agency == agency, Inspector.active)
                                     .order_by(Inspector.code)).all()
        getattr(form, name).choices = [(i.id, f"{i.code} · {i.name}") for i in inspectors]
    if not form.is_submitted():
        _fill(form, assignment, needed)
    return form


def _fill(form: MoveForm, assignment: ScheduleAssignment, needed: dict[str, str]) -> None:
    form.start.data = assignment.start.astimezone(ZoneInfo(assignment.site.timezone)).replace(tzinfo=None)
    form.site.data = assignment.site_id
    by_agency = {i.agency: i.id for i in assignment.inspectors}
    for name, agency in needed.items():
        getattr(form, name).data = by_agency.get(agency)


class QueueFilterForm(Form):
    """Filters read from the query string: bookmarkable, no CSRF needed for a read."""

    status = SelectField(_l("Status"), default="open", validators=[Optional()])
    port = SelectField(_l("Port"), coerce=int, default=0, validators=[Optional()])
    commodity = SelectField(_l("Commodity"), default="", validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional(), within_app_days])
    date_to = DateField(_l("To"), validators=[Optional(), within_app_days])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])


def queue_form(session, args, language: str) -> QueueFilterForm:
    form = QueueFilterForm(args)
    form.status.choices = [("open", _l("Waiting or scheduled")), ("requested", _l("Waiting to be planned")),
                           ("scheduled", _l("Scheduled")), ("all", _l("Any status"))]
    ports = session.scalars(sa.select(Site).where(Site.kind == "port").order_by(Site.name)).all()
    form.port.choices = [(0, _l("Any port"))] + [(p.id, p.name) for p in ports]
    commodities = session.scalars(sa.select(Commodity).order_by(Commodity.code)).all()
    form.commodity.choices = [("", _l("Any commodity"))] + [(c.code, c.name(language)) for c in commodities]
    return form

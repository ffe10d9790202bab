"""Forms of the reference pages, and turning what they post into the services' fields."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField, DateField, FloatField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...models import Commodity, Site, User
from ...models.site import WEEKDAYS
from ...roles import AGENCIES, INSPECTOR

WEEKDAY_NAMES = {"mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"), "thu": _l("Thursday"),
                 "fri": _l("Friday"), "sat": _l("Saturday"), "sun": _l("Sunday")}
COUNTRY_NAMES = [SelectChoice("MX", _l("Mexico")), SelectChoice("US", _l("United States"))]
KINDS = [SelectChoice("inland", _l("Inland joint site")), SelectChoice("port", _l("Border port"))]
ZONES = ("America/Mexico_City", "America/Monterrey", "America/Matamoros", "America/Chihuahua",
         "America/Ciudad_Juarez", "America/Mazatlan", "America/Hermosillo", "America/Tijuana", "America/Chicago",
         "America/Denver", "America/Phoenix", "America/Los_Angeles")


class SiteForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KINDS)
    country = SelectField(_l("Country"), choices=COUNTRY_NAMES)
    state = StringField(_l("State (code)"), validators=[DataRequired(), Length(max=10)])
    lat = FloatField(_l("Latitude"), validators=[InputRequired(), NumberRange(-90, 90)])
    lon = FloatField(_l("Longitude"), validators=[InputRequired(), NumberRange(-180, 180)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"list": "zones"})
    bays = IntegerField(_l("Bays (inspections at once)"), default=1, validators=[InputRequired(), NumberRange(1, 500)])
    inspects_any = BooleanField(_l("Inspects every commodity"))
    commodities = SelectMultipleField(_l("Commodities inspected"), choices=[])
    observes_holidays = SelectMultipleField(_l("Closed on the federal holidays of"), choices=COUNTRY_NAMES)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])

    def with_choices(self, session: Session, language: str) -> SiteForm:
        self.commodities.choices = commodity_choices(session, language)
        return self

    def hours(self, form_data) -> list[dict[str, Any]]:
        """Opening hours per weekday (empty = closed), days with the same times as one period."""
        periods: dict[tuple[str, str], list[str]] = {}
        for day in WEEKDAYS:
            opens, closes = (form_data.get(f"{day}_open", "").strip(), form_data.get(f"{day}_close", "").strip())
            if opens or closes:
                periods.setdefault((opens, closes), []).append(day)
        return [{"days": days, "open": opens, "close": closes} for (opens, closes), days in periods.items()]

    def data_for_service(self, form_data) -> dict[str, Any]:
        return {"code": self.code.data.strip().upper(), "name": self.name.data, "kind": self.kind.data,
                "country": self.country.data, "state": self.state.data.strip().upper(), "lat": self.lat.data,
                "lon": self.lon.data, "timezone": self.timezone.data.strip(), "bays": self.bays.data,
                "hours": self.hours(form_data),
                "commodities": ["*"] if self.inspects_any.data else list(self.commodities.data),
                "observes_holidays": list(self.observes_holidays.data), "notes": self.notes.data}


def commodity_choices(session: Session, language: str) -> list[SelectChoice]:
    commodities = session.scalars(sa.select(Commodity).order_by(Commodity.code))
    return [SelectChoice(c.code, c.name(language)) for c in commodities]


class InspectorForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    agency = SelectField(_l("Agency"), choices=[SelectChoice(a, a) for a in AGENCIES])
    home_site = SelectField(_l("Home site"), choices=[])
    qualified_any = BooleanField(_l("Qualified for every commodity"))
    commodities = SelectMultipleField(_l("Qualified for"), choices=[])
    max_minutes_per_day = IntegerField(_l("Daily limit (inspection minutes)"), default=420,
                                       validators=[InputRequired(), NumberRange(1, 1440)])
    active = BooleanField(_l("Works (planned by the optimizer)"), default=True)
    user = SelectField(_l("Sign-in account (optional)"), choices=[])

    def with_choices(self, session: Session, language: str) -> InspectorForm:
        sites = session.execute(sa.select(Site.code, Site.name).order_by(Site.name)).all()
        self.home_site.choices = [SelectChoice(code, f"{name} ({code})") for code, name in sites]
        self.commodities.choices = commodity_choices(session, language)
        accounts = session.execute(sa.select(User.username, User.display_name, User.agency)
                                   .where(User.role == INSPECTOR, User.active).order_by(User.username)).all()
        self.user.choices = [SelectChoice("", "—")] + [SelectChoice(u, f"{u} · {n} · {a}") for u, n, a in accounts]
        return self

    def data_for_service(self) -> dict[str, Any]:
        return {"code": self.code.data.strip().upper(), "name": self.name.data, "agency": self.agency.data,
                "home_site": self.home_site.data,
                "commodities": ["*"] if self.qualified_any.data else list(self.commodities.data),
                "max_minutes_per_day": self.max_minutes_per_day.data, "active": bool(self.active.data),
                "user": self.user.data or None}


class ExporterForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    legal_name = StringField(_l("Legal name"), validators=[DataRequired(), Length(max=200)])
    tax_id = StringField(_l("Tax id (RFC or EIN)"), validators=[DataRequired(), Length(max=20)])
    country = SelectField(_l("Country"), choices=COUNTRY_NAMES)

    def data_for_service(self) -> dict[str, Any]:
        return {"code": self.code.data.strip().upper(), "legal_name": self.legal_name.data,
                "tax_id": self.tax_id.data, "country": self.country.data}


class ClosureForm(FlaskForm):
    first_day = DateField(_l("First day closed"), validators=[DataRequired()])
    last_day = DateField(_l("Last day closed"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    confirmed = HiddenField()


class HolidayForm(FlaskForm):
    country = SelectField(_l("Country"), choices=COUNTRY_NAMES)
    day = DateField(_l("Day"), validators=[DataRequired()])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    name_es = StringField(_l("Name in Spanish"), validators=[DataRequired(), Length(max=120)])


class ShiftCsvForm(FlaskForm):
    text = TextAreaField(_l("Shifts, one per line"), validators=[DataRequired(), Length(max=400_000)],
                         render_kw={"rows": 10, "spellcheck": "false"})


class ButtonForm(FlaskForm):
    """A button that changes something: CSRF-protected, nothing else to fill in."""

    confirmed = HiddenField()

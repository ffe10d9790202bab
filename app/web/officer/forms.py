"""The border officer's forms: verifying a shipment's seals and reinstating its border inspection."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...models import QuarantinePest

OBSERVATION_CHOICES = [SelectChoice("intact", _l("Intact")), SelectChoice("broken", _l("Broken")),
                      SelectChoice("missing", _l("Missing"))]


class VerifyForm(FlaskForm):
    """One radio group per applied seal is added by verify_form(); other numbers go in `presented`."""

    # Filled in with now (the officer checks the truck as it arrives); left empty, it means now too.
    arrived_at = DateTimeLocalField(_l("Truck arrived at (local time at the port)"), format="%Y-%m-%dT%H:%M",
                                    validators=[Optional()])
    presented = TextAreaField(_l("Other seal numbers found on the truck"), validators=[Optional(), Length(max=900)])
    version = HiddenField()
    # Set once the officer has seen what the verification would decide and confirmed it.
    confirmed = HiddenField()

    def seal_fields(self) -> list[tuple[str, RadioField]]:
        return [(number, getattr(self, name)) for number, name in self._seal_names]

    def observations(self) -> dict[str, str]:
        return {number: field.data for number, field in self.seal_fields()}

    def presented_numbers(self) -> list[str]:
        return [part for part in re.split(r"[\s,;]+", self.presented.data or "") if part]

    def arrival(self, zone: str) -> datetime | None:
        """The arrival typed in the port's local time, as an aware time; None (now) when left empty."""
        return self.arrived_at.data.replace(tzinfo=ZoneInfo(zone)) if self.arrived_at.data else None


def verify_form(seal_numbers: list[str], arrived_default: datetime | None = None, **kwargs) -> VerifyForm:
    """A VerifyForm with a required intact/broken/missing choice for each of these seals; the arrival
    defaults to `arrived_default` (now, in the port's zone, as the officer checks the truck on arrival)."""
    names = [(number, f"seal_{index}") for index, number in enumerate(seal_numbers)]

    class ShipmentVerifyForm(VerifyForm):
        _seal_names = names

    for number, name in names:
        setattr(ShipmentVerifyForm, name, RadioField(
            _l("Seal %(number)s", number=number), choices=OBSERVATION_CHOICES,
            validators=[InputRequired(message=_l("Say whether this seal is intact, broken or missing."))]))
    form = ShipmentVerifyForm(**kwargs)
    if arrived_default is not None and form.arrived_at.data is None:
        form.arrived_at.data = arrived_default.replace(tzinfo=None, second=0, microsecond=0)
    return form


class ReinstateForm(FlaskForm):
    reason = TextAreaField(_l("Why the border inspection is needed"),
                           validators=[DataRequired(message=_l("Say why the border inspection is reinstated.")),
                                       Length(max=1000)])
    version = HiddenField()


class BorderResultForm(FlaskForm):
    """The border inspection's own result, for a shipment in the port's queue."""

    result = RadioField(_l("Result of the border inspection"),
                        choices=[SelectChoice("pass", _l("Pass: release the truck")),
                                 SelectChoice("fail", _l("Fail: reject the shipment")),
                                 SelectChoice("hold", _l("Hold: keep it in the queue"))],
                        validators=[InputRequired(message=_l("Choose pass, fail or hold."))])
    findings = TextAreaField(_l("Findings"), validators=[Optional(), Length(max=4000)])
    pests = RadioField(_l("Pests"), choices=[SelectChoice("none", _l("No pest found")),
                                             SelectChoice("found", _l("Pests found: record them below"))],
                       validators=[InputRequired(message=_l("Say whether pests were found."))])
    version = HiddenField()


LIFE_STAGE_CHOICES = [SelectChoice("larva", _l("larva")), SelectChoice("adult", _l("adult")),
                      SelectChoice("pupa", _l("pupa")), SelectChoice("egg", _l("egg")),
                      SelectChoice("unknown", _l("unknown"))]
ACTION_CHOICES = [SelectChoice("destroyed", _l("destroyed")), SelectChoice("re_exported", _l("re-exported")),
                  SelectChoice("released_after_treatment", _l("released after treatment"))]


class InterceptionForm(FlaskForm):
    """One pest found at the border inspection; organism choices are the commodity's quarantine pests."""

    organism = SelectField(_l("Organism"), validators=[InputRequired(message=_l("Choose the organism found."))])
    other_organism = StringField(_l("Name of the organism, if other"), validators=[Optional(), Length(max=200)])
    life_stage = SelectField(_l("Life stage"), choices=LIFE_STAGE_CHOICES)
    count = IntegerField(_l("How many"), validators=[InputRequired(message=_l("Say how many were found.")),
                                                      NumberRange(min=1, message=_l("At least one."))])
    action = SelectField(_l("What was done with the load"), choices=ACTION_CHOICES)
    sent_to_lab = BooleanField(_l("A sample was sent to a laboratory for identification"))


class LabResultForm(FlaskForm):
    result = RadioField(_l("Laboratory result"), choices=[SelectChoice("confirmed", _l("confirmed")),
                                                          SelectChoice("not_actionable", _l("not actionable"))],
                        validators=[InputRequired(message=_l("Choose the laboratory's result."))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)])


def interception_form(session, shipment, **kwargs) -> InterceptionForm:
    """The form with the quarantine pests of the shipment's commodity, then "other"."""
    form = InterceptionForm(**kwargs)
    pests = [p for p in session.scalars(sa.select(QuarantinePest).order_by(QuarantinePest.scientific_name))
             if shipment.commodity_code in p.commodities]
    form.organism.choices = ([SelectChoice(p.code, p.scientific_name) for p in pests]
                             + [SelectChoice("other", _l("other (name it below)"))])
    return form

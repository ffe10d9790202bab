"""Forms of the agreement pages; the services check meaning, these only parse what was typed."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FloatField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from ...services.errors import WorkflowError

REQUIRED = _l("This field is required.")
BAD_DATE = _l("Give a date as YYYY-MM-DD.")
MILESTONE_STATUS_CHOICES = [SelectChoice("planned", _l("Planned")), SelectChoice("in_progress", _l("In progress")),
                            SelectChoice("done", _l("Done")), SelectChoice("cancelled", _l("Cancelled"))]
OWNER_CHOICES = [SelectChoice("APHIS", "APHIS"), SelectChoice("SENASICA", "SENASICA"), SelectChoice("CBP", "CBP"),
                 SelectChoice("SAT", "SAT/ANAM"), SelectChoice("JOINT", _l("Joint"))]
DECISION_CHOICES = [SelectChoice("pass", _l("Pass: go to the next phase")), SelectChoice("extend", _l("Extend the phase")),
                    SelectChoice("stop", _l("Stop the pilot"))]


class AgreementForm(FlaskForm):
    code = StringField(_l("Code"))
    title = StringField(_l("Title"))
    parties = StringField(_l("Parties"), default="APHIS-SENASICA")
    signed_on = DateField(_l("Signed on"), invalid_value_message=BAD_DATE, validators=[Optional()])
    effective_from = DateField(_l("In force from"), invalid_value_message=BAD_DATE, validators=[Optional()])
    effective_to = DateField(_l("In force until"), invalid_value_message=BAD_DATE, validators=[Optional()])


class StatusForm(FlaskForm):
    on = DateField(_l("From (date)"), invalid_value_message=BAD_DATE, validators=[InputRequired(message=REQUIRED)])
    reason = TextAreaField(_l("Reason"))
    version_id = HiddenField()


class RuleForm(FlaskForm):
    code = StringField(_l("Rule code"))
    commodities = StringField(_l("Commodities"))
    origin_states = StringField(_l("Origin states"))
    ports = StringField(_l("Ports"))
    requires_certifications = StringField(_l("Required certifications"))
    requires_recognised_status = BooleanField(_l("Requires a trusted-trader status recognised by both administrations "
                                                 "(CTPAT or OEA)"))
    requires_whole_chain = BooleanField(_l("Requires the whole logistics chain in good standing"))
    requires_seal = BooleanField(_l("Requires a high-security seal"))
    max_hours_before_crossing = FloatField(_l("Most hours between inspection end and crossing"),
                                           invalid_value_message=_l("Give a number of hours."), validators=[Optional()])
    verification_percent = FloatField(
        _l("Verification inspections, percent of waived loads"), default=2.0,
        invalid_value_message=_l("Give a percentage."),
        validators=[Optional(), NumberRange(0, 100, message=_l("Give a number between 0 and 100."))])
    valid_from = DateField(_l("Valid from"), invalid_value_message=BAD_DATE,
                           validators=[InputRequired(message=REQUIRED)])
    valid_to = DateField(_l("Valid until"), invalid_value_message=BAD_DATE, validators=[Optional()])
    active = BooleanField(_l("Active"))
    change_note = TextAreaField(_l("What changed and why"))
    based_on_version = HiddenField()

    LIST_FIELDS = ("commodities", "origin_states", "ports", "requires_certifications")
    OTHER_FIELDS = ("requires_recognised_status", "requires_whole_chain", "requires_seal", "max_hours_before_crossing",
                    "valid_from", "valid_to", "active")

    def fill_from(self, rule: Any) -> None:
        """Start from the current version, lists as comma-separated codes."""
        for name in self.OTHER_FIELDS:
            self[name].data = getattr(rule, name)
        for name in self.LIST_FIELDS:
            self[name].data = ", ".join(getattr(rule, name))
        self.verification_percent.data = round(rule.verification_rate * 100, 4)
        self.based_on_version.data = str(rule.version)

    def rule_fields(self) -> dict[str, Any]:
        fields = {name: self[name].data for name in self.LIST_FIELDS + self.OTHER_FIELDS}
        # People think of the rate in percent; the rule keeps the share.
        if self.verification_percent.data is not None:  # empty keeps the current rate (2% for a new rule)
            fields["verification_rate"] = round(self.verification_percent.data / 100, 6)
        return fields


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"))
    title_es = StringField(_l("Milestone in Spanish"))
    owner_agency = SelectField(_l("Owner"), choices=OWNER_CHOICES)
    due_on = DateField(_l("Due on"), invalid_value_message=BAD_DATE, validators=[InputRequired(message=REQUIRED)])
    notes = TextAreaField(_l("Notes"))
    gates = StringField(_l("Rules that wait for it"))


class MilestoneStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=MILESTONE_STATUS_CHOICES)
    completed_on = DateField(_l("Done on"), invalid_value_message=BAD_DATE, validators=[Optional()])
    gates = StringField(_l("Rules that wait for it"))


class ApprovalForm(FlaskForm):
    reference = StringField(_l("Written approval (reference)"))
    version_id = HiddenField()


class GateDecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=DECISION_CHOICES)
    notes = TextAreaField(_l("Why"))
    extend_to = DateField(_l("Extend to"), invalid_value_message=BAD_DATE, validators=[Optional()])


def show_refusal(form: FlaskForm, error: WorkflowError) -> None:
    """Put the service's refusal next to the field it names, or above the form."""
    field = form._fields.get(error.field) if error.field else None
    if field is not None and not isinstance(field, HiddenField):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def version_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

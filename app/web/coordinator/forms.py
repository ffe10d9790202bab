"""Coordinator forms: starting an optimizer run, publishing it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange


class StartRunForm(FlaskForm):
    start_date = DateField(_l("First day"), validators=[DataRequired()])
    days = IntegerField(_l("Days"), default=7, validators=[DataRequired(), NumberRange(min=1, max=31)])
    time_limit_s = IntegerField(_l("Time limit (seconds)"), default=30,
                                validators=[DataRequired(), NumberRange(min=1, max=600)])


class ConfirmForm(FlaskForm):
    """A button that changes something: CSRF-protected, nothing else to fill in."""


class CloseSiteForm(FlaskForm):
    reason = TextAreaField(_l("Why does the site close?"), validators=[DataRequired(), Length(max=1000)])


class UnavailableForm(FlaskForm):
    first_day = DateField(_l("First day"), validators=[DataRequired()])
    last_day = DateField(_l("Last day"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])

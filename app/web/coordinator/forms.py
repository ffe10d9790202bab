"""Coordinator forms: starting an optimizer run, publishing it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField
from wtforms.validators import DataRequired, NumberRange


class StartRunForm(FlaskForm):
    start_date = DateField(_l("First day"), validators=[DataRequired()])
    days = IntegerField(_l("Days"), default=7, validators=[DataRequired(), NumberRange(min=1, max=31)])
    time_limit_s = IntegerField(_l("Time limit (seconds)"), default=30,
                                validators=[DataRequired(), NumberRange(min=1, max=600)])


class ConfirmForm(FlaskForm):
    """A button that changes something: CSRF-protected, nothing else to fill in."""

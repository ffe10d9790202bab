"""Administration forms: an account, its role, a password reset, an API token."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...models import Exporter, User
from ...roles import AGENCIES, ROLES
from ...services.access.password_setup import LINK, TEMPORARY

ROLE_LABELS = {"exporter": _l("Exporter"), "coordinator": _l("Coordinator"), "inspector": _l("Inspector"),
               "officer": _l("Border officer"), "supervisor": _l("Supervisor"), "admin": _l("Administrator")}
NO_CHOICE = SelectChoice("", "—")
PASSWORD_MODES = {LINK: _l("A one-time link to choose a password (valid 72 hours)"),
                  TEMPORARY: _l("A temporary password, to be changed at first sign-in")}


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class RoleFields(FlaskForm):
    """Who the person is: role, agency for staff, company for exporters."""

    role = SelectField(_l("Role"), choices=_choices((r, ROLE_LABELS[r]) for r in ROLES), validators=[DataRequired()])
    agency = SelectField(_l("Agency"), choices=[NO_CHOICE] + _choices((a, a) for a in AGENCIES))
    exporter = SelectField(_l("Company (exporters only)"), choices=[NO_CHOICE])
    confirmed = HiddenField()

    def with_companies(self, session: Session) -> RoleFields:
        companies = session.execute(sa.select(Exporter.code, Exporter.legal_name).order_by(Exporter.legal_name)).all()
        self.exporter.choices = [NO_CHOICE] + _choices((code, f"{name} ({code})") for code, name in companies)
        return self


class AccountForm(RoleFields):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=80)],
                           render_kw={"autocomplete": "off"})
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail (optional)"), validators=[Optional(), Length(max=254)])
    # Its own id: the page header's language switch is #language.
    language = SelectField(_l("Language"), choices=_choices((("es", "Español"), ("en", "English"))),
                           id="account_language")
    first_password = RadioField(_l("How the person gets a password"), choices=_choices(PASSWORD_MODES.items()),
                                default=LINK)


class ResetForm(FlaskForm):
    mode = RadioField(_l("How the person gets a new password"), choices=_choices(PASSWORD_MODES.items()),
                      default=LINK)
    confirmed = HiddenField()


class ConfirmForm(FlaskForm):
    """A button that changes something; `confirmed` is set once the person has read what it changes."""

    confirmed = HiddenField()


class TokenForm(FlaskForm):
    user = SelectField(_l("Account"), choices=[], validators=[DataRequired()])
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=80)])
    expires_days = IntegerField(_l("Expires after (days)"), default=90,
                                validators=[DataRequired(), NumberRange(min=1, max=3650)])

    def with_accounts(self, session: Session) -> TokenForm:
        rows = session.execute(sa.select(User.username, User.display_name).where(User.active)
                               .order_by(User.username)).all()
        self.user.choices = [NO_CHOICE] + _choices((username, f"{username} · {name}") for username, name in rows)
        return self

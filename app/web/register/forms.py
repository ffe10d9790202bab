"""Forms of the register pages: they parse what was typed; the services check what it means."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ...services.agreements.register import DATE_FIELDS, LINK_LABELS, STATUS_LABELS

BAD_DATE = _l("Give a date as YYYY-MM-DD.")


class StatusForm(FlaskForm):
    program = StringField(_l("Program"))
    holder = StringField(_l("Holder (exporter or party code)"))
    certificate_id = StringField(_l("Certificate or member id"))
    status = SelectField(_l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()],
                         default="certified")
    tier = SelectField(_l("Tier (CTPAT importers)"), choices=[SelectChoice("", "—"), SelectChoice("I", "I"),
                                                              SelectChoice("II", "II"), SelectChoice("III", "III")],
                       default="")
    valid_from = DateField(_l("Valid from"), invalid_value_message=BAD_DATE, validators=[Optional()])
    valid_until = DateField(_l("Valid until (empty for CTPAT)"), invalid_value_message=BAD_DATE, validators=[Optional()])
    applied_on = DateField(_l("Applied on"), invalid_value_message=BAD_DATE, validators=[Optional()])
    certified_on = DateField(_l("Certified on"), invalid_value_message=BAD_DATE, validators=[Optional()])
    validation_planned_on = DateField(_l("Validation planned on"), invalid_value_message=BAD_DATE,
                                      validators=[Optional()])
    last_validated_on = DateField(_l("Last validated on"), invalid_value_message=BAD_DATE, validators=[Optional()])
    revalidation_due = DateField(_l("Revalidation due"), invalid_value_message=BAD_DATE, validators=[Optional()])
    validator = StringField(_l("Validator"))
    status_since = DateField(_l("Suspended or removed since"), invalid_value_message=BAD_DATE,
                             validators=[Optional()])
    status_reason = TextAreaField(_l("Why suspended or removed"))
    version_id = HiddenField()

    def values(self) -> dict[str, Any]:
        names = ("program", "holder", "certificate_id", "status", "tier", "validator", "status_reason") + DATE_FIELDS
        return {name: self[name].data for name in names}


class PartyForm(FlaskForm):
    code = StringField(_l("Code"))
    kind = SelectField(_l("Link of the chain"), choices=[SelectChoice(k, v) for k, v in LINK_LABELS.items()
                                                         if k != "exporter"])
    name = StringField(_l("Name"))
    country = SelectField(_l("Country"), choices=[SelectChoice("MX", "MX"), SelectChoice("US", "US")])
    identifier = StringField(_l("RFC, EIN, SCAC or FAST card number"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file as the register publishes it"))


class SealStockForm(FlaskForm):
    site = SelectField(_l("Site"), choices=[])
    issuer = SelectField(_l("Issued by"), choices=[SelectChoice("CBP", "CBP"), SelectChoice("APHIS", "APHIS"),
                                                  SelectChoice("SENASICA", "SENASICA")])
    iso_class = SelectField(_l("ISO 17712 class"), choices=[SelectChoice("H", _l("H: high security")),
                                                            SelectChoice("S", _l("S: security")),
                                                            SelectChoice("I", _l("I: indicative"))])
    kind = SelectField(_l("Kind"), choices=[SelectChoice("mechanical", _l("Mechanical (ISO 17712)")),
                                            SelectChoice("electronic", _l("Electronic (ISO 18185)"))])
    prefix = StringField(_l("Prefix"))
    first = StringField(_l("First number"))
    last = StringField(_l("Last number"))
    digits = StringField(_l("Digits"))
    issued_on = DateField(_l("Issued on"), invalid_value_message=BAD_DATE, validators=[Optional()])

    def numbers(self) -> dict[str, Any]:
        """Whole numbers as typed; anything else goes to the service as is, which refuses it by name."""
        return {name: int(self[name].data) if (self[name].data or "").strip().isdigit() else self[name].data
                for name in ("first", "last", "digits")}

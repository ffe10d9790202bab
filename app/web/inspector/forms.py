"""The inspector's form: a joint inspection's result, findings and the seals applied."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

SEAL_ROWS = 4


class SealEntryForm(Form):
    """One seal row; a blank number means the row is unused."""

    number = StringField(_l("Seal number"), validators=[Optional(), Length(max=40)])
    kind = SelectField(_l("Seal kind"), choices=[SelectChoice("mechanical", _l("Mechanical (ISO 17712)")),
                                                 SelectChoice("electronic", _l("Electronic (ISO 18185)"))],
                       default="mechanical")


class ResultForm(FlaskForm):
    result = RadioField(_l("Result"), choices=[SelectChoice("pass", _l("Pass")), SelectChoice("fail", _l("Fail")),
                                                   SelectChoice("hold", _l("Hold"))],
                        validators=[InputRequired(message=_l("Choose pass, fail or hold."))])
    findings = TextAreaField(_l("Findings"), validators=[Optional(), Length(max=4000)])
    seals = FieldList(FormField(SealEntryForm), min_entries=SEAL_ROWS, max_entries=SEAL_ROWS)
    version = HiddenField()

    def seal_rows(self) -> list[tuple[int, str, str]]:
        """(row index, number, kind) of every row with a number, so errors go back to their row."""
        return [(index, entry.form.number.data.strip(), entry.form.kind.data)
                for index, entry in enumerate(self.seals) if (entry.form.number.data or "").strip()]

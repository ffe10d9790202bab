"""The days the app works with: a date outside them is refused as input, not computed around.

Filters turn "up to and including day D" into "before midnight after D"; for 9999-12-31 there is
no day after, and Python raises OverflowError (a 500). Nobody plans or reports on such days.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from marshmallow import validate
from wtforms.validators import StopValidation

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
OUT_OF_RANGE = f"Give a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}."


def within(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def parse_day(text: str) -> date:
    """A YYYY-MM-DD day within the app's range; ValueError otherwise."""
    day = date.fromisoformat(text)
    if not within(day):
        raise ValueError(OUT_OF_RANGE)
    return day


# The API's query schemas refuse such a date with 422 naming the parameter.
DAY_RANGE = validate.Range(min=FIRST_DAY, max=LAST_DAY, error=OUT_OF_RANGE)


def within_app_days(_form: object, field: object) -> None:
    """A WTForms validator: a page's date filter outside the range is a form message, not a 500."""
    value = getattr(field, "data", None)
    if isinstance(value, date) and not within(value):
        raise StopValidation(_l("Give a date from %(first)s to %(last)s.", first=FIRST_DAY.isoformat(),
                                last=LAST_DAY.isoformat()))


# Days on cross-site pages (the dashboard, an exporter's list across ports) are days in the viewer's zone:
# their own (set on their account page), else the program's: where its coordinators plan.
PROGRAM_ZONE = "America/Mexico_City"


def viewer_zone() -> str:
    """The zone a cross-site page's days are in: the signed-in user's own, else the program's."""
    from flask import current_app, has_app_context, has_request_context
    from flask_login import current_user

    own = getattr(current_user, "timezone", None) if has_request_context() else None
    if own and known_zone(own):
        return own
    return current_app.config.get("PROGRAM_TIMEZONE", PROGRAM_ZONE) if has_app_context() else PROGRAM_ZONE


def known_zone(name: str) -> bool:
    """An IANA zone name this machine knows."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def today_in(zone: str) -> date:
    """Today's date in a zone."""
    from zoneinfo import ZoneInfo

    from .models import utcnow

    return utcnow().astimezone(ZoneInfo(zone)).date()

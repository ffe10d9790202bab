"""Nothing is recorded before it can have happened: each refusal says the earliest time accepted."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from ...i18n import local_time
from ...models import utcnow
from ..errors import WorkflowError

# Devices' and browsers' clocks drift; a few minutes ahead is a clock, more is a wrong time.
CLOCK_SKEW = timedelta(minutes=5)


def not_before(moment: datetime, earliest: datetime, zone: str, field: str, what: str) -> None:
    """Refuse `moment` when it is before `earliest`, saying the time (in the site's zone) that would do."""
    if moment < earliest:
        raise WorkflowError(_("%(what)s can be recorded from %(when)s, not before.", what=what,
                              when=local_time(earliest, zone)), field=field)


def not_in_the_future(moment: datetime, zone: str, field: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    if moment > now + CLOCK_SKEW:
        raise WorkflowError(_("This time is in the future; it is %(now)s now.", now=local_time(now, zone)),
                            field=field)


def aware(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise WorkflowError(_("Give the time with its UTC offset."), field=field)
    return moment

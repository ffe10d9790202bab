"""Reference data checked by the exchange format's own reader, exactly as a scenario import checks it.

A site, inspector (with shifts) or exporter typed in a page or sent to the API is written as the
one entity of a scenario document and read by `scheduling.exchange.load_scenario`: whatever the
import refuses, an edit refuses too, with the same words. What only the database knows (codes
taken, lengths of columns, names of commodities) is checked beside it, in the services.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from scheduling import domain as sd
from scheduling.exchange import SCENARIO_FORMAT, ScenarioError, load_scenario

from ..errors import WorkflowError

# Any day will do: the horizon is not what is checked.
_HORIZON = {"start": "2027-01-04T00:00:00+00:00", "end": "2027-01-05T00:00:00+00:00"}
_PATH = re.compile(r"^\w+\[\d+\](?: \([^)]*\))?\.?")

# What each field needs, in the reader's language for the API and in the user's on the pages.
FIELD_HELP = {
    "code": _l("Give a code."), "name": _l("Give a name."), "kind": _l("Choose an inland site or a border port."),
    "country": _l("Choose Mexico or the United States."), "lat": _l("Latitude: a number from -90 to 90."),
    "lon": _l("Longitude: a number from -180 to 180."),
    "timezone": _l("Not a known time zone; use a name such as America/Mexico_City."),
    "bays": _l("Bays: a whole number, 1 or more."),
    "hours": _l("Opening hours: days of the week, and a time of day HH:MM that opens before it closes."),
    "commodities": _l("Choose the commodities."), "agency": _l("Choose APHIS, SENASICA or CBP."),
    "home_site": _l("Choose the home site."), "max_minutes_per_day": _l("Daily limit: whole minutes, 1 to 1440."),
    "shifts": _l("Each shift has a start and an end after it, with the time zone."),
}


class InvalidFields(WorkflowError):
    """Every field at fault, each with the reader's words (`field_messages`) and the page's (`localized`)."""

    def __init__(self, problems: dict[str, str]) -> None:
        first = next(iter(problems))
        super().__init__(f"{first}: {problems[first]}", field=first)
        self.problems = problems

    def field_messages(self, default_field: str = "_schema") -> dict[str, str]:
        return dict(self.problems)

    def localized(self) -> dict[str, str]:
        return {name: str(FIELD_HELP.get(name, message)) for name, message in self.problems.items()}


def _read(sites: list[dict], inspectors: list[dict] = (), exporters: list[dict] = ()) -> sd.Scenario:
    document = {"format": SCENARIO_FORMAT, "horizon": _HORIZON, "sites": sites, "inspectors": list(inspectors),
                "exporters": list(exporters), "requests": [], "rules": []}
    try:
        return load_scenario(document)
    except ScenarioError as error:
        problems: dict[str, str] = {}
        for problem in error.problems:
            rest = _PATH.sub("", problem.path)
            field = re.split(r"[.\[]", rest, maxsplit=1)[0] or "_schema"
            field = "code" if field == "id" else field  # the app calls ids codes
            problems.setdefault(field, f"{rest}: {problem.message}" if rest != field else problem.message)
        raise InvalidFields(problems) from None


def check_site(site: dict[str, Any]) -> sd.Site:
    """A site (exchange-format fields: id, name, kind, country, lat, lon, timezone, bays, hours, commodities)."""
    return _read([site]).sites[0]


def check_inspector(inspector: dict[str, Any]) -> sd.Inspector:
    """An inspector (id, agency, home_site, commodities, shifts, max_minutes_per_day).

    Its home site is written as a bare site of that code: whether the site exists is the
    database's question, and its own fields are not the inspector's problems.
    """
    home = inspector.get("home_site")
    stub = {"id": home if isinstance(home, str) and home.strip() else "?", "name": "-", "kind": "inland",
            "country": "MX", "lat": 0, "lon": 0, "timezone": "UTC", "bays": 1, "hours": [], "commodities": []}
    return _read([stub], inspectors=[inspector]).inspectors[0]


def check_exporter(exporter: dict[str, Any]) -> sd.Exporter:
    """An exporter's company fields (id, name)."""
    return _read([], exporters=[exporter]).exporters[0]


def refuse_if(problems: dict[str, str]) -> None:
    """Raise the problems found beside the reader, if any, all at once."""
    if problems:
        raise InvalidFields(problems)

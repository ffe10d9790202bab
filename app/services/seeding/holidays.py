"""Seeding the federal holidays of Mexico and the United States from their rules (seed_data/holidays.json)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ...models import Holiday
from ...models.site import WEEKDAYS
from .common import SeedError, SeedReport, load_json, upsert


def seed_holidays(session: Session, report: SeedReport) -> None:
    """Each country's holidays for the year before, this year and the years after, by (country, day)."""
    data = load_json("holidays.json")
    years = range(report.today.year - data["years_before"], report.today.year + data["years_after"] + 1)
    for country in ("US", "MX"):
        for rule in data[country]:
            for year in years:
                day = holiday_date(rule, year, observed=country == "US")
                if day is not None:
                    values = {"name_en": rule["name_en"], "name_es": rule["name_es"]}
                    upsert(session, report, "holiday", Holiday, {"country": country, "day": day}, values)


def holiday_date(rule: dict[str, Any], year: int, observed: bool = False) -> date | None:
    """The rule's date in a year (None when it does not fall that year); `observed` moves a weekend
    date to the Friday before or the Monday after, as US federal holidays are."""
    if year < rule.get("from_year", year) or (year - rule.get("from_year", year)) % rule.get("every_years", 1):
        return None
    if "day" in rule:
        day = date(year, rule["month"], rule["day"])
        if observed and day.weekday() == 5:
            return day - timedelta(days=1)
        if observed and day.weekday() == 6:
            return day + timedelta(days=1)
        return day
    if rule.get("weekday") not in WEEKDAYS or not rule.get("nth"):
        raise SeedError(f"holidays.json: {rule['name_en']} needs a day, or a weekday and nth")
    wanted = WEEKDAYS.index(rule["weekday"])
    days = [date(year, rule["month"], d) for d in range(1, calendar.monthrange(year, rule["month"])[1] + 1)]
    matching = [d for d in days if d.weekday() == wanted]
    return matching[rule["nth"] - 1] if rule["nth"] > 0 else matching[rule["nth"]]

"""Why a request is unscheduled: a reason code, its parameters and a sentence a coordinator can act on."""

from __future__ import annotations

from dataclasses import dataclass, field

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
TEMPLATES = {
    "no_site_for_commodity": "no inland site inspects {commodity}{among}",
    "window_too_short": "the window is shorter than inspection plus transit to {port} "
                        "({minutes} min from {site})",
    "too_far_from_origin": "the load cannot come from its packhouse to {site}, be inspected and "
                           "reach {port} before the deadline ({minutes} min on the road and inspecting)",
    "us_site_too_late": "{site} is north of the border: after crossing at {port} the truck cannot "
                        "get there and be inspected before the deadline ({minutes} min from the port)",
    "us_site_not_recognised": "{site} is north of the border, where only a shipment an active rule "
                              "recognises is inspected, and no rule recognises this {commodity} "
                              "crossing at {port}",
    "closed": "{site} is not open long enough between the ready time and the deadline",
    "no_aphis": "no APHIS inspector qualified for {commodity} is on shift at {site} "
                "before the deadline",
    "no_senasica": "no SENASICA inspector qualified for {commodity} is on shift at {site} "
                   "before the deadline",
    "no_border_slot": "no rule waives the border inspection and no CBP inspector qualified for "
                      "{commodity} is on shift at {port} after the inland inspection and "
                      "before the deadline",
    "bays_full": "every bay at {site} is taken on {date} by higher priority shipments",
    "inspectors_busy": "every {agency} inspector qualified for {commodity} who can reach {site} "
                       "is booked on {date} by higher priority shipments",
    "border_busy": "every CBP inspector and bay at {port} is booked before the deadline "
                   "by other shipments",
    "pinned_conflict": "a pinned assignment of this request cannot be kept: {detail}",
    "capacity": "no free combination of bay and inspectors at {site} on {date} fits beside "
                "higher priority shipments",
}


@dataclass(frozen=True)
class Explanation:
    """One reason in two forms: a code with parameters for translation, and English text."""

    code: str
    params: dict = field(default_factory=dict, hash=False)
    text: str = ""


def explanation(code: str, **params) -> Explanation:
    """Fill the template of a reason code; params stay plain strings and numbers."""
    values = dict(params)
    if code == "no_site_for_commodity":
        sites = values.get("sites") or []
        values["among"] = " among the exporter's sites" if sites else ""
    return Explanation(code, params, TEMPLATES[code].format(**values))


def capacity_explanation(instance, bookings, request_windows) -> Explanation:
    """Why a request that has windows was still left out: the resource that was full.

    Checks, over the request's own windows, whether bays, then each agency's qualified
    inspectors, then the border were the binding resource in the final plan.
    """
    request = request_windows.request
    site, first = _first_window(request_windows)
    day = instance.local_date(site, first)
    date, day = f"{day.day} {MONTHS[day.month - 1]}", day.isoformat()  # text, and a date to translate
    name = instance.scenario.site(site).name
    dur = request.inspection_minutes
    starts = _sample_starts(request_windows)
    if all(not bookings.bay_free(s, t, dur) for s, t in starts):
        return explanation("bays_full", site=name, date=date, day=day)
    for agency in ("APHIS", "SENASICA"):
        if all(bookings.first_free(instance.on_shift(agency, request.commodity, s, dur, t), s, t, dur) is None
               for s, t in starts):
            return explanation("inspectors_busy", agency=agency, commodity=request.commodity,
                               site=name, date=date, day=day)
    only_north = set(request_windows.north) == set(request_windows.inland)
    if not only_north and (request_windows.waive_from is None or not request_windows.border):
        return explanation("border_busy", port=instance.scenario.site(request.port).name)
    return explanation("capacity", site=name, date=date, day=day)


def _first_window(request_windows):
    site, ranges = min(request_windows.inland.items(), key=lambda item: item[1][0][0])
    return site, ranges[0][0]


def _sample_starts(request_windows, step: int = 15):
    # Every quarter hour of every window is enough to tell which resource was always full.
    samples = []
    for site, ranges in request_windows.inland.items():
        for lo, hi in ranges:
            samples.extend((site, t) for t in range(lo, hi + 1, step))
            samples.append((site, hi))
    return samples

"""Plan statistics beyond the objective: real inspector travel and utilisation of shift time."""

from __future__ import annotations

from scheduling.bookings import bookings_of
from scheduling.instance import Instance


def schedule_stats(instance: Instance, plan: dict) -> dict:
    """travel_minutes: driving along each shift (home to first site, then site to site);
    utilisation: inspection minutes over shift minutes of the inspectors with any shift;
    joint_us_site: shipments inspected north of the border instead of at the port."""
    bookings = bookings_of(instance, plan)
    travel = 0
    worked = 0
    for crew in instance.crews:
        items = bookings.items[crew.index]
        worked += sum(end - start for start, end, _ in items)
        for shift_start, shift_end in crew.shifts:
            where = crew.home
            for start, _, site in items:
                if shift_start <= start < shift_end:
                    travel += instance.travel(where, site)
                    where = site
    horizon = instance.clock.end_minute
    shift_minutes = sum(max(0, min(e, horizon) - max(s, 0)) for c in instance.crews for s, e in c.shifts)
    north = sum(1 for p in plan.values() if p.site in instance.windows[p.request].north)
    return {"travel_minutes": travel, "inspection_minutes": worked, "shift_minutes": shift_minutes,
            "utilisation": round(worked / shift_minutes, 4) if shift_minutes else 0.0,
            "joint_us_site": north}

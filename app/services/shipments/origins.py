"""Where a load is packed: its packhouse's place when known, else the centre of its origin state.

The optimizer (exchange format version 2) times a joint inspection from the load's origin; the app
records no packhouse places, so a shipment requested through a page, a file or the API starts at
the centre of its state. A scenario document that gives an origin is stored as it is.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from .checks import iso_state

STATE_CENTRES_FILE = Path(__file__).resolve().parents[3] / "seed_data" / "state_centres.json"


@functools.cache
def state_centres() -> dict[str, tuple[float, float]]:
    """(lat, lon) of each Mexican state's centre, by its ISO 3166-2 code (the one table of them)."""
    centres = json.loads(STATE_CENTRES_FILE.read_text(encoding="utf-8"))["centres"]
    return {code: (float(lat), float(lon)) for code, (lat, lon) in centres.items()}


def state_centre(origin_state: str | None) -> tuple[float, float] | None:
    """The centre of a state given by its ISO code or a common abbreviation; None for an unknown code."""
    return state_centres().get(iso_state((origin_state or "").strip().upper()))


def origin_of(origin_state: str | None, place: tuple[float, float] | None = None) -> tuple[float | None, float | None]:
    """(lat, lon) to store as a shipment's origin: the packhouse's place when given, else its state's centre."""
    return place or state_centre(origin_state) or (None, None)


def origin_columns(origin_state: str | None, place: tuple[float, float] | None = None) -> dict[str, float | None]:
    """The origin as Shipment column values, for code that builds a shipment from keywords."""
    lat, lon = origin_of(origin_state, place)
    return {"origin_lat": lat, "origin_lon": lon}

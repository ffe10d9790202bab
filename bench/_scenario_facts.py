"""Published facts and stated assumptions behind the benchmark scenarios: volumes, routes, hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Produce trucks a day at peak by port. Nogales ~1,000 and Pharr ~25% of 1,700-1,800 are
# published (see seed_data/reference/border-sites.csv). Otay Mesa carries 3,500+ trucks of all
# kinds; its produce share (~15%) and Laredo World Trade Bridge's (~5% of ~7,000) are
# assumptions, stated here so they can be changed in one place.
PORT_TRUCKS = {"US-NOGALES": 1000, "US-PHARR": 440, "US-OTAY": 525, "US-LAREDO-WTB": 350}


@dataclass(frozen=True)
class Flow:
    """Shipments of one commodity from some origin states through one port, as a share of it."""

    commodity: str
    states: tuple[str, ...]  # most common first
    port: str
    share: float
    near_border_site: str | None = None  # a US joint facility used by loads already at the border


FLOWS = (
    Flow("tomato", ("SIN", "SON"), "US-NOGALES", 0.30),
    Flow("bell_pepper", ("SIN", "SON"), "US-NOGALES", 0.18),
    Flow("cucumber", ("SIN", "SON"), "US-NOGALES", 0.18),
    Flow("grape", ("SON",), "US-NOGALES", 0.08),
    Flow("mango", ("SIN", "NAY"), "US-NOGALES", 0.06),
    Flow("tomato", ("SON", "SIN"), "US-NOGALES", 0.06, near_border_site="US-NOGALES-JIS"),
    Flow("cucumber", ("SON",), "US-NOGALES", 0.04, near_border_site="US-NOGALES-JIS"),
    Flow("avocado", ("MIC", "JAL"), "US-PHARR", 0.40),
    Flow("berries", ("JAL", "MIC", "GTO"), "US-PHARR", 0.15),
    Flow("lime", ("COL", "MIC"), "US-PHARR", 0.15),
    Flow("broccoli", ("GTO",), "US-PHARR", 0.10),
    Flow("mango", ("MIC",), "US-PHARR", 0.08),
    Flow("avocado", ("MIC",), "US-PHARR", 0.06, near_border_site="US-MCALLEN-JIS"),
    Flow("lime", ("COL",), "US-PHARR", 0.06, near_border_site="US-MCALLEN-JIS"),
    Flow("avocado", ("MIC", "JAL"), "US-LAREDO-WTB", 0.45),
    Flow("berries", ("GTO", "JAL", "MIC"), "US-LAREDO-WTB", 0.30),
    Flow("broccoli", ("GTO",), "US-LAREDO-WTB", 0.15),
    Flow("lime", ("COL",), "US-LAREDO-WTB", 0.10),
    Flow("berries", ("BC",), "US-OTAY", 0.55),
    Flow("tomato", ("BC",), "US-OTAY", 0.45),
)

# Inland joint sites that inspect a commodity from an origin state, nearest packing areas first.
INLAND_SITES = {
    ("avocado", "MIC"): ("MX-URUAPAN", "MX-TANCITARO", "MX-ZIRACUARETIRO"),
    ("avocado", "JAL"): ("MX-CDGUZMAN",),
    ("berries", "JAL"): ("MX-CDGUZMAN",),
    ("berries", "MIC"): ("MX-IRAPUATO", "MX-CDGUZMAN"),
    ("berries", "GTO"): ("MX-IRAPUATO",),
    ("berries", "BC"): ("MX-MESA-OTAY",),
    ("tomato", "SIN"): ("MX-CULIACAN",),
    ("tomato", "SON"): ("MX-HERMOSILLO",),
    ("tomato", "BC"): ("MX-MESA-OTAY",),
    ("bell_pepper", "SIN"): ("MX-CULIACAN",),
    ("bell_pepper", "SON"): ("MX-HERMOSILLO",),
    ("cucumber", "SIN"): ("MX-CULIACAN",),
    ("cucumber", "SON"): ("MX-HERMOSILLO",),
    ("grape", "SON"): ("MX-HERMOSILLO",),
    ("mango", "SIN"): ("MX-CULIACAN",),
    ("mango", "NAY"): ("MX-CULIACAN",),
    ("mango", "MIC"): ("MX-URUAPAN",),
    ("lime", "COL"): ("MX-TECOMAN",),
    ("lime", "MIC"): ("MX-TECOMAN",),
    ("broccoli", "GTO"): ("MX-IRAPUATO",),
}
NEAR_BORDER_SITES = ("US-MCALLEN-JIS", "US-NOGALES-JIS")

MON_SAT = ("mon", "tue", "wed", "thu", "fri", "sat")
WEEKDAYS_ONLY = MON_SAT[:5]
EVERY_DAY = MON_SAT + ("sun",)
# Opening hours (local time). Ports: UCP produce hours where published, else assumed.
PORT_HOURS = {
    "US-NOGALES": ((MON_SAT, "06:00", "22:00"), (("sun",), "08:00", "16:00")),
    "US-PHARR": ((WEEKDAYS_ONLY, "06:00", "24:00"), (("sat",), "06:00", "16:00")),
    "US-OTAY": ((WEEKDAYS_ONLY, "06:00", "19:00"), (("sat", "sun"), "08:00", "14:00")),
    "US-LAREDO-WTB": ((WEEKDAYS_ONLY, "07:00", "23:00"), (("sat",), "07:00", "15:00")),
}
INLAND_HOURS = ((MON_SAT, "06:00", "20:00"),)
MESA_OTAY_HOURS = ((WEEKDAYS_ONLY, "06:00", "19:00"), (("sat",), "08:00", "14:00"))

# Shift patterns (local start hour, end hour); 24 ends at midnight.
INLAND_SHIFTS = ((6, 14), (12, 20))
PORT_SHIFTS = {"US-PHARR": ((6, 14), (14, 22), (16, 24)), "US-LAREDO-WTB": ((7, 15), (15, 23))}
DEFAULT_PORT_SHIFTS = ((6, 14), (14, 22))

# Joint inspection minutes by commodity (a load of berries takes longer to sample than limes).
INSPECTION_MINUTES = {"avocado": 60, "berries": 75, "tomato": 45, "bell_pepper": 45, "cucumber": 45,
                      "grape": 60, "mango": 60, "lime": 45, "broccoli": 60}
PERISHABLE = {"berries", "tomato", "grape", "broccoli", "cucumber", "bell_pepper"}

EXPORTER_WORDS = (("Empacadora", "Exportadora", "Agrícola", "Productores", "Grupo", "Hortalizas"),
                  ("del Valle", "San José", "La Huerta", "El Sol", "Los Altos", "Santa Rosa",
                   "Las Palmas", "Tierra Fértil", "El Mirador", "Río Verde"),
                  ("S.A. de C.V.", "S.P.R. de R.L.", "S.A.P.I. de C.V."))


def rules(week_start: date) -> list[dict]:
    """An APHIS-SENASICA agreement's rules; cucumber, mango, grape and broccoli have none in force.

    The lime rule takes effect mid-week, so the crossing date decides whether it applies.
    """
    year = week_start.year
    base = {"agreement": f"MR-APHIS-SENASICA-{year}", "requires_seal": True, "valid_from": f"{year}-01-01",
            "valid_to": None, "active": True}
    return [
        {**base, "id": "MR-AVO-01", "commodities": ["avocado"], "origin_states": ["MIC", "JAL"],
         "ports": ["US-PHARR", "US-LAREDO-WTB"], "requires_certifications": ["OEA"],
         "max_hours_before_crossing": 48},
        {**base, "id": "MR-TOM-01", "commodities": ["tomato", "bell_pepper"], "origin_states": ["SIN", "SON"],
         "ports": ["US-NOGALES"], "requires_certifications": ["CTPAT"], "max_hours_before_crossing": 24,
         "valid_to": f"{year}-12-31"},
        {**base, "id": "MR-BER-01", "commodities": ["berries"], "origin_states": [], "ports": [],
         "requires_certifications": ["OEA"], "max_hours_before_crossing": 36},
        {**base, "id": "MR-LIM-01", "commodities": ["lime"], "origin_states": ["COL"], "ports": [],
         "requires_certifications": ["OEA", "CTPAT"], "max_hours_before_crossing": 48,
         "valid_from": (week_start + timedelta(days=3)).isoformat()},
        {**base, "id": "MR-GRA-01", "commodities": ["grape"], "origin_states": ["SON"],
         "ports": ["US-NOGALES"], "requires_certifications": ["CTPAT"], "max_hours_before_crossing": 24,
         "active": False},
    ]


def hours_of(site_id: str) -> tuple:
    if site_id in PORT_HOURS:
        return PORT_HOURS[site_id]
    return MESA_OTAY_HOURS if site_id == "MX-MESA-OTAY" else INLAND_HOURS


def open_days(site_id: str) -> list[int]:
    days = {day for period in hours_of(site_id) for day in period[0]}
    return [i for i, name in enumerate(EVERY_DAY) if name in days]


def site_commodities(site_id: str) -> list[str]:
    if site_id in PORT_TRUCKS or site_id in NEAR_BORDER_SITES:
        return ["*"]
    return sorted({c for (c, _), sites in INLAND_SITES.items() if site_id in sites})

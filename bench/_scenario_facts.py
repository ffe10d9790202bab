"""Published facts and stated assumptions behind the benchmark scenarios: volumes, routes, hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Produce trucks a day at peak by port. Nogales ~1,000 and Pharr ~25% of 1,700-1,800 are
# published (see seed_data/reference/border-sites.csv). Otay Mesa carries 3,500+ trucks of all
# kinds; its produce share (~15%) and Laredo World Trade Bridge's (~5% of ~7,000) are
# assumptions, stated here so they can be changed in one place.
PORT_TRUCKS = {"US-NOGALES": 1000, "US-PHARR": 440, "US-OTAY": 525, "US-LAREDO-WTB": 350}
# The national week adds the seed data's other four ports. Their produce volumes are assumptions
# (Calexico East carries ~1,000 trucks a day of all kinds, El Paso and Laredo Colombia more).
NATIONAL_PORT_TRUCKS = {**PORT_TRUCKS, "US-CALEXICO-E": 150, "US-SANTA-TERESA": 60, "US-YSLETA": 100,
                        "US-COLOMBIA": 100}


@dataclass(frozen=True)
class Flow:
    """Shipments of one commodity from some origin states through one port, as a share of it."""

    commodity: str
    states: tuple[str, ...]  # most common first
    port: str
    share: float
    near_border_site: str | None = None  # a US joint facility, reached after crossing (version 2)
    area: str | None = None  # where the packhouses are, when not the state's usual packing area


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
NATIONAL_FLOWS = FLOWS + (
    Flow("tomato", ("BC",), "US-CALEXICO-E", 0.5, area="BC-MEXICALI"),
    Flow("berries", ("BC",), "US-CALEXICO-E", 0.5, area="BC-MEXICALI"),
    Flow("bell_pepper", ("CHH",), "US-SANTA-TERESA", 0.6),
    Flow("tomato", ("CHH",), "US-SANTA-TERESA", 0.4),
    Flow("bell_pepper", ("CHH",), "US-YSLETA", 0.5),
    Flow("tomato", ("CHH",), "US-YSLETA", 0.3),
    Flow("cucumber", ("CHH",), "US-YSLETA", 0.2),
    Flow("avocado", ("MIC", "JAL"), "US-COLOMBIA", 0.5),
    Flow("berries", ("GTO", "JAL"), "US-COLOMBIA", 0.3),
    Flow("broccoli", ("GTO",), "US-COLOMBIA", 0.2),
)

# Packing areas (centre lat, lon and radius in km) where a load's packhouse is drawn; a load
# whose packhouse is unknown would be given the centre (version 2 needs an origin).
PACKING_AREAS = {
    "MIC": (19.42, -102.15, 40), "JAL": (19.75, -103.45, 40), "GTO": (20.60, -101.25, 40),
    "SIN": (24.90, -107.55, 50), "SON": (29.05, -111.20, 60), "NAY": (21.50, -104.90, 30),
    "COL": (18.95, -103.85, 25), "BC": (31.40, -116.20, 120), "BC-MEXICALI": (32.45, -115.25, 30),
    "CHH": (30.20, -106.90, 150),
}

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
    ("bell_pepper", "CHH"): ("MX-SAN-JERONIMO",),
    ("tomato", "CHH"): ("MX-SAN-JERONIMO",),
    ("cucumber", "CHH"): ("MX-SAN-JERONIMO",),
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
    # the national week's other ports, as in seed_data/sites.json
    "US-CALEXICO-E": ((WEEKDAYS_ONLY, "07:00", "17:00"), (("sat",), "10:00", "17:00")),
    "US-SANTA-TERESA": ((WEEKDAYS_ONLY, "08:00", "18:00"), (("sat",), "09:00", "14:00")),
    "US-YSLETA": ((WEEKDAYS_ONLY, "06:00", "24:00"), (("sat",), "08:00", "16:00")),
    "US-COLOMBIA": ((WEEKDAYS_ONLY, "08:00", "24:00"), (("sat",), "08:00", "16:00")),
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
    if site_id in NATIONAL_PORT_TRUCKS or site_id in NEAR_BORDER_SITES:
        return ["*"]
    return sorted({c for (c, _), sites in INLAND_SITES.items() if site_id in sites})

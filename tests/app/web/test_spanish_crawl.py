"""Issue 17: every page each role can reach speaks Spanish, proven by crawling the demo data.

Every demo account is set to Spanish; a breadth-first crawl (GET only, same site, no sign-out,
downloads, API or static files) follows the links of each role's pages from its home and the
navigation, and every visible text is checked: a text that is an English message of the catalog
whose Spanish differs, or a text made of common English words, is English a person would read.
Values people typed and data (names, codes, numbers, dates, units) are not the catalog's to translate.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from werkzeug.exceptions import HTTPException

from app.models import Interception, User
from app.models.base import Base
from app.reasons import APP_REASON_MESSAGES, REASON_MESSAGES, UNSCHEDULED_MESSAGES
from app.roles import ROLES
from app.services.seeding import seed

from ...factories import DEMO_PASSWORD

CATALOG = Path(__file__).resolve().parents[3] / "app" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
MAX_PAGES_PER_ROLE = 400
MAX_VISITS_PER_ENDPOINT = 40  # detail pages of several records, several filters: not every one of them
SKIPPED_PREFIXES = ("/static/", "/api/", "/logout", "/favicon", "/health", "/ready", "/metrics")
DOWNLOAD = re.compile(r"\.(csv|ics|pdf|json|xlsx|svg|png|txt|zip|xml)$|/(download|export)(/|$)", re.I)

# Words a Spanish sentence does not contain, but an English one nearly always does.
ENGLISH_WORDS = {
    "the", "and", "of", "with", "is", "are", "not", "for", "to", "this", "that", "from", "by", "has", "have",
    "was", "were", "be", "been", "or", "an", "at", "on", "in", "it", "its", "which", "will", "can", "cannot",
    "no", "yet", "none", "found", "no", "any", "all", "only", "after", "before", "until", "when", "who",
    "what", "your", "you", "there", "here", "than", "into", "each", "every", "should", "must", "may",
    "page", "pages", "shipment", "shipments", "inspection", "inspections", "request", "requests", "rule",
    "rules", "agreement", "status", "scheduled", "requested", "cancelled", "completed", "pending", "active",
    "draft", "suspended", "approved", "published", "open", "closed", "passed", "failed", "waived", "required",
    "yes", "none", "unknown", "inland", "border", "joint", "exporter", "inspector", "officer", "coordinator",
    "supervisor", "admin", "run", "runs", "site", "sites", "seal", "sealed", "report", "save", "cancel",
    "edit", "delete", "back", "next", "previous", "show", "hide", "search", "filter", "date", "time",
}
# Words both languages share or that are codes: never evidence of English on their own.
SHARED = {"no", "total", "general", "inspector", "supervisor", "admin", "a", "e", "o", "y", "u", "de", "en", "id", "ok", "api", "pdf", "csv", "ics",
          "usda", "aphis", "senasica", "cbp", "ctpat", "oea", "nom", "mx", "us", "utc", "cst", "cdt", "mst",
          "mdt", "pst", "pdt", "h", "min", "kg", "t", "km", "lb", "pallets", "jwp"}
# Proper names, codes and units that read the same in Spanish.
ALLOWED_TEXTS = {"English", "JointInspect", "USDA/APHIS", "SENASICA", "CBP", "C-TPAT", "OEA", "Hass"}
# The literal values a CSV file takes ("yes", "no"), quoted in the upload page's hint.
ALLOWED_PATTERNS = [re.compile(r"yes o no \(predeterminado (yes|no)\)")]


def _spanish_catalog() -> dict[str, str]:
    with CATALOG.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str) and m.string and m.string != m.id}


# Attributes whose text the page's scripts show (board.js, run-progress.js, request-form.js).
SCRIPT_TEXTS = ("data-drops", "data-failed", "data-heading", "data-ok", "data-required", "data-waived")


class VisibleText(HTMLParser):
    """Text nodes and the visible attributes of a page, and its links."""

    HIDDEN = {"script", "style", "template", "code", "pre", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden: script, or marked as data)
        self.texts: list[str] = []
        self.links: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # A part marked lang="en" is English by design (the emergency action notice, in both languages).
        hidden = (tag in self.HIDDEN or attributes.get("translate") == "no" or attributes.get("hidden") is not None
                  and tag != "input" or "data" in (attributes.get("class") or "").split()
                  or (attributes.get("lang") or "es")[:2] not in ("es",) and tag != "html")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if not hidden and not self._hidden():
            for name in ("title", "aria-label", "placeholder", "alt", *SCRIPT_TEXTS):
                if attributes.get(name):
                    self.texts.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.texts.append(attributes["value"])
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.texts.append(data)


def _looks_english(text: str, catalog: dict[str, str]) -> bool:
    if not text or text in ALLOWED_TEXTS or any(p.fullmatch(text) for p in ALLOWED_PATTERNS):
        return False
    if text in catalog or text.rstrip(":.") in catalog:
        return True
    if re.search(r"\bNone\b|\bno\b .*\bfound\b", text, re.I if "found" in text else 0):
        return True
    if RAW_CODE.fullmatch(text):  # "at_border", "request.sealed": a code shown where a word belongs
        return True
    # A word with an underscore is a code (a CSV column, a field name), not English prose.
    words = [w.lower() for w in re.findall(r"[A-Za-z_]+(?:'[a-z]+)?", text) if "_" not in w]
    english = [w for w in words if w in ENGLISH_WORDS and w not in SHARED]
    return len(english) >= 2 or (len(words) == 1 and bool(english) and text == text.lower())


def english_in(texts: list[str], catalog: dict[str, str], data: list[str] = ()) -> list[str]:
    """The texts a Spanish reader would find in English; `data` (longest first) is what people typed."""
    found, data_set = [], set(data)
    for raw in texts:
        text = " ".join(raw.split())
        if not _looks_english(text, catalog):
            continue
        if text in data_set:  # a whole text that is data (a username that is also a role's word)
            continue
        if data and text not in catalog:
            for value in data:  # names, notes and descriptions people typed are theirs, not the catalog's
                if value in text:
                    text = text.replace(value, " ")
            text = " ".join(text.split())
            if not _looks_english(text, catalog) or not re.search(r"[A-Za-z]{2}", text):
                AS_DATA.add(" ".join(raw.split()))
                continue
        found.append(" ".join(raw.split()))
    return found


# Columns holding codes the pages must translate, even where they look like names ("Shipment").
CODE_COLUMNS = {("audit_log", "entity_type"), ("audit_log", "action")}
RAW_CODE = re.compile(r"[a-z]+(?:[_.][a-z]+)+")
AS_DATA: set[str] = set()  # texts taken for data, for a person to look over when the crawl changes
CODE = re.compile(r"[a-z0-9_.\-]+")  # an enum, a status or an action: the catalog's to translate
MESSAGES = [m._args[0] if hasattr(m, "_args") else str(m)
            for table in (REASON_MESSAGES, APP_REASON_MESSAGES, UNSCHEDULED_MESSAGES) for m in table.values()]
GENERATED = [re.compile(re.sub(r"%\\\(\w+\\\)s", ".+", re.escape(m))) for m in MESSAGES]


def typed_data(session) -> list[str]:
    """Every text people typed or loaded into the database, longest first: names, notes, descriptions.

    Codes (a status, an action, an enum: lower case, no spaces) and the reasons the app itself wrote
    are not data: those are the catalog's to translate. Usernames are data even when they look like codes.
    """
    values: set[str] = set()
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text))
                   and (table.name, c.name) not in CODE_COLUMNS]
        for column in columns:
            for value in session.scalars(sa.select(column).where(column.is_not(None)).distinct()):
                _add_data(values, value, column.name == "username")
        for column in [c for c in table.columns if isinstance(c.type, sa.JSON) and table.name != "audit_log"]:
            for document in session.scalars(sa.select(column).where(column.is_not(None))):
                for value in _leaves(document):  # a reason's parameters: what the officer typed
                    _add_data(values, value, False)
    return sorted(values, key=len, reverse=True)


def _add_data(values: set[str], value: object, username: bool) -> None:
    value = " ".join(str(value).split())
    if len(value) < 3 or (CODE.fullmatch(value) and not username):
        return
    if any(pattern.fullmatch(value) for pattern in GENERATED):
        return
    values.add(value)


def _leaves(document: object):
    if isinstance(document, dict):
        for value in document.values():
            yield from _leaves(value)
    elif isinstance(document, list):
        for value in document:
            yield from _leaves(value)
    elif isinstance(document, str):
        yield document


@pytest.fixture
def demo(db_session, app):
    """The demo data, every account in Spanish, and a plan run not yet published (for the publish page)."""
    seed(db_session, demo_accounts=True)
    db_session.execute(sa.update(User).values(language="es"))
    db_session.commit()
    coordinator = app.test_client()
    coordinator.post("/login", data={"username": "coordinator", "password": DEMO_PASSWORD})
    tomorrow = (datetime.now(timezone.utc).date() + timedelta(days=1)).isoformat()
    started = coordinator.post("/coordinator/runs", data={"start_date": tomorrow, "days": 3, "time_limit_s": 1})
    assert started.status_code == 302
    return app


def extra_starts(session, role: str) -> list[str]:
    """Pages of the demo data that the role's own links do not lead to: the officer of one port
    opens an intercepted load at another from the load's number, not from a list."""
    if role == "officer":
        return [f"/officer/shipments/{i}" for i in session.scalars(sa.select(Interception.request_id).distinct())]
    return []


def _endpoint(app, path: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(path, method="GET")
    except HTTPException:
        return None
    return endpoint


def crawl(app, role: str, catalog: dict[str, str], data: list[str],
          starts: list[str] = ()) -> tuple[Counter, list[tuple[str, str]]]:
    """Visit what `role` can reach from its home page; return the endpoints seen and the English found."""
    client = app.test_client()
    assert client.post("/login", data={"username": role, "password": DEMO_PASSWORD}).status_code == 302
    queue, seen, visits, english = Frontier(app), {"/", *starts}, Counter(), []
    for url in ("/", *starts):
        queue.append(url)
    pages = 0
    while queue and pages < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        pages += 1
        if response.status_code in (301, 302, 303, 307, 308):
            target = urlsplit(urljoin("http://localhost" + url, response.headers["Location"]))
            _enqueue(app, target, queue, seen, visits)
            continue
        if "text/html" not in response.content_type:
            continue
        endpoint = _endpoint(app, urlsplit(url).path)
        if endpoint:
            visits[endpoint] += 1
        parser = VisibleText()
        parser.feed(response.get_data(as_text=True))
        english.extend((f"{response.status_code} {url}", text) for text in english_in(parser.texts, catalog, data))
        for href in parser.links:
            _enqueue(app, urlsplit(urljoin("http://localhost" + url, href)), queue, seen, visits)
    return visits, english


class Frontier:
    """Links waiting for a visit, one line per route: the next page is of the route visited least so far,
    so a route behind a rare link (the notice of an intercepted load) is reached before the cap."""

    def __init__(self, app) -> None:
        self.app, self.lines, self.taken = app, {}, Counter()

    def append(self, url: str) -> None:
        self.lines.setdefault(_endpoint(self.app, urlsplit(url).path), deque()).append(url)

    def popleft(self) -> str:
        endpoint = min((e for e, line in self.lines.items() if line), key=lambda e: self.taken[e])
        self.taken[endpoint] += 1
        return self.lines[endpoint].popleft()

    def __bool__(self) -> bool:
        return any(self.lines.values())

    def queued(self, endpoint: str) -> int:
        return self.taken[endpoint] + len(self.lines.get(endpoint, ()))


def _enqueue(app, target, queue, seen, visits) -> None:
    if target.netloc not in ("", "localhost") or target.scheme not in ("", "http"):
        return
    path = target.path
    if path.startswith(SKIPPED_PREFIXES) or DOWNLOAD.search(path):
        return
    url = path + (f"?{target.query}" if target.query else "")
    if url in seen:
        return
    endpoint = _endpoint(app, path)
    if endpoint is None or endpoint == "static":
        return
    if queue.queued(endpoint) >= MAX_VISITS_PER_ENDPOINT:
        return
    seen.add(url)
    queue.append(url)


def page_endpoints(app) -> set[str]:
    """The routes that answer a person's GET with a page: not the API, files, or the sign-out."""
    found = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith(SKIPPED_PREFIXES):
            continue
        if DOWNLOAD.search(rule.rule) or rule.endpoint in NOT_PAGES:
            continue
        found.add(rule.endpoint)
    return found


# GET routes that are not pages a person reads (answers for scripts, files, redirects and sign-in pages
# reached without a session): the crawl does not need them.
NOT_PAGES = {
    "auth.login", "auth.reset", "web.home", "password_setup.reset",  # the last from a one-time link "favicon.favicon", "health.health", "health.ready",
}


def test_every_page_each_role_reaches_speaks_spanish(demo, db_session):
    catalog = _spanish_catalog()
    # Data equal to a message of the catalog is not taken as data, except usernames ("exporter").
    usernames = set(db_session.scalars(sa.select(User.username)))
    data = [value for value in typed_data(db_session) if value not in catalog or value in usernames]
    reached: Counter = Counter()
    problems = []
    for role in ROLES:
        visits, english = crawl(demo, role, catalog, data, extra_starts(db_session, role))
        assert len(visits) >= 3, f"{role} reached almost nothing: {sorted(visits)}"
        reached.update(visits)
        problems += [f"  {role} {where}: {text!r}" for where, text in sorted(set(english))]
    missed = sorted(page_endpoints(demo) - set(reached))
    print(f"crawl: {sum(reached.values())} pages, {len(reached)} routes; not reached: {missed}")
    assert not problems, f"{len(problems)} English texts:\n" + "\n".join(problems)
    assert not missed, f"routes no role reached through a link: {missed}"


def test_the_detector_finds_english_and_leaves_spanish_and_data_alone():
    catalog = {"Shipment": "Embarque", "No entries match.": "Ninguna entrada coincide."}
    texts = ["Shipment", "No entries match.", "Embarque", "No shipments found", "the run is published",
             "requested", "Solicitado", "MX-URUAPAN", "2026-12-03 10:14", "Hass", "12 kg", "English", "at_border",
             "objetivo None", "columnas: program, certificate_id, status_since"]
    assert english_in(texts, catalog) == ["Shipment", "No entries match.", "No shipments found",
                                          "the run is published", "requested", "at_border", "objetivo None"]
    # What people typed is theirs: a site's English name inside a Spanish sentence is not the catalog's.
    assert english_in(["Turnos en Nogales joint inspection facility"], {}, ["Nogales joint inspection facility"]) == []
    parser = VisibleText()
    parser.feed('<p>Hola <script>var the = "and of";</script><code>{"status": "the end"}</code>'
                '<a href="/x" title="Open the page">x</a><span class="data">the and</span></p>')
    assert parser.texts == ["Hola ", "Open the page", "x"] and parser.links == ["/x"]

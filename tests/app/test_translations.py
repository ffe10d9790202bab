"""Every message the app shows has its Spanish translation, and the catalog is current."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

APP = Path(__file__).resolve().parents[2] / "app"
METHOD_MAP = [("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _spanish() -> dict[str, str]:
    with (APP / "translations" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def _messages_in_code() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(APP), METHOD_MAP, keywords=KEYWORDS, options_map={"templates/**.html": {}}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_in_the_code_has_a_spanish_translation():
    spanish = _spanish()
    untranslated = sorted(m for m in _messages_in_code() if not spanish.get(m))
    assert untranslated == [], "run pybabel extract and app/translations/fill_catalog.py, then translate"

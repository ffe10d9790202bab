"""Bring the Spanish catalog up to date with the template and report what is still untranslated.

Run by update.sh after `pybabel extract`: keeps every existing translation, adds new messages,
drops vanished ones, fills empty ones from JSON files given as arguments ({"English": "Español"}),
and exits 1 listing the messages that still need Spanish.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).parent
PO = HERE / "es" / "LC_MESSAGES" / "messages.po"


def main(translation_files: list[str]) -> int:
    with (HERE / "messages.pot").open("rb") as f:
        template = read_po(f)
    catalog = Catalog(locale="es")
    if PO.exists():
        with PO.open("rb") as f:
            catalog = read_po(f, locale="es")
    catalog.update(template, no_fuzzy_matching=True)
    for path in translation_files:
        spanish = json.loads(Path(path).read_text(encoding="utf-8"))
        for message in catalog:
            if message.id and not message.string and message.id in spanish:
                message.string = spanish[message.id]
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, catalog, omit_header=False, no_location=True, sort_output=True, ignore_obsolete=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    for message_id in missing:
        print(f"untranslated: {message_id!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""mr_agreements stays pure Python: no web framework, ORM, schema library or app imports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mr_agreements"
FORBIDDEN = ("flask", "sqlalchemy", "marshmallow", "app")
IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+))", re.MULTILINE)


def imported_top_level_names(source: str) -> set[str]:
    names = set()
    for from_module, plain in IMPORT.findall(source):
        modules = [from_module] if from_module else [m.split(" as ")[0] for m in plain.split(",")]
        names.update(m.strip().split(".")[0] for m in modules if m.strip())
    return names


def test_scanner_sees_imports():
    assert imported_top_level_names("import flask\nfrom app.models import X\n") == {"flask", "app"}


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_module_imports_nothing_forbidden(path):
    imported = imported_top_level_names(path.read_text(encoding="utf-8"))
    assert not imported & set(FORBIDDEN), f"{path.name} imports {imported & set(FORBIDDEN)}"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_module_opens_with_a_one_line_docstring(path):
    first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
    assert first.startswith('"""') and first.endswith('"""') and len(first) > 6

"""scheduling stays pure Python (no web, ORM, schema or app imports) and asks mr_agreements in one place."""

from __future__ import annotations

import pytest

from tests.scheduling.package_source import MODULES, PACKAGE, import_statements, imported_modules

FORBIDDEN = ("flask", "sqlalchemy", "marshmallow", "app")
# Domain dataclasses the scenario itself is made of; everything else of mr_agreements is a decision.
MR_DOMAIN = {("mr_agreements.domain", "Certification"), ("mr_agreements.domain", "Rule")}
PATHS = sorted(MODULES.values())


def name_of(path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_the_scanner_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text("import flask\n\ndef f():\n    from app.models import X\n", encoding="utf-8")
    assert imported_modules(source) == {"flask", "app.models"}


@pytest.mark.parametrize("path", PATHS, ids=name_of)
def test_module_imports_nothing_forbidden(path):
    top_level = {module.split(".")[0] for module in imported_modules(path)}
    assert not top_level & set(FORBIDDEN), f"{name_of(path)} imports {top_level & set(FORBIDDEN)}"


def test_only_the_waiver_module_asks_mr_agreements_for_decisions():
    """Shipments are built and rules judged in one place, so planner and validator cannot disagree."""
    adapters = set()
    for path in PATHS:
        for module, names in import_statements(path):
            if module.split(".")[0] == "mr_agreements" and not {(module, n) for n in names} <= MR_DOMAIN:
                adapters.add(name_of(path))
    assert adapters == {"scheduling/waiver.py"}


@pytest.mark.parametrize("path", [p for p in PATHS if p != PACKAGE / "__init__.py"], ids=name_of)
def test_module_opens_with_a_one_line_docstring(path):
    first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
    assert first.startswith('"""') and first.endswith('"""') and len(first) > 6


def test_the_package_docstring_opens_with_a_summary_line():
    # The package docstring goes on to lay out the stages; its first line still sums it up.
    first = (PACKAGE / "__init__.py").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith('"""') and first.endswith(".") and len(first) > 6

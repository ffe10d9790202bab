"""The shape of the code: no import circles, one door to the rules engine, services by capability."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "scheduling", "mr_agreements")


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every first-party module by dotted name, with its file and whether it is a package."""
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return modules


MODULES = _modules()


def _known(name: str) -> str | None:
    """The first-party module a dotted name lives in (a name inside a module counts as the module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    return skipped


def imports_of(module: str) -> set[str]:
    """First-party modules `module` imports when it runs, function-level imports included."""
    path, is_package = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(filter(None, (_known(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = module.split(".") if is_package else module.split(".")[:-1]
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                found.update(filter(None, [_known(f"{target}.{alias.name}") or _known(target)]))
    found.discard(module)
    return found


def import_circles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    graph = {module: imports_of(module) for module in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return circles


def test_the_graph_sees_relative_and_function_level_imports():
    assert "app.services.recognition" in imports_of("app.services.planning.plan_changes")
    assert "app.services.planning.run_queue" in imports_of("app.services.planning.executors")


def test_no_import_circle_anywhere():
    assert import_circles() == []


def test_only_the_recognition_door_imports_the_rules_engine():
    importers = sorted(module for module in MODULES if module.startswith("app")
                       and any(name.startswith("mr_agreements") for name in imports_of(module)))
    assert importers == ["app.services.recognition"]


def test_services_are_a_dozen_capabilities_at_most():
    services = ROOT / "app" / "services"
    entries = sorted(p.name for p in services.iterdir() if p.name != "__pycache__")
    assert len(entries) <= 12, entries
    for entry in services.iterdir():
        if entry.is_dir() and entry.name != "__pycache__":
            docstring = ast.get_docstring(ast.parse((entry / "__init__.py").read_text(encoding="utf-8")))
            assert docstring and len(docstring) > 40, f"services/{entry.name} must say what it owns"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("app")))
def test_every_module_opens_with_a_docstring(module):
    path, _ = MODULES[module]
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{path} has no docstring"

"""The scheduling package read as source with ast: its modules by dotted name and what each imports."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "scheduling"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def import_statements(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module, imported names) of every import, including those inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative imports hide where a name comes from"
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


def imported_modules(path: Path) -> set[str]:
    """Dotted names of the modules one module imports; `from package import module` names the module."""
    result = set()
    for module, names in import_statements(path):
        submodules = {f"{module}.{name}" for name in names} & MODULES.keys()
        result |= submodules or {module}
        if len(submodules) < len(names):
            result.add(module)  # some names come from the package itself
    return result

"""scheduling's modules import one another without a circle, each stage only from the stages above it."""

from __future__ import annotations

import re

import scheduling
from tests.scheduling.package_source import MODULES, imported_modules

GRAPH = {name: imported_modules(path) & MODULES.keys() for name, path in MODULES.items()}
# The stage list in the package docstring, e.g. "  model/        the CP-SAT model: ..."
STAGES = re.findall(r"^  (\w+)/?\s{2,}\S", scheduling.__doc__, re.MULTILINE)


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None  # None: the package itself, above every stage


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as the modules along it, or None when the graph is acyclic."""
    done, path = set(), []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        path.append(module)
        for imported in sorted(graph[module]):
            cycle = visit(imported)
            if cycle:
                return cycle
        path.pop()
        done.add(module)
        return None

    return next((c for c in map(visit, sorted(graph)) if c), None)


def test_find_cycle_finds_a_circle_and_accepts_a_chain():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_the_package():
    assert "scheduling.solver" in GRAPH and "scheduling.model.rules" in GRAPH
    assert "scheduling.validation" in GRAPH["scheduling.search"]


def test_no_import_circles():
    assert find_cycle(GRAPH) is None, " -> ".join(find_cycle(GRAPH))


def test_every_module_belongs_to_a_stage_named_in_the_package_docstring():
    assert len(STAGES) == len(set(STAGES))
    assert {stage_of(m) for m in MODULES} - {None} == set(STAGES)


def test_each_stage_imports_only_the_stages_above_it():
    upward = [(module, imported) for module, imports in GRAPH.items() for imported in imports
              if stage_of(module) and stage_of(imported) and stage_of(module) != stage_of(imported)
              and STAGES.index(stage_of(imported)) > STAGES.index(stage_of(module))]
    assert upward == []

"""The emulator's module dependency rules (ARCHITECTURE.md), read from the source with
``ast``: no import cycle, and no import in a forbidden direction. Imports under
``TYPE_CHECKING`` and inside functions count too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "emulator" / "batch_emulator"

#: Area (a top-level module or subpackage) -> the areas it may import.
ALLOWED: dict[str, set[str]] = {
    "clock": set(),
    "errors": set(),
    "faults": set(),
    "protocols": set(),
    "stats": set(),
    "store": set(),
    "tls": set(),
    "tokens": set(),
    "auth": {"clock", "errors", "tokens"},
    "engine": {"clock", "errors", "protocols"},
    "service": {"clock", "errors", "protocols", "store"},
    "api": {"auth", "clock", "errors", "faults", "service", "stats", "tokens"},
    "app": {"api", "auth", "clock", "engine", "protocols", "service", "stats", "store", "tokens"},
    "cli": {"app", "engine", "errors", "faults", "tls", "tokens"},
    "testing": {"auth", "cli"},  # the launcher for tests, benchmarks and the demo
    "": {"app"},  # the package's __init__
}
#: Inside the engine: the modules the coordinator (``_engine``), the thread bodies
#: (``_work``) and the endings (``_endings``) are built from never import those three.
ENGINE_TOP = {"_engine", "_work", "_endings"}
ENGINE_ALLOWED = {"_engine": {"_work", "_endings"}, "_select": {"_engine"}, "": {"_engine"}}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("batch_emulator", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, source: str, *, is_package: bool = False) -> Iterator[str]:
    """The emulator modules ``module`` imports (``from pkg import sub`` names ``pkg.sub``)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            subs = [f"{base}.{alias.name}" for alias in node.names]
            targets = [s for s in subs if s in MODULES] or [base]
        else:
            continue
        yield from (t for t in targets if t in MODULES and t != module)


GRAPH = {
    module: set(_imports(module, path.read_text(), is_package=path.name == "__init__.py"))
    for module, path in MODULES.items()
}


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_dependency_rules_know_every_area() -> None:
    assert {_area(m) for m in MODULES} == set(ALLOWED)


def test_no_import_goes_in_a_forbidden_direction() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _area(target) != _area(module) and _area(target) not in ALLOWED[_area(module)]
    ]
    assert wrong == []


def test_routes_use_only_the_service_package_itself() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _area(module) == "api"
        for target in targets
        if _area(target) == "service" and target != "batch_emulator.service"
    ]
    assert wrong == []


def test_engine_parts_never_import_their_coordinator() -> None:
    wrong = []
    for module, targets in GRAPH.items():
        if _area(module) != "engine":
            continue
        name = module.split(".")[2] if module.count(".") > 1 else ""
        for target in targets:
            other = target.split(".")[2] if target.count(".") > 1 else ""
            if other in ENGINE_TOP and other not in ENGINE_ALLOWED.get(name, set()):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def test_no_import_cycle() -> None:
    assert _cycles(GRAPH) == []


def test_the_checker_sees_cycles_and_imports_under_type_checking() -> None:
    """The rules above would pass vacuously if imports were missed."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    source = (
        "from typing import TYPE_CHECKING\n"
        "from batch_emulator.service import states\n"
        "if TYPE_CHECKING:\n"
        "    from batch_emulator.engine._engine import ProcessEngine\n"
        "def late() -> None:\n"
        "    from . import _slots\n"
    )
    found = set(_imports("batch_emulator.engine._work", source))
    assert found == {
        "batch_emulator.service.states",
        "batch_emulator.engine._engine",
        "batch_emulator.engine._slots",
    }

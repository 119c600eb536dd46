"""How the tests are laid out, read from the source with ``ast``: helpers live in
``tests/support`` and fixtures in ``conftest.py`` files; no module under ``tests/``
imports a test module, a conftest or any other module outside ``tests/support``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SUPPORT = TESTS / "support"


def _python_files() -> list[Path]:
    """Every module under tests/ except the Pulumi programs the tests deploy."""
    return [p for p in sorted(TESTS.rglob("*.py")) if "programs" not in p.relative_to(TESTS).parts]


def _outside_support() -> set[str]:
    """Names by which a module outside tests/support could be imported: its file name
    (test directories are on ``sys.path`` under pytest) and its dotted path."""
    names = set()
    for path in _python_files():
        if path.is_relative_to(SUPPORT) or path.name == "__init__.py":
            continue
        names.add(path.stem)
        names.add(".".join(("tests", *path.relative_to(TESTS).with_suffix("").parts)))
    return names


def forbidden_imports(source: str, local: set[str]) -> Iterator[str]:
    """The imports in ``source`` of a test-side module (``local``) or relative imports."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                yield "." * node.level + (node.module or "")
                continue
            base = node.module or ""
            targets = [*(f"{base}.{alias.name}" for alias in node.names), base]
        else:
            continue
        for target in targets:
            outside = target.startswith("tests.") and not target.startswith("tests.support")
            if target in local or target.split(".")[0] in local or outside:
                yield target
                break


def test_no_module_under_tests_imports_a_test_module() -> None:
    local = _outside_support()
    wrong = [
        f"{path.relative_to(TESTS)}: {target}"
        for path in _python_files()
        for target in forbidden_imports(path.read_text(), local)
    ]
    assert wrong == []


def test_helpers_live_in_tests_support() -> None:
    helpers = [
        str(path.relative_to(TESTS))
        for path in _python_files()
        if not path.is_relative_to(SUPPORT)
        and not path.name.startswith("test_")
        and path.name not in {"conftest.py", "__init__.py"}
    ]
    assert helpers == []


def test_the_checker_sees_every_kind_of_import_of_a_test_module() -> None:
    """The rule above would pass vacuously if imports were missed."""
    local = {"test_jobs", "conftest", "tests.e2e.conftest", "tests.integration.test_jobs"}
    source = (
        "from test_jobs import spec\n"
        "from tests.e2e.conftest import StackFactory\n"
        "from tests.integration import test_jobs\n"
        "import tests.integration.test_jobs\n"
        "from ._spec import operations\n"
        "def late() -> None:\n"
        "    from tests.reliability.programs import x\n"
        "from tests.support.engine import Bench\n"
        "from batch_emulator.testing import start_emulator\n"
    )
    assert list(forbidden_imports(source, local)) == [
        "test_jobs.spec",
        "tests.e2e.conftest.StackFactory",
        "tests.integration.test_jobs",
        "tests.integration.test_jobs",
        "._spec",
        "tests.reliability.programs.x",
    ]

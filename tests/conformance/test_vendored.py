"""What the emulator vendors from the spec is what the spec says today: the request-body
schemas it validates and every operation's method and path (its routes are named by
operationId and take both from there)."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path
from types import ModuleType

from tests.support.rest_spec import operations, spec

REPO_ROOT = Path(__file__).resolve().parents[2]


def _vendor_script() -> ModuleType:
    path = REPO_ROOT / "emulator" / "scripts" / "vendor_schema.py"
    loaded = importlib.util.spec_from_file_location("vendor_schema", path)
    assert loaded and loaded.loader
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


def _vendored(package: str, name: str) -> object:
    return json.loads(resources.files(package).joinpath(name).read_text())


def test_the_vendored_operations_are_the_specs() -> None:
    wanted = {name: [method, path] for name, (method, path, _) in operations().items()}
    assert _vendored("batch_emulator.api", "_operations.json") == wanted


def test_the_vendored_schemas_are_the_specs() -> None:
    wanted = _vendor_script().definitions(spec())
    assert _vendored("batch_emulator.service", "_schema.json") == wanted


def test_every_route_is_a_spec_operation_with_its_path() -> None:
    from batch_emulator.api import jobs, pools, tasks
    from batch_emulator.api._operations import route_path

    specified = operations()
    for route in [*jobs.routes(), *pools.routes(), *tasks.routes()]:
        method, path, _ = specified[route.name]
        assert (sorted(route.methods or []), route.path) == (
            sorted({method, "HEAD"} if method == "GET" else {method}),
            route_path(path),
        )

"""What one job costs inside the provider plugin, without the engine around it.

Measures, in fresh interpreters and in-process against a running emulator: the import of
the plugin's server module (what each ``pulumi`` command pays when it starts the plugin),
the wire mapping, ``check()`` (validation and the generated id), ``to_rest`` (the REST
bodies), client construction, and a whole ``create()``. Not a test: it measures.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from typing import Any, cast

from component_bench import BENCH, ROOT, _delete_jobs
from spec import job_spec, wire_properties

from batch_emulator.testing import EmulatorHandle
from pulumi_azure_batch_jobs.core._connection import make_client, resolve_connection
from pulumi_azure_batch_jobs.provider import _spec_bridge as bridge
from pulumi_azure_batch_jobs.provider._props import BatchJobInputs
from pulumi_azure_batch_jobs.provider._wire import from_wire, to_wire
from tests.support.native_provider import URN, configured, ignore

IMPORT_SCRIPT = (
    "import time; t = time.perf_counter(); "
    "import pulumi_azure_batch_jobs.provider._server; print(time.perf_counter() - t)"
)


def import_seconds(repeats: int) -> list[float]:
    """Seconds to import the plugin's server module in a fresh interpreter."""
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", IMPORT_SCRIPT],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
        )
        for _ in range(repeats)
    ]


def _ms(action: Any, repeats: int) -> list[float]:
    samples = []
    for i in range(repeats):
        began = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def per_call(emu: EmulatorHandle, tasks: int, repeats: int) -> dict[str, list[float]]:
    """Milliseconds per call of the provider's steps for one job with ``tasks`` tasks."""
    provider = configured(emu)
    wire = wire_properties(job_spec("cost", tasks, 0))
    wire_props, secrets = from_wire(wire)
    props = cast(BatchJobInputs, wire_props)
    checked, failures = provider.check(URN.format(name="cost"), {}, props)
    assert not failures, failures
    connection = resolve_connection(
        endpoint=emu.endpoint, account_name=emu.account, account_key=emu.key
    )

    def create(i: int) -> None:
        urn = URN.format(name=f"cost-{i}")
        asyncio.run(provider.create(urn, {**checked, "job_id": f"cost-{i}"}, ignore))

    create(-1)  # warm: the client and its connections
    costs = {
        "wire_mapping_ms": _ms(lambda i: to_wire(from_wire(wire)[0], secrets), repeats),
        "check_ms": _ms(lambda i: provider.check(URN.format(name="cost"), {}, props), repeats),
        "to_rest_ms": _ms(lambda i: bridge.to_rest(checked), repeats),
        "make_client_ms": _ms(lambda i: make_client(connection), repeats),
        "create_ms": _ms(create, repeats),
    }
    _delete_jobs(emu, [f"cost-{i}" for i in range(-1, repeats)])
    return costs


def measure(emu: EmulatorHandle, tasks: int, repeats: int) -> dict[str, Any]:
    """Import time (fresh interpreters) and per-call costs (in this process)."""
    sys.path.insert(0, str(BENCH / "stacklib"))
    return {"import_seconds": import_seconds(repeats), **per_call(emu, tasks, repeats * 10)}

"""What one job costs inside the provider process, without the engine around it.

Measures, in fresh interpreters and in-process against a running emulator: the import
of the provider module (what the dynamic provider host pays when it unpickles
``__provider``), ``check()`` (validation), ``to_rest`` (the REST bodies), client
construction, and a whole ``create()``. Not a test: it measures.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

from component_bench import BENCH, ROOT, _delete_jobs
from spec import job_spec

from tests.support.emulator import EmulatorHandle

IMPORT_SCRIPT = (
    "import time; import pulumi.dynamic; t = time.perf_counter(); "
    "import pulumi_azure_batch_jobs.dynamic_provider; print(time.perf_counter() - t)"
)


def import_seconds(repeats: int) -> list[float]:
    """Seconds to import the provider module after ``pulumi.dynamic`` (the host has it)."""
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
    from pulumi_azure_batch_jobs import BatchJobArgs
    from pulumi_azure_batch_jobs.core._connection import make_client, resolve_connection
    from pulumi_azure_batch_jobs.dynamic_provider import BatchJobProvider
    from pulumi_azure_batch_jobs.provider import _spec_bridge as bridge

    provider = BatchJobProvider()
    provider._config = {"endpoint": emu.endpoint, "accountName": emu.account, "accountKey": emu.key}
    props = BatchJobArgs.from_dict(job_spec("cost", tasks, 0)).to_inputs()
    props["job_id"] = props.pop("id")
    checked = provider.check({}, props).inputs
    connection = resolve_connection(
        endpoint=emu.endpoint, account_name=emu.account, account_key=emu.key
    )
    provider.create({**checked, "job_id": "cost-warm"})
    costs = {
        "check_ms": _ms(lambda i: provider.check({}, props), repeats),
        "to_rest_ms": _ms(lambda i: bridge.to_rest(checked), repeats),
        "make_client_ms": _ms(lambda i: make_client(connection), repeats),
        "create_ms": _ms(lambda i: provider.create({**checked, "job_id": f"cost-{i}"}), repeats),
    }
    _delete_jobs(emu, ["cost-warm"] + [f"cost-{i}" for i in range(repeats)])
    return costs


def measure(emu: EmulatorHandle, tasks: int, repeats: int) -> dict[str, Any]:
    """Import time (fresh interpreters) and per-call costs (in this process)."""
    sys.path.insert(0, str(BENCH / "stacklib"))
    return {"import_seconds": import_seconds(repeats), **per_call(emu, tasks, repeats * 10)}

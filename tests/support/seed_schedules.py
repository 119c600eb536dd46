"""Run under PYTHONPATH=.venv/seed-sdk: every job schedule operation through the seed's
azure-batch 14 (msrest) client against the emulator at ``argv[1]`` (account ``argv[2]``,
key on stdin), on schedules named ``argv[3]-a`` and ``-b``. Writes what it saw as JSON
on stdout; the test asserts on it."""

from __future__ import annotations

import importlib
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any


def main() -> None:
    batch: Any = importlib.import_module("azure.batch")
    bm: Any = importlib.import_module("azure.batch.models")
    auth: Any = importlib.import_module("azure.batch.batch_auth")
    if not batch.__version__.startswith("14."):
        raise SystemExit(f"expected azure-batch 14.x, got {batch.__version__}")
    endpoint, account, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
    key = sys.stdin.read().strip()
    client = batch.BatchServiceClient(auth.SharedKeyCredentials(account, key), batch_url=endpoint)
    ops, pool = client.job_schedule, bm.PoolInformation(pool_id="default")
    a, b = f"{prefix}-a", f"{prefix}-b"
    seen: dict[str, Any] = {"version": batch.__version__}
    timing = bm.Schedule(
        do_not_run_until=datetime(2099, 1, 1, tzinfo=UTC), recurrence_interval=timedelta(hours=1)
    )
    for sid in (a, b):
        spec = bm.JobSpecification(pool_info=pool, priority=3)
        ops.add(bm.JobScheduleAddParameter(id=sid, schedule=timing, job_specification=spec))
    got = ops.get(a)
    seen["get"] = [got.state, got.job_specification.priority, got.execution_info.next_run_time.year]
    seen["exists"] = [ops.exists(a), ops.exists(f"{prefix}-none")]
    listing = bm.JobScheduleListOptions(filter=f"startswith(id,'{prefix}-')", max_results=1)
    seen["list"] = sorted(s.id for s in ops.list(job_schedule_list_options=listing))
    metadata = [bm.MetadataItem(name="k", value="v")]
    ops.patch(a, bm.JobSchedulePatchParameter(metadata=metadata))
    seen["patched"] = [(i.name, i.value) for i in ops.get(a).metadata]
    ops.disable(a)
    seen["disabled"] = ops.get(a).state
    ops.enable(a)
    seen["enabled"] = ops.get(a).state
    # PUT without a schedule: one job, now.
    spec = bm.JobSpecification(pool_info=pool)
    ops.update(a, bm.JobScheduleUpdateParameter(schedule=bm.Schedule(), job_specification=spec))
    seen["jobs"] = [j.id for j in client.job.list_from_job_schedule(a)]
    seen["recent"] = ops.get(a).execution_info.recent_job.id
    ops.terminate(a)
    seen["terminated"] = [ops.get(a).state, client.job.get(f"{a}:job-1").state]
    try:
        ops.add(bm.JobScheduleAddParameter(id=b, schedule=timing, job_specification=spec))
    except bm.BatchErrorException as error:
        seen["twice"] = error.error.code
    for sid in (a, b):
        ops.delete(sid)
    seen["deleted"] = [ops.exists(a), ops.exists(b)]
    json.dump(seen, sys.stdout, default=str)


if __name__ == "__main__":
    main()

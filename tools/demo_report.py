"""What the demo shows of the job, read back through the Batch API (task output through
its file operations) and from the nodes' directories the emulator keeps on this machine:
the tasks' progress, what ran on which node, and what the Job Release tasks reported
while ``pulumi destroy`` deleted the job.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from azure.core.exceptions import HttpResponseError

from batch_emulator.testing import EmulatorHandle


def say(text: str = "") -> None:
    print(text, flush=True)


def step(text: str) -> None:
    say(f"\n==> {text}")


def short(node_id: str) -> str:
    """Emulated node ids are long hashes: show their start and end."""
    return node_id if len(node_id) <= 24 else f"{node_id[:14]}...{node_id[-4:]}"


def _value(enum_or_text: Any) -> str:
    return str(getattr(enum_or_text, "value", enum_or_text) or "-")


def _seconds(info: Any) -> str:
    start, end = getattr(info, "start_time", None), getattr(info, "end_time", None)
    if start is None or end is None:
        return ""
    return f"{(end - start).total_seconds():.1f} s"


def wait_for_tasks(client: Any, job_id: str, timeout: float) -> list[Any]:
    """Poll the job's tasks until all completed (at most ``timeout`` s), showing progress."""
    started = time.monotonic()
    last, shown_at = "", started
    while True:
        tasks = list(client.list_tasks(job_id))
        counts: dict[str, int] = {}
        for task in tasks:
            counts[_value(task.state)] = counts.get(_value(task.state), 0) + 1
        line = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        elapsed = time.monotonic() - started
        done = all(_value(t.state) == "completed" for t in tasks)
        if line != last or done or time.monotonic() - shown_at >= 10:
            say(f"    {len(tasks)} tasks: {line or 'none'}  ({elapsed:.0f} s)")
            last, shown_at = line, time.monotonic()
        if done:
            return tasks
        if elapsed > timeout:
            raise TimeoutError(f"the tasks did not complete within {timeout:g} s")
        time.sleep(0.5)


def _last_line(chunks: Callable[[], Iterable[bytes]]) -> str | None:
    """The last line of a file read through the Batch file API; None if it cannot be read."""
    try:
        text = b"".join(chunks()).decode(errors="replace")
    except HttpResponseError:
        return None
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def shorten_ids(text: str, node_ids: Iterable[str]) -> str:
    for node_id in node_ids:
        text = text.replace(node_id, short(node_id))
    return text


def show_what_ran(client: Any, job_id: str, tasks: Sequence[Any]) -> set[str]:
    """Per node: the preparation task's result, then the tasks that ran there.

    States, exit codes, times and the last line of each task's stdout.txt all come from
    the Batch API (stdout.txt through the task and node file operations).
    """
    statuses = list(client.list_job_preparation_and_release_task_status(job_id))
    by_node: dict[str, dict[str, Any]] = {}
    for status in statuses:
        by_node[status.node_id] = {"status": status, "pool": status.pool_id, "tasks": []}
    unplaced = []
    for task in sorted(tasks, key=lambda t: str(t.id)):
        node_info: Any = getattr(task, "node_info", None)
        node = getattr(node_info, "node_id", None)
        if node is None:
            unplaced.append(task)
            continue
        entry = by_node.setdefault(node, {"status": None, "pool": node_info.pool_id, "tasks": []})
        entry["tasks"].append(task)
    if not statuses:
        say("    (no per-node preparation status reported by the service)")
    for node_id in sorted(by_node):
        entry = by_node[node_id]
        pool_id = str(entry["pool"])
        say(f"    node {short(node_id)}")
        prep = getattr(entry["status"], "job_preparation_task_execution_info", None)
        if prep is None:
            say("      Job Preparation   (no status reported for this node)")
        else:
            say(
                f"      Job Preparation   {_value(prep.state):<10} exit {prep.exit_code}"
                f"  {_seconds(prep)}"
            )
            path = f"{prep.task_root_directory}/stdout.txt"
            out = _last_line(partial(client.download_node_file, pool_id, node_id, path))
            if out:
                say(f"        stdout: {shorten_ids(out, by_node)}")
        for task in entry["tasks"]:
            info = task.execution_info
            exit_code = getattr(info, "exit_code", None)
            say(f"      {task.id:<17} {_value(task.state):<10} exit {exit_code}  {_seconds(info)}")
            out = _last_line(partial(client.download_task_file, job_id, task.id, "stdout.txt"))
            if out:
                say(f"        stdout: {shorten_ids(out, by_node)}")
    for task in unplaced:
        say(f"    {task.id}: {_value(task.state)} (no node reported)")
    return {
        s.node_id
        for s in statuses
        if _value(getattr(s.job_preparation_task_execution_info, "state", None)) == "completed"
    }


class ReleaseWatcher:
    """Polls the job's preparation/release status while ``pulumi destroy`` deletes it:
    the service reports it only until the job is gone."""

    def __init__(self, client: Any, job_id: str) -> None:
        self._client = client
        self._job_id = job_id
        self._stop = threading.Event()
        self.seen: dict[str, list[str]] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ReleaseWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        from azure.core.exceptions import HttpResponseError

        while not self._stop.is_set():
            try:
                for status in self._client.list_job_preparation_and_release_task_status(
                    self._job_id
                ):
                    info = status.job_release_task_execution_info
                    if info is not None:
                        text = _value(info.state)
                        if info.exit_code is not None:
                            text += f" (exit {info.exit_code})"
                        states = self.seen.setdefault(status.node_id, [])
                        if not states or states[-1] != text:
                            states.append(text)
            except HttpResponseError:
                pass  # gone (404) or being deleted: keep what was seen
            self._stop.wait(0.05)


def show_release(
    emulator: EmulatorHandle, watched: Mapping[str, list[str]], job_id: str, prepared: set[str]
) -> bool:
    """What the service reported about the release tasks, and the reports they left in
    each node's shared directory; True if every prepared node has a report and no
    scratch directory is left."""
    if watched:
        say("    Job Release states the Batch API reported while the job was being deleted:")
        for node_id in sorted(watched):
            say(f"      node {short(node_id)}: {' -> '.join(watched[node_id])}")
    else:
        say("    (the job was gone before a poll of its release status; the reports below show the")
        say("    release tasks ran)")
    if emulator.node_root is None:
        say("    (the emulator reports no node directory: release reports not shown)")
        return False
    root = Path(emulator.node_root)
    reports = sorted(root.glob(f"*/*/shared/{job_id}-release.txt"))
    if not reports:
        say(f"    (no release report found under {root})")
        return False
    nodes = {report.parent.parent.name for report in reports}
    for report in reports:
        say(f"    {shorten_ids(str(report.relative_to(root)), nodes)}:")
        for line in report.read_text(errors="replace").splitlines():
            say(f"      {shorten_ids(line, nodes)}")
    leftovers = sorted(root.glob(f"*/*/shared/{job_id}-scratch"))
    say(f"    scratch directories left on the nodes: {len(leftovers)}")
    missing = prepared - nodes
    if missing:
        say(f"    prepared nodes without a release report: {', '.join(sorted(missing))}")
    return not missing and not leftovers

"""The task and node file API through azure-batch 15 (and the seed's 14), against an
emulator whose engine really ran the tasks: list (recursive, $filter, paging), content
with ``ocp-range``, properties, delete; paths confined to the task's or node's directory;
files gone after the task's retention time; the instant engine's empty disks."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.exceptions import HttpResponseError

from batch_emulator.testing import EmulatorHandle, SharedKey
from tests.support.engine import Bench, sh, wait

REPO = Path(__file__).resolve().parents[2]
SEED_SDK = REPO / ".venv" / "seed-sdk"
SEED_FILES = REPO / "tests" / "support" / "seed_files.py"
#: What the task writes: stdout, stderr, a working-directory file and a nested one.
SCRIPT = "echo hello; echo oops >&2; echo 0123456789 > out.txt; mkdir -p sub; echo deep > sub/x.log"


@pytest.fixture
def bench(engine_emulator: EmulatorHandle) -> Bench:
    return Bench.of(engine_emulator)


@pytest.fixture
def ran(bench: Bench) -> tuple[str, str, str, str]:
    """(pool, node, job, task) of a completed task that wrote SCRIPT's files."""
    pool_id = bench.pool()
    job_id = bench.job(pool_id)
    bench.task(job_id, "t1", sh(SCRIPT))
    task = bench.wait_task(job_id, "t1")
    assert task.node_info is not None
    return pool_id, str(task.node_info.node_id), job_id, "t1"


def raw(emulator: EmulatorHandle, method: str, path: str, **headers: str) -> requests.Response:
    """A signed request for ``path`` sent as is (no client normalises its dot segments)."""
    url = f"{emulator.endpoint}{path}?api-version=2025-06-01"
    headers = dict(headers)
    if method not in {"GET", "HEAD"}:
        headers["Content-Length"] = "0"  # what clients send without a body
    SharedKey(emulator.account, emulator.key).sign(method, url, headers)
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=10)
    try:
        conn.request(method, f"{parts.path}?{parts.query}", headers=headers)
        got = conn.getresponse()
        response = requests.Response()
        response.status_code = got.status
        response.headers.update(dict(got.getheaders()))
        response._content = got.read()
        return response
    finally:
        conn.close()


def code(response: requests.Response) -> str:
    return str(response.json()["code"])


def names(files: Iterator[m.BatchNodeFile]) -> list[str]:
    return sorted(str(f.name) for f in files)


# -- list --------------------------------------------------------------------------


def test_list_task_files_top_level_and_recursive(bench: Bench, ran: tuple[str, ...]) -> None:
    _, _, job_id, task_id = ran
    top = {str(f.name): f for f in bench.client.list_task_files(job_id, task_id)}
    assert sorted(top) == ["stderr.txt", "stdout.txt", "wd"]
    assert top["wd"].is_directory and not top["stdout.txt"].is_directory
    props = top["stdout.txt"].properties
    assert props is not None and props.content_length == 6 and props.file_mode
    assert str(top["stdout.txt"].url).endswith(f"/jobs/{job_id}/tasks/{task_id}/files/stdout.txt")
    everything = names(bench.client.list_task_files(job_id, task_id, recursive=True))
    assert everything == [
        "stderr.txt",
        "stdout.txt",
        "wd",
        "wd/out.txt",
        "wd/sub",
        "wd/sub/x.log",
    ]


def test_list_task_files_filter_and_paging(bench: Bench, ran: tuple[str, ...]) -> None:
    _, _, job_id, task_id = ran
    client = bench.client
    wanted = "startswith(name, 'wd/s')"
    assert names(client.list_task_files(job_id, task_id, recursive=True, filter=wanted)) == [
        "wd/sub",
        "wd/sub/x.log",
    ]
    pages = client.list_task_files(job_id, task_id, recursive=True, max_results=2).by_page()
    sizes = [len(list(page)) for page in pages]
    assert sizes == [2, 2, 2]


def test_list_node_files(bench: Bench, ran: tuple[str, ...]) -> None:
    pool_id, node_id, job_id, task_id = ran
    top = names(bench.client.list_node_files(pool_id, node_id))
    assert top == ["fsmounts", "shared", "startup", "workitems"]
    deep = names(bench.client.list_node_files(pool_id, node_id, recursive=True))
    assert f"workitems/{job_id}/job-1/{task_id}/wd/out.txt" in deep


# -- content and properties -------------------------------------------------------


def test_download_task_file_whole_and_ranges(bench: Bench, ran: tuple[str, ...]) -> None:
    _, _, job_id, task_id = ran
    client = bench.client
    assert b"".join(client.download_task_file(job_id, task_id, "stdout.txt")) == b"hello\n"
    assert b"".join(client.download_task_file(job_id, task_id, "stderr.txt")) == b"oops\n"
    out = "wd/out.txt"
    assert b"".join(client.download_task_file(job_id, task_id, out, ocp_range="bytes=2-4")) == (
        b"234"
    )
    assert b"".join(client.download_task_file(job_id, task_id, out, ocp_range="bytes=8-")) == (
        b"89\n"
    )
    assert b"".join(client.download_task_file(job_id, task_id, out, ocp_range="bytes=-3")) == (
        b"89\n"
    )
    with pytest.raises(HttpResponseError) as beyond:
        client.download_task_file(job_id, task_id, out, ocp_range="bytes=100-200")
    assert beyond.value.status_code == 416
    path = f"/jobs/{job_id}/tasks/{task_id}/files/{out}"
    assert code(raw(bench.emulator, "GET", path, **{"ocp-range": "bytes=100-"})) == "InvalidRange"
    assert code(raw(bench.emulator, "GET", path, **{"ocp-range": "lines=1"})) == (
        "InvalidHeaderValue"
    )


def test_file_headers_are_the_specs(bench: Bench, ran: tuple[str, ...]) -> None:
    _, _, job_id, task_id = ran
    path = f"/jobs/{job_id}/tasks/{task_id}/files/wd/out.txt"
    got = raw(bench.emulator, "GET", path, **{"ocp-range": "bytes=0-3"})
    assert got.status_code == 200 and got.content == b"0123"
    assert got.headers["Content-Type"] == "application/octet-stream"
    assert got.headers["Content-Length"] == "4"
    assert got.headers["ocp-batch-file-isdirectory"] == "false"
    assert got.headers["ocp-batch-file-url"] == bench.emulator.endpoint + path
    assert got.headers["ocp-batch-file-mode"].startswith("0100")
    for name in ("ocp-creation-time", "Last-Modified"):
        assert got.headers[name].endswith(" GMT")
    head = raw(bench.emulator, "HEAD", path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Length"] == "11"
    directory = raw(bench.emulator, "HEAD", f"/jobs/{job_id}/tasks/{task_id}/files/wd")
    assert directory.headers["ocp-batch-file-isdirectory"] == "true"


def test_task_and_node_file_properties(bench: Bench, ran: tuple[str, ...]) -> None:
    pool_id, node_id, job_id, task_id = ran
    props = bench.client.get_task_file_properties(job_id, task_id, "wd/out.txt")
    assert props.content_length == 11 and props.is_directory is False
    assert props.creation_time is not None and props.last_modified is not None
    assert str(props.url).endswith("/files/wd/out.txt")
    root = f"workitems/{job_id}/job-1/{task_id}"
    node_props = bench.client.get_node_file_properties(pool_id, node_id, f"{root}/stdout.txt")
    assert node_props.content_length == 6
    content = bench.client.download_node_file(pool_id, node_id, f"{root}\\wd\\out.txt")
    assert b"".join(content) == b"0123456789\n"


def test_if_modified_since_answers_not_modified(bench: Bench, ran: tuple[str, ...]) -> None:
    _, _, job_id, task_id = ran
    path = f"/jobs/{job_id}/tasks/{task_id}/files/stdout.txt"
    modified = raw(bench.emulator, "HEAD", path).headers["Last-Modified"]
    assert raw(bench.emulator, "GET", path, **{"If-Modified-Since": modified}).status_code == 304
    early = "Thu, 01 Jan 2015 00:00:00 GMT"
    assert raw(bench.emulator, "GET", path, **{"If-Unmodified-Since": early}).status_code == 412


# -- delete ------------------------------------------------------------------------


def test_delete_task_file_and_directory(bench: Bench, ran: tuple[str, ...]) -> None:
    _, _, job_id, task_id = ran
    client = bench.client
    client.delete_task_file(job_id, task_id, "wd/out.txt")
    with pytest.raises(HttpResponseError) as gone:
        client.get_task_file_properties(job_id, task_id, "wd/out.txt")
    assert gone.value.status_code == 404
    with pytest.raises(HttpResponseError) as full:
        client.delete_task_file(job_id, task_id, "wd/sub")
    assert full.value.status_code == 409
    client.delete_task_file(job_id, task_id, "wd/sub", recursive=True)
    assert names(client.list_task_files(job_id, task_id, recursive=True)) == [
        "stderr.txt",
        "stdout.txt",
        "wd",
    ]
    with pytest.raises(HttpResponseError) as again:
        client.delete_task_file(job_id, task_id, "wd/out.txt")
    assert again.value.error is not None and again.value.error.code == "FileNotFound"


def test_delete_node_file(bench: Bench, ran: tuple[str, ...]) -> None:
    pool_id, node_id, job_id, task_id = ran
    path = f"workitems/{job_id}/job-1/{task_id}/stderr.txt"
    bench.client.delete_node_file(pool_id, node_id, path)
    assert "stderr.txt" not in names(bench.client.list_task_files(job_id, task_id))


# -- confinement -------------------------------------------------------------------

ESCAPES = [
    "../../../../../../etc/hostname",
    "wd/../../t0/stdout.txt",
    "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/hostname",
    "..%2F..%2F..%2F..%2Fshared",
    "%2Fetc%2Fhostname",
    "C:%5CWindows",
    "..%5C..%5Cshared",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_task_file_paths_cannot_leave_the_task_directory(
    bench: Bench, ran: tuple[str, ...], escape: str
) -> None:
    _, _, job_id, task_id = ran
    for method in ("GET", "DELETE"):
        got = raw(bench.emulator, method, f"/jobs/{job_id}/tasks/{task_id}/files/{escape}")
        assert got.status_code == 400, got.content
        assert code(got) == "InvalidUri"
    head = raw(bench.emulator, "HEAD", f"/jobs/{job_id}/tasks/{task_id}/files/{escape}")
    assert head.status_code == 400


@pytest.mark.parametrize("escape", ESCAPES)
def test_node_file_paths_cannot_leave_the_node_directory(
    bench: Bench, ran: tuple[str, ...], escape: str
) -> None:
    pool_id, node_id, _, _ = ran
    got = raw(bench.emulator, "GET", f"/pools/{pool_id}/nodes/{node_id}/files/{escape}")
    assert got.status_code == 400 and code(got) == "InvalidUri"


def test_an_absolute_path_through_the_sdk_is_refused(bench: Bench, ran: tuple[str, ...]) -> None:
    pool_id, node_id, job_id, task_id = ran
    with pytest.raises(HttpResponseError) as task_escape:
        bench.client.download_task_file(job_id, task_id, "/etc/hostname")
    assert task_escape.value.status_code == 400
    with pytest.raises(HttpResponseError) as node_escape:
        bench.client.download_node_file(pool_id, node_id, "../../../../etc/hostname")
    assert node_escape.value.status_code == 400


def test_symlinks_out_of_the_directory_read_as_absent(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id)
    # Links out of the task directory: to the host, and to the node's shared directory.
    script = (
        'ln -s /etc/hostname host; ln -s "$AZ_BATCH_NODE_SHARED_DIR" shared; '
        "ln -s out.txt ok; echo x > out.txt"
    )
    bench.task(job_id, "t1", sh(script))
    task = bench.wait_task(job_id, "t1")
    assert task.node_info is not None
    client = bench.client
    for link in ("wd/host", "wd/shared"):
        with pytest.raises(HttpResponseError) as absent:
            client.download_task_file(job_id, "t1", link)
        assert absent.value.status_code == 404
    assert b"".join(client.download_task_file(job_id, "t1", "wd/ok")) == b"x\n"
    listed = names(client.list_task_files(job_id, "t1", recursive=True))
    assert "wd/host" not in listed and "wd/shared" not in listed and "wd/ok" in listed
    node_id = str(task.node_info.node_id)
    link = f"workitems/{job_id}/job-1/t1/wd/host"
    got = raw(bench.emulator, "GET", f"/pools/{pool_id}/nodes/{node_id}/files/{link}")
    assert got.status_code == 404 and code(got) == "FileNotFound"
    with pytest.raises(HttpResponseError):
        client.delete_task_file(job_id, "t1", "wd/host")
    assert Path("/etc/hostname").exists()


# -- availability ------------------------------------------------------------------


def test_files_of_a_task_that_has_not_run_are_unavailable(bench: Bench) -> None:
    job_id = bench.job(bench.pool(nodes=0))
    bench.task(job_id, "waiting", "/bin/true")
    with pytest.raises(HttpResponseError) as unavailable:
        list(bench.client.list_task_files(job_id, "waiting"))
    assert unavailable.value.status_code == 409
    assert unavailable.value.error is not None
    assert unavailable.value.error.code == "TaskFilesUnavailable"
    missing = raw(bench.emulator, "GET", f"/jobs/{job_id}/tasks/nope/files/stdout.txt")
    assert missing.status_code == 404 and code(missing) == "TaskNotFound"


def test_files_are_gone_after_the_retention_time(bench: Bench) -> None:
    pool_id = bench.pool()
    job_id = bench.job(pool_id)
    kept = m.BatchTaskConstraints(retention_time=timedelta(minutes=10))
    bench.task(job_id, "t1", sh("echo kept"), constraints=kept)
    task = bench.wait_task(job_id, "t1")
    assert task.node_info is not None
    client = bench.client
    assert b"".join(client.download_task_file(job_id, "t1", "stdout.txt")) == b"kept\n"
    bench.emulator.advance_clock(11 * 60)
    with pytest.raises(HttpResponseError) as expired:
        client.download_task_file(job_id, "t1", "stdout.txt")
    assert expired.value.status_code == 409
    gone = raw(bench.emulator, "GET", f"/jobs/{job_id}/tasks/t1/files/stdout.txt")
    assert code(gone) == "TaskFilesUnavailable"
    node_id = str(task.node_info.node_id)
    path = f"/pools/{pool_id}/nodes/{node_id}/files/workitems/{job_id}/job-1/t1/stdout.txt"
    wait(lambda: raw(bench.emulator, "HEAD", path).status_code == 404, "the directory removed")


def test_instant_engine_tasks_have_no_files(
    emulator: EmulatorHandle, client: BatchClient, new_id: Any
) -> None:
    job_id = new_id("job")
    client.create_job(
        m.BatchJobCreateOptions(id=job_id, pool_info=m.BatchPoolInfo(pool_id="default"))
    )
    client.create_task(job_id, m.BatchTaskCreateOptions(id="t1", command_line="/bin/true"))
    assert client.get_task(job_id, "t1").state == m.BatchTaskState.COMPLETED
    assert list(client.list_task_files(job_id, "t1", recursive=True)) == []
    absent = raw(emulator, "GET", f"/jobs/{job_id}/tasks/t1/files/stdout.txt")
    assert absent.status_code == 404 and code(absent) == "FileNotFound"


# -- the seed's SDK ----------------------------------------------------------------


@pytest.mark.skipif(
    not (SEED_SDK / "azure" / "batch").is_dir(), reason=f"seed SDK not installed at {SEED_SDK}"
)
def test_the_seed_sdk_reads_task_and_node_files(bench: Bench, ran: tuple[str, ...]) -> None:
    pool_id, node_id, job_id, task_id = ran
    emulator = bench.emulator
    ask = {
        "endpoint": emulator.endpoint,
        "account": emulator.account,
        "key": emulator.key,
        "job": job_id,
        "task": task_id,
        "pool": pool_id,
        "node": node_id,
    }
    proc = subprocess.run(
        [sys.executable, str(SEED_FILES)],
        input=json.dumps(ask),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SEED_SDK)},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["version"].startswith("14.")
    assert "wd/out.txt" in got["task_files"] and "wd/out.txt" not in got["after_delete"]
    assert got["stdout"] == "hello\n" and got["range"] == "ell"
    assert str(got["properties"]["Content-Length"]) == "6"
    assert got["properties"]["ocp-batch-file-isdirectory"] is False
    assert got["node_files"] == ["fsmounts", "shared", "startup", "workitems"]
    assert got["node_stdout"] == "hello\n" and str(got["node_length"]) == "6"
    assert got["escape"] == "InvalidUri" and got["missing"] == "FileNotFound"

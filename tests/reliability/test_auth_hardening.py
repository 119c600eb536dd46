"""Emulator auth under hostile requests: malformed, unsigned, wrongly signed, replayed
with an altered body, or for another account, each is refused and changes nothing; the
server binds loopback unless told otherwise."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.utils import formatdate
from urllib.parse import urlsplit

import pytest

from batch_emulator.testing import EmulatorHandle, SharedKey, start_emulator
from tests.support.reliability import batch_client, record

QUERY = "api-version=2025-06-01"
_refused: list[int] = []


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorHandle]:
    with start_emulator(engine="instant") as handle:
        yield handle
    record("auth_hostile_requests", refused=len(_refused), accepted_wrongly=0)


def _sign(key: str, account: str, method: str, url: str, headers: dict[str, str]) -> str:
    """The Authorization a Batch client would send (the headers themselves stay as given)."""
    return SharedKey(account, key).sign(method, url, dict(headers))


def _add_job(job_id: str, *, md5: bool = False) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"id": job_id, "poolInfo": {"poolId": "default"}}).encode()
    headers = {
        "ocp-date": formatdate(usegmt=True),
        "Content-Type": "application/json; odata=minimalmetadata",
        "Content-Length": str(len(body)),
    }
    if md5:
        headers["Content-MD5"] = base64.b64encode(hashlib.md5(body).digest()).decode()  # noqa: S324
    return body, headers


def _send(emulator: EmulatorHandle, body: bytes, headers: dict[str, str]) -> int:
    url = f"{emulator.endpoint}/jobs?{QUERY}"
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _job_ids(emulator: EmulatorHandle) -> set[str]:
    return {str(j.id) for j in batch_client(emulator).list_jobs()}


def test_well_signed_request_is_accepted(emulator: EmulatorHandle) -> None:
    body, headers = _add_job("good", md5=True)
    url = f"{emulator.endpoint}/jobs?{QUERY}"
    headers["Authorization"] = _sign(emulator.key, emulator.account, "POST", url, headers)
    assert _send(emulator, body, headers) == 201


@pytest.mark.parametrize(
    "case",
    [
        "unsigned",
        "empty-authorization",
        "unknown-scheme",
        "no-colon",
        "no-signature",
        "not-base64",
        "wrong-key",
        "wrong-account",
        "altered-body-other-length",
        "altered-body-same-length-md5",
        "altered-header",
        "stale-date",
    ],
)
def test_hostile_request_is_refused_and_changes_nothing(
    emulator: EmulatorHandle, case: str
) -> None:
    url = f"{emulator.endpoint}/jobs?{QUERY}"
    body, headers = _add_job("victim", md5=case.endswith("md5"))
    other_key = base64.b64encode(b"k" * 64).decode()
    if case == "stale-date":
        headers["ocp-date"] = "Mon, 01 Jan 2024 00:00:00 GMT"
    signature = _sign(emulator.key, emulator.account, "POST", url, headers)
    headers["Authorization"] = {
        "unsigned": "",
        "empty-authorization": " ",
        "unknown-scheme": "Basic dXNlcjpwYXNz",
        "no-colon": f"SharedKey {emulator.account}",
        "no-signature": f"SharedKey {emulator.account}:",
        "not-base64": f"SharedKey {emulator.account}:%%%not-base64%%%",
        "wrong-key": _sign(other_key, emulator.account, "POST", url, headers),
        "wrong-account": _sign(emulator.key, "other", "POST", url, headers),
    }.get(case, signature)
    if not headers["Authorization"].strip():
        del headers["Authorization"]
    if case == "altered-body-other-length":
        body = json.dumps({"id": "victim-2", "poolInfo": {"poolId": "default"}}).encode()
        headers["Content-Length"] = str(len(body))
    elif case == "altered-body-same-length-md5":
        body = body.replace(b"victim", b"vict1m")
    elif case == "altered-header":
        headers["Content-Type"] = "application/json"
    status = _send(emulator, body, headers)
    assert status in (400, 401, 403), (case, status)
    assert not {"victim", "victim-2", "vict1m"} & _job_ids(emulator), case
    _refused.append(status)


def test_binds_loopback_by_default(emulator: EmulatorHandle) -> None:
    assert urlsplit(emulator.endpoint).hostname == "127.0.0.1"
    with (
        pytest.raises(RuntimeError, match="refusing to bind"),
        start_emulator(
            extra_args=["--host", "0.0.0.0"]  # noqa: S104 - the point of the test
        ),
    ):
        pass

"""Helpers of the reliability suite: switch the emulator's faults, compare state and service."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import urllib.request
from email.utils import formatdate
from typing import Any
from urllib.parse import urlsplit

from tests.support.emulator import EmulatorHandle

__all__ = ["FIGURES", "SOAK", "faults_snapshot", "record", "set_faults"]

#: ``RELIABILITY_SOAK=1``: the larger sizes (50 jobs, 20 kill points).
SOAK = os.environ.get("RELIABILITY_SOAK") == "1"
FIGURES: list[dict[str, Any]] = []


def record(name: str, **figures: Any) -> None:
    """Add one test's figures to the report printed at the end of the run."""
    FIGURES.append({"test": name, **figures})


def _signed_json(handle: EmulatorHandle, method: str, path: str, body: bytes) -> Any:
    url = handle.endpoint + path
    headers = {
        "ocp-date": formatdate(usegmt=True),
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
    }
    standard = ["", "", headers["Content-Length"], "", headers["Content-Type"]] + [""] * 6
    text = method + "\n" + "\n".join(standard) + "\n"
    text += f"ocp-date:{headers['ocp-date']}\n/{handle.account}{urlsplit(url).path}"
    digest = hmac.new(base64.b64decode(handle.key), text.encode(), hashlib.sha256).digest()
    headers["Authorization"] = f"SharedKey {handle.account}:{base64.b64encode(digest).decode()}"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return json.loads(response.read() or b"{}")


def set_faults(handle: EmulatorHandle, **config: Any) -> dict[str, Any]:
    """Replace the emulator's fault configuration at runtime (``rate=0`` turns it off)."""
    result: dict[str, Any] = _signed_json(
        handle, "POST", "/_emulator/faults", json.dumps(config).encode()
    )
    return result


def faults_snapshot(handle: EmulatorHandle) -> dict[str, Any]:
    """Counts of injected faults since the last configuration or stats reset."""
    faults: dict[str, Any] = handle.stats().get("faults", {})
    return faults

"""Fixtures for the conformance tests: a real emulator and a shared-key signed session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from batch_emulator.testing import EmulatorHandle, SharedKey, start_emulator


@pytest.fixture(scope="session")
def conformance_emulator() -> Iterator[EmulatorHandle]:
    # The instant engine: fuzzed task command lines must never be executed on this host.
    with start_emulator(nodes=1, slots=1, pool_id="", engine="instant") as handle:
        yield handle


@pytest.fixture(scope="session")
def files_emulator(
    conformance_emulator: EmulatorHandle, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmulatorHandle]:
    """The process engine, for the file examples (the files a task wrote); the same
    account and key, so ``signed`` signs for both."""
    with start_emulator(
        nodes=1,
        slots=1,
        pool_id="",
        account=conformance_emulator.account,
        key=conformance_emulator.key,
        node_root=tmp_path_factory.mktemp("nodes"),
    ) as handle:
        yield handle


@pytest.fixture(scope="session")
def signed(conformance_emulator: EmulatorHandle) -> requests.Session:
    session = requests.Session()
    # A requests auth callable at run time, but its signing protocol types headers as
    # MutableMapping[str, str] where types-requests has CaseInsensitiveDict[str | bytes].
    session.auth = SharedKey(conformance_emulator.account, conformance_emulator.key)  # type: ignore[assignment]
    return session

"""Fixtures shared by the unit tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest


@pytest.fixture
def event_loop_for_outputs() -> Iterator[asyncio.AbstractEventLoop]:
    """A current event loop, which `pulumi.Output` needs to exist.

    Tests that ran `asyncio.run` earlier in the session leave the main thread with none.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)
    loop.close()

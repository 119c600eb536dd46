"""Task execution behind the narrow interface of :mod:`batch_emulator.protocols`.

:class:`ProcessEngine` really runs tasks on emulated nodes; :class:`InstantEngine`
completes them at once (``batch-emulator serve --engine instant``).
"""

from batch_emulator.engine._clock import EngineClock
from batch_emulator.engine._engine import ProcessEngine
from batch_emulator.engine._instant import InstantEngine
from batch_emulator.engine._select import ENGINES, make_engine, node_files, set_account_url

__all__ = [
    "ENGINES",
    "EngineClock",
    "InstantEngine",
    "ProcessEngine",
    "make_engine",
    "node_files",
    "set_account_url",
]

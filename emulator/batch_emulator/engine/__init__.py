"""Task execution behind a narrow interface (see :mod:`batch_emulator.engine._base`)."""

from batch_emulator.engine._base import Engine, Runtime
from batch_emulator.engine._instant import InstantEngine

__all__ = ["Engine", "InstantEngine", "Runtime"]

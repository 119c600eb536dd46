"""Persistence of Batch resources in SQLite (WAL on disk, or ``:memory:``)."""

from batch_emulator.store._sqlite import Row, Store

__all__ = ["Row", "Store"]

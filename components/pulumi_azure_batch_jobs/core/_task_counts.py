"""The task counts a job reports (``Job - Get Task Counts``): the outputs' names for them."""

from __future__ import annotations

#: REST name -> which tasks it counts.
COUNT_MEANINGS = {
    "active": "queued or waiting to run",
    "running": "running on a node",
    "completed": "completed, successfully or not",
    "succeeded": "completed successfully",
    "failed": "completed with a failure",
}
COUNT_NAMES = tuple(COUNT_MEANINGS)

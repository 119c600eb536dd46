"""A change made outside Pulumi between ``preview`` and ``up`` is detected by its ETag:
the update fails with a clear error and clobbers nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from azure.batch.models import BatchJobUpdateOptions
from pulumi import automation as auto

from batch_emulator.testing import EmulatorHandle
from tests.support.reliability import batch_client, jobs_stack, record


def test_out_of_band_change_between_preview_and_up_is_not_clobbered(
    tmp_path: Path, instant_emulator: EmulatorHandle
) -> None:
    emulator = instant_emulator
    stack = jobs_stack(tmp_path, emulator, 1, "oob")
    stack.up()
    client = batch_client(emulator)

    stack.set_config("priority", auto.ConfigValue("20"))
    assert (stack.preview().change_summary or {}).get(auto.OpType.UPDATE) == 1
    # Someone changes the job behind Pulumi's back, after the preview.
    client.update_job("oob-0", BatchJobUpdateOptions(priority=99))
    emulator.reset_stats()
    with pytest.raises(auto.CommandError) as failure:
        stack.up()
    message = str(failure.value)
    assert "ConditionNotMet" in message or "412" in message, message
    assert "changed outside" in message or "refresh" in message, message
    assert "Traceback" not in message
    assert client.get_job("oob-0").priority == 99, "the out-of-band change was clobbered"
    writes = emulator.stats()["writes"]

    # A refresh shows the drift; the next up then applies the declared value knowingly.
    stack.refresh()
    stack.up()
    assert client.get_job("oob-0").priority == 20
    stack.destroy()
    record("out_of_band_etag", detected=1, clobbered=0, writes_during_failed_up=writes)

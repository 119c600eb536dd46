"""Pools and nodes through the real azure-batch SDK."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from azure.batch import BatchClient
from azure.batch import models as m
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError

from tests.support.sdk_fields import node_info, present, rest_response

NewId = Callable[[str], str]
# azure-batch 15.1 cannot send these verbs without a body (it drops the content type).
_REIMAGE = m._models.BatchNodeReimageOptions(node_reimage_option="requeue")


def _error(exc: pytest.ExceptionInfo[HttpResponseError]) -> tuple[int, str]:
    response = rest_response(exc.value)
    return response.status_code, response.json()["code"]


def _pool(pool_id: str, nodes: int = 2, slots: int = 3) -> m.BatchPoolCreateOptions:
    return m.BatchPoolCreateOptions(
        id=pool_id,
        vm_size="standard_d2s_v3",
        target_dedicated_nodes=nodes,
        task_slots_per_node=slots,
    )


def test_default_pool_from_cli(client: BatchClient) -> None:
    pool = client.get_pool("default")
    assert pool.current_dedicated_nodes == 3
    assert pool.task_slots_per_node == 2
    assert pool.allocation_state == m.AllocationState.STEADY


def test_create_get_list_exists_delete(client: BatchClient, new_id: NewId) -> None:
    pool_id = new_id("pool")
    client.create_pool(_pool(pool_id))
    pool = client.get_pool(pool_id.upper())
    assert pool.id == pool_id
    assert pool.state == m.BatchPoolState.ACTIVE
    assert pool.current_dedicated_nodes == 2
    assert pool_id in [p.id for p in client.list_pools()]
    assert client.pool_exists(pool_id) is True
    with pytest.raises(ResourceNotFoundError):  # azure-batch 15 raises on HEAD 404
        client.pool_exists("no-such-pool")
    with pytest.raises(ResourceExistsError) as exc:
        client.create_pool(_pool(pool_id))
    assert _error(exc) == (409, "PoolExists")
    client.begin_delete_pool(pool_id).result()
    with pytest.raises(ResourceNotFoundError):
        client.pool_exists(pool_id)
    with pytest.raises(ResourceNotFoundError) as not_found:
        client.get_pool(pool_id)
    assert _error(not_found) == (404, "PoolNotFound")


def test_resize(client: BatchClient, new_id: NewId) -> None:
    pool_id = new_id("pool")
    client.create_pool(_pool(pool_id, nodes=1))
    client.begin_resize_pool(pool_id, m.BatchPoolResizeOptions(target_dedicated_nodes=4)).result()
    assert client.get_pool(pool_id).current_dedicated_nodes == 4
    assert len(list(client.list_nodes(pool_id))) == 4
    client.begin_resize_pool(pool_id, m.BatchPoolResizeOptions(target_dedicated_nodes=2)).result()
    assert len(list(client.list_nodes(pool_id))) == 2
    client.begin_stop_pool_resize(pool_id).result()
    assert client.get_pool(pool_id).allocation_state == m.AllocationState.STEADY


def test_tasks_run_once_a_pool_appears(client: BatchClient, new_id: NewId) -> None:
    pool_id, job_id = new_id("late-pool"), new_id("job")
    client.create_job(
        m.BatchJobCreateOptions(id=job_id, pool_info=m.BatchPoolInfo(pool_id=pool_id))
    )
    client.create_task(job_id, m.BatchTaskCreateOptions(id="t", command_line="echo"))
    assert client.get_task(job_id, "t").state == m.BatchTaskState.ACTIVE
    client.create_pool(_pool(pool_id, nodes=1))
    task = client.get_task(job_id, "t")
    assert task.state == m.BatchTaskState.COMPLETED
    assert node_info(task).pool_id == pool_id


def test_nodes_list_get_reboot_reimage(client: BatchClient, new_id: NewId) -> None:
    pool_id = new_id("pool")
    client.create_pool(_pool(pool_id, nodes=2))
    nodes = list(client.list_nodes(pool_id))
    assert len(nodes) == 2
    node = client.get_node(pool_id, nodes[0].id)
    assert node.state == m.BatchNodeState.IDLE
    assert node.scheduling_state == m.SchedulingState.ENABLED
    reboot = m._models.BatchNodeRebootOptions(node_reboot_kind="requeue")
    client.begin_reboot_node(pool_id, node.id, reboot).result()
    rebooted = client.get_node(pool_id, node.id)
    assert rebooted.state == m.BatchNodeState.IDLE
    assert rebooted.last_boot_time >= node.last_boot_time
    client.begin_reimage_node(pool_id, node.id, _REIMAGE).result()
    assert client.get_node(pool_id, node.id).state == m.BatchNodeState.IDLE
    idle = list(client.list_nodes(pool_id, filter="state eq 'idle'", select=["id", "state"]))
    assert len(idle) == 2 and idle[0].vm_size is None
    with pytest.raises(ResourceNotFoundError) as exc:
        client.get_node(pool_id, "tvmps_missing_d")
    assert _error(exc) == (404, "NodeNotFound")
    with pytest.raises(ResourceNotFoundError) as exc:
        list(client.list_nodes("no-such-pool"))
    assert _error(exc) == (404, "PoolNotFound")


def test_reimage_after_preparation_skips_release(client: BatchClient, new_id: NewId) -> None:
    pool_id, job_id = new_id("pool"), new_id("job")
    client.create_pool(_pool(pool_id, nodes=1))
    client.create_job(
        m.BatchJobCreateOptions(
            id=job_id,
            pool_info=m.BatchPoolInfo(pool_id=pool_id),
            job_preparation_task=m.BatchJobPreparationTask(command_line="echo prep"),
            job_release_task=m.BatchJobReleaseTask(command_line="echo release"),
        )
    )
    client.create_task(job_id, m.BatchTaskCreateOptions(id="t", command_line="echo"))
    node_id = present(node_info(client.get_task(job_id, "t")).node_id)
    client.begin_reimage_node(pool_id, node_id, _REIMAGE).result()
    client.begin_terminate_job(
        job_id, m._models.BatchJobTerminateOptions(termination_reason="done")
    ).result()
    status = list(client.list_job_preparation_and_release_task_status(job_id))
    assert status[0].job_release_task_execution_info is None
    assert client.get_job(job_id).state == m.BatchJobState.COMPLETED


def test_update_pool_and_replace_properties(client: BatchClient, new_id: NewId) -> None:
    pool_id = new_id("pool")
    client.create_pool(_pool(pool_id, nodes=0))
    client.update_pool(
        pool_id, m.BatchPoolUpdateOptions(metadata=[m.BatchMetadataItem(name="a", value="1")])
    )
    assert present(client.get_pool(pool_id).metadata)[0].value == "1"
    client.replace_pool_properties(
        pool_id,
        m.BatchPoolReplaceOptions(
            application_package_references=[], metadata=[m.BatchMetadataItem(name="b", value="2")]
        ),
    )
    assert [i.name for i in present(client.get_pool(pool_id).metadata)] == ["b"]

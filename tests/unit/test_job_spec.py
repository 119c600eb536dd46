"""The REST spec's job and task examples, and `az batch job create --json-file` specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import pulumi_azure_batch_jobs as pab
from pulumi_azure_batch_jobs.args._job import job_create_requests
from tests.support.job_args import EXAMPLES, load_example, normalize_durations

pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"REST examples not at {EXAMPLES}")

JOB_CREATE = ["Jobs_CreateJob_Basic.json", "Jobs_CreateJob_Complex.json"]
TASK_CREATE = [
    "Tasks_CreateTask_Basic.json",
    "Tasks_CreateTask_ContainerSettings.json",
    "Tasks_CreateTask_RequiredSlots.json",
]


def test_the_examples_are_the_ones_we_expect() -> None:
    names = {p.name for p in EXAMPLES.glob("*.json")}
    assert set(JOB_CREATE + TASK_CREATE) <= names


@pytest.mark.parametrize("name", JOB_CREATE)
def test_job_create_examples_round_trip(name: str) -> None:
    spec = load_example(name)["parameters"]["job"]
    args = pab.job_args_from_spec(json.dumps(spec))
    assert args.validate() == []
    assert args.additional_properties == {}
    assert normalize_durations(pab.job_spec_from_args(args)) == normalize_durations(spec)
    assert normalize_durations(args.serialize()) == normalize_durations(spec)
    assert pab.BatchJobArgs.deserialize(spec) == args
    assert pab.BatchJobArgs.from_dict(args.as_dict()) == args


def test_complex_job_example_is_typed() -> None:
    args = pab.job_args_from_spec(load_example("Jobs_CreateJob_Complex.json")["parameters"]["job"])
    manager = args.job_manager_task
    assert isinstance(manager, pab.JobManagerTask)
    assert isinstance(manager.user_identity, pab.UserIdentity)
    assert isinstance(manager.user_identity.auto_user, pab.AutoUserSpecification)
    assert manager.user_identity.auto_user.elevation_level == "admin"
    assert isinstance(manager.constraints, pab.TaskConstraints)
    assert manager.constraints.retention_time is not None
    assert str(manager.constraints.retention_time) == "1:00:00"
    files = manager.resource_files
    assert isinstance(files, list)
    assert [type(f) for f in files] == [pab.ResourceFile, pab.ResourceFile]
    pool = args.pool_info
    assert isinstance(pool, pab.PoolInformation)
    assert isinstance(pool.auto_pool_specification, pab.AutoPoolSpecification)
    assert pool.auto_pool_specification.pool_lifetime_option == "job"
    assert isinstance(pool.auto_pool_specification.pool, dict)
    assert pool.auto_pool_specification.pool["vmSize"] == "STANDARD_D2S_V3"


@pytest.mark.parametrize("name", TASK_CREATE)
def test_task_create_examples_round_trip(name: str) -> None:
    task = load_example(name)["parameters"]["task"]
    args = pab.BatchTaskArgs.deserialize(json.dumps(task))
    assert args.validate() == []
    assert normalize_durations(args.serialize()) == normalize_durations(task)
    assert pab.BatchTaskArgs.from_dict(task) == args


def test_task_collection_example() -> None:
    tasks = load_example("Tasks_CreateTaskCollection_Complex.json")["parameters"]["taskCollection"]
    loaded = [pab.BatchTaskArgs.from_dict(t) for t in tasks["value"]]
    assert [normalize_durations(t.serialize()) for t in loaded] == normalize_durations(
        tasks["value"]
    )
    # The example breaks a documented rule: a multi-instance task must require exactly 1 slot.
    assert [(e.path, e.value) for e in loaded[0].validate()] == [("required_slots", 2)]
    assert loaded[1].validate() == []


def test_job_update_example_loads() -> None:
    patch = load_example("Jobs_UpdateJob.json")["parameters"]["job"]
    args = pab.BatchJobArgs.deserialize(patch)
    assert normalize_durations(args.serialize()) == normalize_durations(patch)


def test_get_job_response_keeps_read_only_properties() -> None:
    body = load_example("Jobs_GetJob.json")["responses"]["200"]["body"]
    args = pab.job_args_from_spec(body)
    assert {"url", "eTag", "state", "creationTime", "executionInfo"} <= set(
        args.additional_properties
    )
    assert args.validate() == []
    assert normalize_durations(pab.job_spec_from_args(args)) == normalize_durations(body)
    create_body = args.serialize()
    assert "eTag" not in create_body
    assert create_body["id"] == body["id"]


def test_list_tasks_response_loads() -> None:
    body = load_example("Tasks_ListTasks.json")["responses"]["200"]["body"]
    for value in body["value"]:
        task = pab.BatchTaskArgs.from_dict(value)
        assert task.id == value["id"]
        assert task.command_line == value["commandLine"]


AZ_SPEC: dict[str, Any] = {
    "id": "render-frames",
    "displayName": "Render frames",
    "priority": 50,
    "maxParallelTasks": 4,
    "allowTaskPreemption": False,
    "usesTaskDependencies": True,
    "onAllTasksComplete": "terminatejob",
    "onTaskFailure": "performexitoptionsjobaction",
    "poolInfo": {"poolId": "render-pool"},
    "constraints": {"maxWallClockTime": "P1DT12H", "maxTaskRetryCount": 2},
    "commonEnvironmentSettings": [{"name": "SCENE", "value": "forest"}],
    "metadata": [{"name": "owner", "value": "vfx"}],
    "networkConfiguration": {"subnetId": "/subscriptions/s/x", "skipWithdrawFromVNet": True},
    "jobPreparationTask": {
        "id": "fetch-assets",
        "commandLine": "/bin/sh -c 'az storage copy ...'",
        "resourceFiles": [
            {
                "storageContainerUrl": "https://a.blob.core.windows.net/assets?sas",
                "blobPrefix": "forest/",
            }
        ],
        "constraints": {
            "maxWallClockTime": "PT30M",
            "retentionTime": "P1D",
            "maxTaskRetryCount": 1,
        },
        "waitForSuccess": True,
        "rerunOnNodeRebootAfterSuccess": False,
        "userIdentity": {"autoUser": {"scope": "pool", "elevationLevel": "admin"}},
    },
    "jobReleaseTask": {
        "id": "cleanup",
        "commandLine": "/bin/sh -c 'rm -rf $AZ_BATCH_NODE_SHARED_DIR/forest'",
        "containerSettings": {
            "imageName": "busybox:1.36",
            "containerRunOptions": "--rm",
            "registry": {"registryServer": "r.azurecr.io", "username": "u", "password": "p"},
            "workingDirectory": "taskWorkingDirectory",
            "containerHostBatchBindMounts": [{"source": "Shared", "isReadOnly": False}],
        },
        "environmentSettings": [{"name": "KEEP_LOGS", "value": "1"}],
        "maxWallClockTime": "PT10M",
        "retentionTime": "PT2H",
        "userIdentity": {"username": "render"},
    },
    "jobManagerTask": {
        "id": "manager",
        "displayName": "Manager",
        "commandLine": "python manage.py",
        "outputFiles": [
            {
                "filePattern": "logs/*.txt",
                "destination": {
                    "container": {"containerUrl": "https://a.blob.core.windows.net/logs?sas"}
                },
                "uploadOptions": {"uploadCondition": "taskcompletion"},
            }
        ],
        "requiredSlots": 1,
        "killJobOnCompletion": False,
        "runExclusive": False,
        "applicationPackageReferences": [{"applicationId": "blender", "version": "4.1"}],
        "authenticationTokenSettings": {"access": ["job"]},
        "allowLowPriorityNode": True,
    },
}


def test_az_cli_spec_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "job.json"
    path.write_text(json.dumps(AZ_SPEC), encoding="utf-8")
    args = pab.load_job_spec(path)
    assert args.validate() == []
    assert pab.job_spec_from_args(args) is not AZ_SPEC
    assert normalize_durations(pab.job_spec_from_args(args)) == normalize_durations(AZ_SPEC)
    again = pab.job_args_from_spec(pab.job_spec_from_args(args))
    assert again == args
    assert isinstance(args.job_release_task, pab.JobReleaseTask)
    assert args.job_release_task.max_wall_clock_time is not None
    assert str(args.job_release_task.max_wall_clock_time) == "0:10:00"


def test_unmodelled_properties_survive_at_every_level() -> None:
    spec = json.loads(json.dumps(AZ_SPEC))
    spec["futureProperty"] = {"x": 1}
    spec["jobReleaseTask"]["futureFlag"] = True
    spec["jobReleaseTask"]["resourceFiles"] = [
        {"httpUrl": "https://h/f", "filePath": "f", "newKey": 2}
    ]
    args = pab.job_args_from_spec(spec)
    assert args.additional_properties == {"futureProperty": {"x": 1}}
    assert normalize_durations(pab.job_spec_from_args(args)) == normalize_durations(spec)
    assert "futureFlag" not in args.serialize()["jobReleaseTask"]


def test_az_spec_with_a_too_long_release_wall_clock() -> None:
    spec = json.loads(json.dumps(AZ_SPEC))
    spec["jobReleaseTask"]["maxWallClockTime"] = "PT15M1S"
    errors = pab.job_args_from_spec(spec).validate()
    assert [str(e) for e in errors] == [
        "job_release_task.max_wall_clock_time: must be at most 15 minutes (got 0:15:01)"
    ]


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        (
            '{"id": "j", "constraints": {"maxWallClockTime": "one hour"}}',
            "constraints.max_wall_clock_time",
        ),
        ('{"id": "j", "priority": "high"}', "priority: expected an integer"),
        ('{"id": "j", "metadata": {"name": "x"}}', "metadata: expected a list"),
        ('{"id": "j", "jobReleaseTask": "cleanup.sh"}', "job_release_task: expected an object"),
    ],
)
def test_malformed_specs_raise_deserialization_error(spec: str, fragment: str) -> None:
    with pytest.raises(pab.DeserializationError, match=fragment.replace(".", r"\.")):
        pab.job_args_from_spec(spec)


def test_job_create_requests() -> None:
    spec = dict(AZ_SPEC)
    spec["tasks"] = [
        {"id": "frame-1", "commandLine": "render 1"},
        {"id": "frame-2", "commandLine": "render 2", "dependsOn": {"taskIds": ["frame-1"]}},
    ]
    body, tasks = job_create_requests(spec)
    assert "tasks" not in body
    assert normalize_durations(body) == normalize_durations(AZ_SPEC) | {
        "networkConfiguration": AZ_SPEC["networkConfiguration"]
    }
    assert tasks == spec["tasks"]
    args = pab.job_args_from_spec(spec)
    assert job_create_requests(args) == (body, tasks)
    assert pab.job_spec_from_args(args) == pab.job_spec_from_args(pab.job_args_from_spec(AZ_SPEC))

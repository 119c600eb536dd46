"""The seed's model surface on our classes: constructor, serialize, as_dict, from_dict, ..."""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pulumi
import pytest
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

import pulumi_azure_batch_jobs as pab
from pulumi_azure_batch_jobs import msrest
from pulumi_azure_batch_jobs.args._job import job_create_requests
from pulumi_azure_batch_jobs.validation._values import is_unknown

# The seed's signature without its ``**kwargs``: an unknown keyword is an error here.
SEED_SIGNATURE = (
    "(*, command_line, id=None, container_settings=None, resource_files=None, "
    "environment_settings=None, max_wall_clock_time=None, retention_time=None, "
    "user_identity=None)"
)


def full_release() -> pab.JobReleaseTask:
    return pab.JobReleaseTask(
        id="cleanup",
        command_line="/bin/sh -c 'rm -rf shared'",
        container_settings=pab.TaskContainerSettings(
            image_name="busybox",
            registry=pab.ContainerRegistry(user_name="u", password="p", registry_server="r.io"),
        ),
        resource_files=[pab.ResourceFile(http_url="https://h/f.sh", file_path="f.sh")],
        environment_settings=[pab.EnvironmentSetting(name="A", value="1")],
        max_wall_clock_time=timedelta(minutes=10),
        retention_time=timedelta(days=7),
        user_identity=pab.UserIdentity(auto_user=pab.AutoUserSpecification(scope="task")),
    )


REST = {
    "id": "cleanup",
    "commandLine": "/bin/sh -c 'rm -rf shared'",
    "containerSettings": {
        "imageName": "busybox",
        "registry": {"username": "u", "password": "p", "registryServer": "r.io"},
    },
    "resourceFiles": [{"httpUrl": "https://h/f.sh", "filePath": "f.sh"}],
    "environmentSettings": [{"name": "A", "value": "1"}],
    "maxWallClockTime": "PT10M00S",
    "retentionTime": "P7D",
    "userIdentity": {"autoUser": {"scope": "task"}},
}


def test_constructor_signature_is_the_seeds() -> None:
    assert str(inspect.signature(pab.JobReleaseTask)).replace(" ", "").startswith("(*,command_line")
    params = inspect.signature(pab.JobReleaseTask).parameters
    rendered = (
        "(*, "
        + ", ".join(
            f"**{n}"
            if p.kind is p.VAR_KEYWORD
            else (n if p.default is p.empty else f"{n}={p.default}")
            for n, p in params.items()
        )
        + ")"
    )
    assert rendered == SEED_SIGNATURE
    with pytest.raises(TypeError):
        pab.JobReleaseTask("echo")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        pab.JobReleaseTask()  # type: ignore[call-arg]


def test_unknown_keyword_is_an_error_naming_the_nearest_field() -> None:
    with pytest.raises(pab.UnknownArgumentError) as failure:
        pab.JobReleaseTask(command_line="x", max_wallclock_time=timedelta(1))  # type: ignore[call-arg]
    assert str(failure.value) == (
        "JobReleaseTask: unknown argument 'max_wallclock_time' "
        "(did you mean 'max_wall_clock_time'?)"
    )
    assert isinstance(failure.value, TypeError)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"job_release_task": {"command_line": "x", "max_wallclock_time": "PT1M"}},
            "job_release_task: unknown argument 'max_wallclock_time' "
            "(did you mean 'max_wall_clock_time'?)",
        ),
        (
            {"tasks": [{"id": "a", "command_line": "x"}, {"id": "b", "comand_line": "x"}]},
            "tasks[1]: unknown argument 'comand_line' (did you mean 'command_line'?)",
        ),
        (
            {"job_release_task": {"command_line": "x", "user_identity": {"autoUser": {"s": 1}}}},
            "job_release_task.user_identity.auto_user: unknown argument 's' "
            "(expected one of elevation_level, scope)",
        ),
    ],
)
def test_unknown_keys_of_dict_forms_name_their_path(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(pab.UnknownArgumentError) as failure:
        pab.BatchJobArgs(pool_info={"poolId": "p"}, **kwargs)  # type: ignore[arg-type]  # REST keys
    assert str(failure.value) == message


def test_from_dict_stays_lenient_for_rest_payloads() -> None:
    task = pab.JobReleaseTask.from_dict({"commandLine": "x", "maxWallTime": "PT1M"})
    assert task.additional_properties == {"maxWallTime": "PT1M"}
    assert pab.JobReleaseTask.deserialize({"commandLine": "x", "future": 1}).command_line == "x"


def test_serialize_is_rest_json() -> None:
    assert full_release().serialize() == REST
    assert full_release().serialize(keep_readonly=True) == REST
    json.dumps(full_release().serialize())


def test_as_dict_with_each_transformer() -> None:
    task = full_release()
    attr = task.as_dict()
    assert attr["command_line"] == REST["commandLine"]
    assert attr["container_settings"]["registry"] == {
        "user_name": "u",
        "password": "p",
        "registry_server": "r.io",
    }
    assert attr["user_identity"] == {"auto_user": {"scope": "task"}}
    assert attr["max_wall_clock_time"] == "PT10M00S"
    assert task.as_dict(keep_readonly=False) == attr
    assert task.as_dict(key_transformer=msrest.full_restapi_key_transformer) == REST
    assert task.as_dict(key_transformer=msrest.last_restapi_key_transformer) == REST


def test_as_dict_custom_transformer_sees_attr_desc() -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def upper(key: str, attr_desc: Mapping[str, Any], value: Any) -> tuple[Any, Any]:
        seen.append((key, dict(attr_desc)))
        return (["x", key.upper()] if key == "id" else key.upper(), value)

    out = pab.JobReleaseTask(id="i", command_line="c", retention_time=timedelta(hours=1)).as_dict(
        key_transformer=upper
    )
    assert out == {"x": {"ID": "i"}, "COMMAND_LINE": "c", "RETENTION_TIME": "PT01H00M00S"}
    assert ("retention_time", {"key": "retentionTime", "type": "duration"}) in seen


@pytest.mark.parametrize(
    "data",
    [
        REST,
        full_release().as_dict(),
        {k.upper(): v for k, v in REST.items()},
        {
            "ID": "cleanup",
            "Command_Line": "/bin/sh -c 'rm -rf shared'",
            "containersettings": {
                "IMAGE_NAME": "busybox",
                "registry": {"USERNAME": "u", "password": "p", "registryserver": "r.io"},
            },
            "resource_files": [{"HttpUrl": "https://h/f.sh", "file_path": "f.sh"}],
            "environmentSettings": [pab.EnvironmentSetting(name="A", value="1")],
            "max_wall_clock_time": timedelta(minutes=10),
            "retentionTime": "P7D",
            "user_identity": {"autoUser": {"SCOPE": "TASK"}},
        },
    ],
    ids=["rest", "attributes", "upper-rest", "mixed"],
)
def test_from_dict_takes_rest_or_attribute_keys_in_any_case(data: dict[str, Any]) -> None:
    task = pab.JobReleaseTask.from_dict(data)
    assert task == full_release()
    assert task.serialize() == REST
    assert task.additional_properties == {}


def test_from_dict_with_rest_key_extractor_only() -> None:
    data = {"commandLine": "a", "command_line": "b", "retention_time": "PT1H"}
    assert pab.JobReleaseTask.from_dict(data).command_line == "b"
    task = pab.JobReleaseTask.from_dict(data, key_extractors=[msrest.rest_key_extractor])
    assert task.command_line == "a"
    assert task.retention_time is None
    assert task.additional_properties == {"command_line": "b", "retention_time": "PT1H"}


def test_deserialize_text_or_dict_with_rest_keys() -> None:
    assert pab.JobReleaseTask.deserialize(json.dumps(REST)) == full_release()
    assert pab.JobReleaseTask.deserialize(json.dumps(REST).encode()) == full_release()
    assert pab.JobReleaseTask.deserialize(REST, content_type="application/json") == full_release()
    odd_case = pab.JobReleaseTask.deserialize({"COMMANDLINE": "x"})
    assert odd_case.command_line is None
    assert odd_case.additional_properties == {"COMMANDLINE": "x"}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ('{"commandLine": "a", "maxWallClockTime": "bogus"}', "max_wall_clock_time: 'bogus'"),
        ('{"commandLine": "a", "retentionTime": "P1M"}', "retention_time"),
        ('{"commandLine": "a", "retentionTime": 5}', "retention_time"),
        ("{not json", "not valid JSON"),
        ("[]", "expected an object"),
        ('{"resourceFiles": {"httpUrl": "x"}}', "resource_files: expected a list"),
        ('{"resourceFiles": ["x"]}', r"resource_files\[0\]: expected an object"),
        ('{"userIdentity": {"autoUser": 3}}', "user_identity.auto_user: expected an object"),
        ('{"commandLine": ["a"]}', "command_line: expected a string"),
    ],
)
def test_deserialize_rejects_malformed_input(data: str, fragment: str) -> None:
    with pytest.raises(pab.DeserializationError, match=fragment):
        pab.JobReleaseTask.deserialize(data)


def test_scalar_coercions_follow_msrest() -> None:
    prep = pab.JobPreparationTask.deserialize(
        {"commandLine": 7, "waitForSuccess": "TRUE", "constraints": {"maxTaskRetryCount": "3"}}
    )
    assert (prep.command_line, prep.wait_for_success) == ("7", True)
    assert isinstance(prep.constraints, pab.TaskConstraints)
    assert prep.constraints.max_task_retry_count == 3
    with pytest.raises(pab.DeserializationError, match="wait_for_success: expected true or false"):
        pab.JobPreparationTask.deserialize({"waitForSuccess": "yes"})
    with pytest.raises(pab.DeserializationError, match="expected an integer"):
        pab.JobPreparationTask.deserialize({"constraints": {"maxTaskRetryCount": True}})


def test_enums_are_canonicalised_but_unknown_values_kept() -> None:
    identity = pab.UserIdentity.from_dict({"autoUser": {"scope": "POOL", "elevationLevel": "root"}})
    assert isinstance(identity.auto_user, pab.AutoUserSpecification)
    assert identity.auto_user.scope == "pool"
    assert identity.auto_user.elevation_level == "root"
    assert [e.path for e in identity.validate()] == ["auto_user.elevation_level"]


def test_is_xml_model() -> None:
    assert pab.JobReleaseTask.is_xml_model() is False
    assert full_release().is_xml_model() is False


def test_enable_additional_properties_sending() -> None:
    class ReleaseWithExtras(pab.JobReleaseTask):
        pass

    task = ReleaseWithExtras.from_dict({"commandLine": "x", "futureFlag": True})
    assert task.additional_properties == {"futureFlag": True}
    assert task.serialize() == {"commandLine": "x"}
    ReleaseWithExtras.enable_additional_properties_sending()
    assert task.serialize() == {"commandLine": "x", "futureFlag": True}
    assert task.as_dict() == {"command_line": "x", "futureFlag": True}
    assert pab.JobReleaseTask.from_dict({"commandLine": "x", "f": 1}).serialize() == {
        "commandLine": "x"
    }


def test_typed_dict_forms_are_accepted() -> None:
    release: pab.JobReleaseTaskDict = {
        "command_line": "c",
        "user_identity": {"auto_user": {"scope": "task"}},
        "resource_files": [{"http_url": "https://h/f", "file_path": "f"}],
    }
    typed = pab.JobReleaseTask(
        command_line="c",
        user_identity=pab.UserIdentity(auto_user=pab.AutoUserSpecification(scope="task")),
        resource_files=[pab.ResourceFile(http_url="https://h/f", file_path="f")],
    )
    args = pab.BatchJobArgs(id="j", pool_info={"pool_id": "p"}, job_release_task=release)
    assert args.serialize()["jobReleaseTask"] == typed.serialize()
    assert pab.JobReleaseTask.from_dict(release) == typed


def test_zero_and_negative_durations_serialize_as_iso_8601() -> None:
    task = pab.TaskConstraints(
        max_wall_clock_time=timedelta(0), retention_time=timedelta(minutes=-5)
    )
    assert task.serialize() == {"maxWallClockTime": "PT0S", "retentionTime": "-PT05M00S"}
    assert pab.TaskConstraints.deserialize(task.serialize()) == task


@pytest.mark.parametrize(
    "unknown",
    # pulumi's Unknown.__init__ has no annotations, so strict mypy rejects the call.
    [UNKNOWN, pulumi.Output.from_input("x"), Unknown()],  # type: ignore[no-untyped-call]
    ids=["placeholder", "output", "provider-host-unknown"],
)
def test_unknown_values_cannot_be_serialized(unknown: Any) -> None:
    task = pab.JobReleaseTask(
        command_line="c", resource_files=[{"http_url": unknown, "file_path": "f"}]
    )
    with pytest.raises(
        pab.SerializationError, match=r"resource_files\[0\]\.http_url: the value is not known yet"
    ):
        task.serialize()
    assert task.validate() == []
    assert is_unknown(unknown)
    assert not is_unknown("value")


@pytest.mark.usefixtures("event_loop_for_outputs")
def test_to_inputs_keeps_outputs_and_formats_durations() -> None:
    output = pulumi.Output.from_input("c")
    task = pab.JobReleaseTask(
        command_line=output,
        max_wall_clock_time=timedelta(minutes=5),
        user_identity={"auto_user": {"scope": "task"}},
    )
    inputs = task.to_inputs()
    assert inputs["command_line"] is output
    assert inputs["max_wall_clock_time"] == "PT05M00S"
    assert inputs["user_identity"] == {"auto_user": {"scope": "task"}}


def test_job_create_requests_need_known_values_and_an_id() -> None:
    args = pab.BatchJobArgs(
        id="j",
        pool_info={"pool_id": "p"},
        tasks=[pab.BatchTaskArgs(id="t1", command_line="a"), {"id": "t2", "command_line": "b"}],
    )
    body, tasks = job_create_requests(args)
    assert body == {"id": "j", "poolInfo": {"poolId": "p"}}
    assert tasks == [{"id": "t1", "commandLine": "a"}, {"id": "t2", "commandLine": "b"}]
    assert args.as_dict()["tasks"] == [
        {"id": "t1", "command_line": "a"},
        {"id": "t2", "command_line": "b"},
    ]
    with pytest.raises(pab.SerializationError, match="id: a job id is required"):
        job_create_requests({"pool_info": {"pool_id": "p"}})
    with pytest.raises(pab.SerializationError, match="not known yet"):
        job_create_requests({"id": "j", "pool_info": {"pool_id": UNKNOWN}})


def test_equality_and_repr() -> None:
    assert full_release() == pab.JobReleaseTask.deserialize(REST)
    assert full_release() != pab.JobReleaseTask(command_line="other")
    assert full_release() != REST
    assert repr(pab.EnvironmentSetting(name="A")) == "EnvironmentSetting(name='A')"


def test_rest_keys_come_from_azure_batch_15() -> None:
    assert pab.UserIdentity.rest_key("user_name") == "username"
    assert pab.BatchJobArgs.rest_key("on_all_tasks_complete") == "onAllTasksComplete"
    assert pab.BatchJobArgs.rest_key("on_task_failure") == "onTaskFailure"
    assert pab.JobReleaseTask.rest_key("max_wall_clock_time") == "maxWallClockTime"


def test_validation_error_shape() -> None:
    error = pab.ValidationError("a.b", "must be at most 3", 4)
    assert (error.path, error.message, error.value, str(error)) == (
        "a.b",
        "must be at most 3",
        4,
        "a.b: must be at most 3 (got 4)",
    )
    assert str(pab.ValidationError("", "is required")) == "is required (got nothing)"
    assert error == pab.ValidationError("a.b", "must be at most 3", 4)


def test_provider_flow_from_inputs_to_rest_requests() -> None:
    """What BatchJob's provider does: args -> resource properties -> check -> create bodies."""
    args = pab.BatchJobArgs(
        id="j",
        pool_info=pab.PoolInformation(pool_id="p"),
        job_preparation_task={"command_line": "setup"},
        job_release_task=pab.JobReleaseTask(
            command_line="cleanup", max_wall_clock_time=timedelta(minutes=5)
        ),
        tasks=[{"id": "t", "command_line": "work"}],
    )
    props = args.to_inputs()
    assert json.loads(json.dumps(props)) == props
    assert pab.validate_job(props) == []
    body, tasks = job_create_requests(props)
    assert body == args.serialize()
    assert body["jobReleaseTask"] == {"commandLine": "cleanup", "maxWallClockTime": "PT05M00S"}
    assert tasks == [{"id": "t", "commandLine": "work"}]
    props["job_release_task"]["max_wall_clock_time"] = "PT16M"
    assert [str(e) for e in pab.validate_job(props)] == [
        "job_release_task.max_wall_clock_time: must be at most 15 minutes (got 0:16:00)"
    ]

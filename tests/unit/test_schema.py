"""The package schema comes from the argument declarations: every field of every argument
class is in it, under its REST name, with its type; the wire tables match it."""

from __future__ import annotations

from typing import Any

import pytest
from schema_docs import TARGET, render

from pulumi_azure_batch_jobs.args._fields import Field
from pulumi_azure_batch_jobs.msrest import BatchModel
from pulumi_azure_batch_jobs.provider._schema import (
    COMPUTED_SETTINGS,
    OUTPUTS,
    SCHEDULE_COMPUTED_SETTINGS,
    SCHEDULE_OUTPUTS,
    SCHEDULE_SETTINGS,
    SETTINGS,
    models,
    package_schema,
)
from pulumi_azure_batch_jobs.provider._tokens import RESOURCE, SCHEDULE_RESOURCE
from pulumi_azure_batch_jobs.provider._wire import (
    OUTPUTS_WIRE,
    SCHEDULE,
    SETTINGS_WIRE,
    from_wire,
    secret,
    to_wire,
)

SCHEMA = package_schema("0.0.0-test")
EXPECTED_TYPE = {
    "str": "string",
    "duration": "string",
    "datetime": "string",
    "int": "integer",
    "bool": "boolean",
}
#: The argument classes that are resources: their id's property name.
RESOURCES = {
    "BatchJobArgs": (RESOURCE, "jobId"),
    "BatchJobScheduleArgs": (SCHEDULE_RESOURCE, "scheduleId"),
}


def _properties_of(model: type[BatchModel]) -> dict[str, Any]:
    if model.__name__ in RESOURCES:
        resource, id_name = RESOURCES[model.__name__]
        properties: dict[str, Any] = SCHEMA["resources"][resource]["inputProperties"]
        return {**properties, "id": properties[id_name]}
    return dict(SCHEMA["types"][f"azure-batch-jobs:index:{model.__name__}"]["properties"])


def _check(field: Field, prop: dict[str, Any]) -> None:
    if field.kind in EXPECTED_TYPE:
        assert prop["type"] == EXPECTED_TYPE[field.kind]
    elif field.kind == "enum":
        enum = SCHEMA["types"][prop["$ref"].removeprefix("#/types/")]
        assert field.enum is not None
        assert [e["value"] for e in enum["enum"]] == [str(v.value) for v in field.enum]
    elif field.kind == "model":
        assert field.model is not None
        assert prop["$ref"].endswith(":" + field.model.__name__)
    elif field.kind == "models":
        assert field.model is not None
        assert prop["type"] == "array"
        assert prop["items"]["$ref"].endswith(":" + field.model.__name__)
    elif field.kind == "strs":
        assert prop["items"] == {"type": "string"}
    else:
        assert prop["$ref"] == "pulumi.json#/Any"
    assert prop["description"]


@pytest.mark.parametrize("model", models(), ids=lambda model: model.__name__)
def test_every_field_of_every_argument_class_is_in_the_schema(model: type[BatchModel]) -> None:
    properties = _properties_of(model)
    for field in model.fields():
        _check(field, properties[model.rest_key(field.attr)])


def test_the_resource_is_complete_and_marks_the_key_secret() -> None:
    resource = SCHEMA["resources"][RESOURCE]
    assert set(resource["properties"]) == set(resource["inputProperties"]) | set(OUTPUTS) | set(
        COMPUTED_SETTINGS
    )
    assert resource["inputProperties"]["accountKey"]["secret"] is True
    assert SCHEMA["config"]["variables"]["accountKey"]["secret"] is True
    assert SCHEMA["types"]["azure-batch-jobs:index:JobReleaseTask"]["required"] == ["commandLine"]
    assert set(SETTINGS) | set(COMPUTED_SETTINGS) == set(SETTINGS_WIRE)
    assert set(OUTPUTS) == set(OUTPUTS_WIRE)


def test_the_schedule_resource_is_complete_with_its_job_specification_and_schedule() -> None:
    resource = SCHEMA["resources"][SCHEDULE_RESOURCE]
    assert set(resource["properties"]) == set(resource["inputProperties"]) | set(
        SCHEDULE_OUTPUTS
    ) | set(SCHEDULE_COMPUTED_SETTINGS)
    assert resource["inputProperties"]["accountKey"]["secret"] is True
    assert resource["requiredInputs"] == ["jobSpecification", "schedule"]
    spec = resource["inputProperties"]["jobSpecification"]["$ref"]
    assert spec == "#/types/azure-batch-jobs:index:JobSpecification"
    job_spec = SCHEMA["types"]["azure-batch-jobs:index:JobSpecification"]["properties"]
    # The job's own argument types, by reference; no initial tasks.
    assert job_spec["jobReleaseTask"]["$ref"].endswith(":JobReleaseTask")
    assert job_spec["poolInfo"]["$ref"].endswith(":PoolInformation")
    assert "tasks" not in job_spec and "id" not in job_spec
    schedule = SCHEMA["types"]["azure-batch-jobs:index:Schedule"]["properties"]
    assert set(schedule) == {"doNotRunUntil", "doNotRunAfter", "startWindow", "recurrenceInterval"}
    assert "at least 1 minute" in schedule["recurrenceInterval"]["description"]
    assert set(SCHEDULE_SETTINGS) | set(SCHEDULE_COMPUTED_SETTINGS) == set(SCHEDULE.settings_wire)
    assert set(SCHEDULE_OUTPUTS) == set(SCHEDULE.outputs_wire)


def test_schedule_wire_properties_round_trip() -> None:
    wire = {
        "scheduleId": "s",
        "schedule": {"recurrenceInterval": "PT1H", "doNotRunUntil": "2026-01-01T00:00:00Z"},
        "jobSpecification": {
            "poolInfo": {"poolId": "p"},
            "jobReleaseTask": {"commandLine": "x", "maxWallClockTime": "PT5M"},
        },
        "accountKey": secret("key"),
    }
    props, secrets = SCHEDULE.from_wire(wire)
    assert props["schedule_id"] == "s"
    assert props["schedule"] == {
        "recurrence_interval": "PT1H",
        "do_not_run_until": "2026-01-01T00:00:00Z",
    }
    assert props["job_specification"]["job_release_task"]["max_wall_clock_time"] == "PT5M"
    assert secrets == {"account_key"}
    assert SCHEDULE.to_wire(props, secrets) == wire


def test_wire_properties_round_trip_with_secrets_and_unknowns() -> None:
    from pulumi.runtime.rpc import UNKNOWN

    wire = {
        "jobId": "j",
        "poolInfo": {"poolId": "p"},
        "jobReleaseTask": {
            "commandLine": "x",
            "maxWallClockTime": "PT5M",
            "environmentSettings": [{"name": "T", "value": secret("s3")}],
        },
        "displayName": UNKNOWN,
        "accountKey": secret("key"),
    }
    props, secrets = from_wire(wire)
    assert props["job_release_task"] == {
        "command_line": "x",
        "max_wall_clock_time": "PT5M",
        "environment_settings": [{"name": "T", "value": "s3"}],
    }
    assert props["display_name"] == UNKNOWN
    assert secrets == {"job_release_task", "account_key"}
    back = to_wire(props, secrets)
    assert back["jobReleaseTask"] == secret(
        {
            "commandLine": "x",
            "maxWallClockTime": "PT5M",
            "environmentSettings": [{"name": "T", "value": "s3"}],
        }
    )
    assert back["poolInfo"] == {"poolId": "p"} and back["accountKey"] == secret("key")


def test_the_typed_provider_properties_have_the_schema_types() -> None:
    """The provider's typed settings and facts (``_props``) are the schema's, name and type."""
    import typing

    from pulumi_azure_batch_jobs.provider._props import (
        ResourceSettings,
        ScheduleFacts,
        ScheduleSettings,
        ServiceFacts,
    )
    from pulumi_azure_batch_jobs.provider._wire import camel_case

    schema_type = {str: "string", bool: "boolean", float: "number", list: "array"}
    described = {**SETTINGS, **COMPUTED_SETTINGS, **OUTPUTS}
    described_schedule = {**SCHEDULE_SETTINGS, **SCHEDULE_COMPUTED_SETTINGS, **SCHEDULE_OUTPUTS}
    for schedule_typed in (ScheduleSettings, ScheduleFacts):
        for name, tp in typing.get_type_hints(schedule_typed).items():
            entry = described_schedule[camel_case(name)]
            assert entry["type"] == schema_type[typing.get_origin(tp) or tp], name
    for typed in (ResourceSettings, ServiceFacts):
        for name, tp in typing.get_type_hints(typed).items():
            entry = described[camel_case(name)]
            if tp is typing.Any:
                assert entry["$ref"] == "pulumi.json#/Any", name
            elif typing.get_origin(tp) is dict:  # an object type of its own
                properties = SCHEMA["types"][entry["$ref"].removeprefix("#/types/")]
                value_type = typing.get_args(tp)[1]
                kinds = {p["type"] for p in properties["properties"].values()}
                assert value_type is int and kinds == {"integer"}, name
            else:
                assert entry["type"] == schema_type[typing.get_origin(tp) or tp], name


def test_the_api_reference_is_the_schema_rendered() -> None:
    """``docs/api-reference.md`` is generated: regenerate with ``tools/schema_docs.py``."""
    assert TARGET.read_text() == render()

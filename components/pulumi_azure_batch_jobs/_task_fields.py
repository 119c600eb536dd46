"""Type aliases and field declarations shared by the task argument classes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from ._common_args import (
    EnvironmentSetting,
    EnvironmentSettingDict,
    ResourceFile,
    ResourceFileDict,
    TaskConstraints,
    TaskConstraintsDict,
    TaskContainerSettings,
    TaskContainerSettingsDict,
    UserIdentity,
    UserIdentityDict,
)
from ._model import Field

Json = Mapping[str, Any]
Container = pulumi.Input[TaskContainerSettings | TaskContainerSettingsDict]
Files = pulumi.Input[Sequence[pulumi.Input[ResourceFile | ResourceFileDict]]]
Env = pulumi.Input[Sequence[pulumi.Input[EnvironmentSetting | EnvironmentSettingDict]]]
Identity = pulumi.Input[UserIdentity | UserIdentityDict]
Constraints = pulumi.Input[TaskConstraints | TaskConstraintsDict]

ID = Field("id", "str", "str")
COMMAND_LINE = Field("command_line", "str", "str")
DISPLAY_NAME = Field("display_name", "str", "str")
CONTAINER = Field(
    "container_settings", "model", "TaskContainerSettings", model="TaskContainerSettings"
)
FILES = Field("resource_files", "models", "[ResourceFile]", model="ResourceFile")
ENV = Field("environment_settings", "models", "[EnvironmentSetting]", model="EnvironmentSetting")
IDENTITY = Field("user_identity", "model", "UserIdentity", model="UserIdentity")
CONSTRAINTS = Field("constraints", "model", "TaskConstraints", model="TaskConstraints")
SLOTS = Field("required_slots", "int", "int")
OUTPUT_FILES = Field("output_files", "raw", "[OutputFile]")
PACKAGES = Field("application_package_references", "raw", "[ApplicationPackageReference]")
# azure-batch 15 dropped this REST property from its task models; the service still takes it.
TOKEN = Field(
    "authentication_token_settings",
    "raw",
    "AuthenticationTokenSettings",
    rest_key="authenticationTokenSettings",
)

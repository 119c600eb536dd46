"""Pulumi component for Azure Batch jobs: typed arguments, plan-time validation, REST mapping.

Argument classes mirror the azure-batch 14 (msrest) models the seed documents, starting with
:class:`JobReleaseTask`; REST JSON is produced and parsed by the azure-batch 15 models.

For a provider: ``BatchJobArgs.to_inputs()`` gives attribute-keyed resource properties (Outputs
kept, durations as ISO 8601 text); once resolved, ``validate_job(props)`` checks them (unknown
values skipped) and ``job_create_requests(props)`` gives the Add Job body and the task bodies.
"""

from ._batch_task_args import (
    BatchTaskArgs,
    BatchTaskArgsDict,
    TaskDependencies,
    TaskDependenciesDict,
    TaskIdRange,
    TaskIdRangeDict,
)
from ._common_args import (
    AutoUserSpecification,
    AutoUserSpecificationDict,
    ComputeNodeIdentityReference,
    ComputeNodeIdentityReferenceDict,
    ContainerHostBatchBindMountEntry,
    ContainerHostBatchBindMountEntryDict,
    ContainerRegistry,
    ContainerRegistryDict,
    EnvironmentSetting,
    EnvironmentSettingDict,
    MetadataItem,
    MetadataItemDict,
    ResourceFile,
    ResourceFileDict,
    TaskConstraints,
    TaskConstraintsDict,
    TaskContainerSettings,
    TaskContainerSettingsDict,
    UserIdentity,
    UserIdentityDict,
)
from ._extractors import (
    attribute_key_case_insensitive_extractor,
    attribute_key_extractor,
    last_rest_key_case_insensitive_extractor,
    last_rest_key_extractor,
    rest_key_case_insensitive_extractor,
    rest_key_extractor,
)
from ._job_args import (
    AutoPoolSpecification,
    AutoPoolSpecificationDict,
    BatchJobArgs,
    BatchJobArgsDict,
    JobConstraints,
    JobConstraintsDict,
    PoolInformation,
    PoolInformationDict,
    job_create_requests,
    validate_job,
)
from ._job_spec import job_args_from_spec, job_spec_from_args, load_job_spec
from ._model import (
    BatchModel,
    DeserializationError,
    SerializationError,
    ValidationError,
    attribute_transformer,
    full_restapi_key_transformer,
    last_restapi_key_transformer,
)
from ._resource import BatchJob, Provider
from ._task_args import (
    JobManagerTask,
    JobManagerTaskDict,
    JobPreparationTask,
    JobPreparationTaskDict,
    JobReleaseTask,
    JobReleaseTaskDict,
)
from ._values import is_unknown

__all__ = [
    "AutoPoolSpecification",
    "AutoPoolSpecificationDict",
    "AutoUserSpecification",
    "AutoUserSpecificationDict",
    "BatchJob",
    "BatchJobArgs",
    "BatchJobArgsDict",
    "BatchModel",
    "BatchTaskArgs",
    "BatchTaskArgsDict",
    "ComputeNodeIdentityReference",
    "ComputeNodeIdentityReferenceDict",
    "ContainerHostBatchBindMountEntry",
    "ContainerHostBatchBindMountEntryDict",
    "ContainerRegistry",
    "ContainerRegistryDict",
    "DeserializationError",
    "EnvironmentSetting",
    "EnvironmentSettingDict",
    "JobConstraints",
    "JobConstraintsDict",
    "JobManagerTask",
    "JobManagerTaskDict",
    "JobPreparationTask",
    "JobPreparationTaskDict",
    "JobReleaseTask",
    "JobReleaseTaskDict",
    "MetadataItem",
    "MetadataItemDict",
    "PoolInformation",
    "PoolInformationDict",
    "Provider",
    "ResourceFile",
    "ResourceFileDict",
    "SerializationError",
    "TaskConstraints",
    "TaskConstraintsDict",
    "TaskContainerSettings",
    "TaskContainerSettingsDict",
    "TaskDependencies",
    "TaskDependenciesDict",
    "TaskIdRange",
    "TaskIdRangeDict",
    "UserIdentity",
    "UserIdentityDict",
    "ValidationError",
    "attribute_key_case_insensitive_extractor",
    "attribute_key_extractor",
    "attribute_transformer",
    "full_restapi_key_transformer",
    "is_unknown",
    "job_args_from_spec",
    "job_create_requests",
    "job_spec_from_args",
    "last_rest_key_case_insensitive_extractor",
    "last_rest_key_extractor",
    "last_restapi_key_transformer",
    "load_job_spec",
    "rest_key_case_insensitive_extractor",
    "rest_key_extractor",
    "validate_job",
]

"""Azure Batch jobs as Pulumi resources: ``BatchJob``, ``BatchJobSchedule``, ``Provider`` and
their typed arguments.

Argument classes mirror the azure-batch 14 (msrest) models the seed documents, starting with
:class:`JobReleaseTask`; REST JSON is produced and parsed by the azure-batch 15 models. Each
class has a ``...Dict`` form accepted wherever the class is. msrest's plumbing (key
extractors and transformers, the ``BatchModel`` base) is in :mod:`pulumi_azure_batch_jobs.msrest`.
"""

from ._resource import BatchJob, BatchJobSchedule, Provider
from .args._common import (
    AutoUserSpecification,
    ComputeNodeIdentityReference,
    ContainerHostBatchBindMountEntry,
    ContainerRegistry,
    EnvironmentSetting,
    MetadataItem,
    ResourceFile,
    TaskConstraints,
    TaskContainerSettings,
    UserIdentity,
)
from .args._dicts import (
    AutoPoolSpecificationDict,
    AutoUserSpecificationDict,
    BatchJobArgsDict,
    BatchJobScheduleArgsDict,
    BatchTaskArgsDict,
    ComputeNodeIdentityReferenceDict,
    ContainerHostBatchBindMountEntryDict,
    ContainerRegistryDict,
    EnvironmentSettingDict,
    JobConstraintsDict,
    JobManagerTaskDict,
    JobPreparationTaskDict,
    JobReleaseTaskDict,
    JobSpecificationDict,
    MetadataItemDict,
    PoolInformationDict,
    ResourceFileDict,
    ScheduleDict,
    TaskConstraintsDict,
    TaskContainerSettingsDict,
    TaskDependenciesDict,
    TaskIdRangeDict,
    UserIdentityDict,
)
from .args._errors import DeserializationError, SerializationError, UnknownArgumentError
from .args._initial_tasks import BatchTaskArgs, TaskDependencies, TaskIdRange
from .args._job import (
    AutoPoolSpecification,
    BatchJobArgs,
    JobConstraints,
    JobSpecification,
    PoolInformation,
    validate_job,
)
from .args._schedule import BatchJobScheduleArgs, Schedule, validate_job_schedule
from .args._spec import job_args_from_spec, job_spec_from_args, load_job_spec
from .args._tasks import JobManagerTask, JobPreparationTask, JobReleaseTask
from .validation._errors import ValidationError

__all__ = [
    "AutoPoolSpecification",
    "AutoPoolSpecificationDict",
    "AutoUserSpecification",
    "AutoUserSpecificationDict",
    "BatchJob",
    "BatchJobArgs",
    "BatchJobArgsDict",
    "BatchJobSchedule",
    "BatchJobScheduleArgs",
    "BatchJobScheduleArgsDict",
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
    "JobSpecification",
    "JobSpecificationDict",
    "MetadataItem",
    "MetadataItemDict",
    "PoolInformation",
    "PoolInformationDict",
    "Provider",
    "ResourceFile",
    "ResourceFileDict",
    "Schedule",
    "ScheduleDict",
    "SerializationError",
    "TaskConstraints",
    "TaskConstraintsDict",
    "TaskContainerSettings",
    "TaskContainerSettingsDict",
    "TaskDependencies",
    "TaskDependenciesDict",
    "TaskIdRange",
    "TaskIdRangeDict",
    "UnknownArgumentError",
    "UserIdentity",
    "UserIdentityDict",
    "ValidationError",
    "job_args_from_spec",
    "job_spec_from_args",
    "load_job_spec",
    "validate_job",
    "validate_job_schedule",
]

"""The provider's properties, typed: what the engine sends for a ``BatchJob`` (or a
``BatchJobSchedule``) and what the provider records for it, by provider name (wire names are
their camelCase, ``_wire``).

Beside these keys the properties hold the job's fields: ``BatchJobArgs``'s under their
attribute names, plain JSON values (unknowns during a preview). Only the spec bridge
(``_spec_bridge``) reads those, as a mapping derived from the declarations; ``id`` is
``job_id`` here.
"""

from __future__ import annotations

from typing import Any, TypedDict


class AccountSettings(TypedDict, total=False):
    """The settings every resource of the plugin has: the account, the delete's bound."""

    endpoint: str
    account_name: str
    account_key: str
    delete_timeout_seconds: float


class ResourceSettings(AccountSettings, total=False):
    """A ``BatchJob``'s own settings: not fields of the Batch job."""

    job_id: str
    #: Set by ``check``: whether ``job_id`` was generated from the resource's name.
    job_id_generated: bool
    on_delete: str
    adopt: bool
    wait_for_tasks: str
    wait_timeout_seconds: float
    #: Any values; a change replaces the job.
    triggers: Any


class ServiceFacts(TypedDict, total=False):
    """What the service reports about the job, and the resource's stamp on it."""

    url: str
    etag: str
    state: str
    creation_time: str
    last_modified: str
    preparation_and_release_status: list[dict[str, Any]]
    owner: str
    #: ``active``, ``running``, ``completed``, ``succeeded``, ``failed``.
    task_counts: dict[str, int]


class BatchJobInputs(ResourceSettings, total=False):
    """The inputs of a ``BatchJob``: the resource's settings (and the job's fields)."""


class BatchJobState(BatchJobInputs, ServiceFacts, total=False):
    """What the provider records for a ``BatchJob``: its inputs echoed and the facts."""


#: Provider names of the settings and of the facts.
SETTING_NAMES = tuple(ResourceSettings.__annotations__)
FACT_NAMES = tuple(ServiceFacts.__annotations__)


class ScheduleSettings(AccountSettings, total=False):
    """A ``BatchJobSchedule``'s own settings: not fields of the Batch job schedule."""

    schedule_id: str
    #: Set by ``check``: whether ``schedule_id`` was generated from the resource's name.
    schedule_id_generated: bool
    #: False: the schedule is disabled (creates no job); absent or true: enabled.
    enabled: bool


class ScheduleFacts(TypedDict, total=False):
    """What the service reports about the job schedule, and the resource's stamp on it."""

    url: str
    etag: str
    state: str
    creation_time: str
    last_modified: str
    next_run_time: str
    recent_job_id: str
    #: Newest first: ``id``, ``state``, ``creationTime``, ``preparationAndReleaseStatus``.
    recent_jobs: list[dict[str, Any]]
    owner: str


class BatchJobScheduleInputs(ScheduleSettings, total=False):
    """The inputs of a ``BatchJobSchedule``: its settings (and the schedule's fields)."""


class BatchJobScheduleState(BatchJobScheduleInputs, ScheduleFacts, total=False):
    """What the provider records for a ``BatchJobSchedule``: inputs echoed and the facts."""


#: Provider names of a job schedule's settings and of its facts.
SCHEDULE_SETTING_NAMES = tuple(ScheduleSettings.__annotations__)
SCHEDULE_FACT_NAMES = tuple(ScheduleFacts.__annotations__)

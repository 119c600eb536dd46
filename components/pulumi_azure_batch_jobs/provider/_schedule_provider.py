"""The ``BatchJobSchedule`` resource's operations on the provider's flat properties.

Shares the account, the client and the thread pool with the job's (``AccountProvider``), the
create token and owner stamp, the generated ids and the bounded waits; what differs is the
schedule's REST surface (``core._schedule_service``) and its diff table.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from ..args._schedule import BatchJobScheduleArgs
from ..core._connection import BatchConfigurationError
from ..core._diff_plan import SCHEDULE_TABLE, DiffPlan, plan_diff
from ..core._stamp import taken_over, with_create_token
from ..validation._errors import ValidationError
from ..validation._values import is_unknown
from . import _schedule_bridge as bridge
from ._props import BatchJobScheduleInputs, BatchJobScheduleState, ScheduleSettings
from ._provider import (
    AccountProvider,
    Progress,
    Urn,
    delete_timeout,
    fill_generated_id,
    generated_id,
    positive_seconds,
    with_generated_id_of,
)
from ._spec_bridge import canonical
from ._wire import SCHEDULE

if TYPE_CHECKING:
    from ..core._schedule_service import BatchJobScheduleService

#: Elements whose change applies to the jobs the schedule creates afterwards.
_FUTURE_JOBS = ("schedule", "job_specification")


def _schedule_field(props: Mapping[str, Any], name: str) -> Any:
    schedule = props.get("schedule")
    return schedule.get(name) if isinstance(schedule, Mapping) else None


def _enabled(props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` with ``enabled`` spelled out: absent means enabled."""
    value = props.get("enabled")
    return {**props, "enabled": True if value is None else value}


class BatchJobSchedulesProvider(AccountProvider):
    """Check, diff, create, read, update and delete Batch job schedules."""

    # -- plan -----------------------------------------------------------------------------

    def check(
        self, urn: str, olds: BatchJobScheduleState, news: BatchJobScheduleInputs
    ) -> tuple[BatchJobScheduleInputs, list[str]]:
        """Inputs with a schedule id and the account filled in, durations and date-times as
        the service writes them, and every broken rule.

        ``do_not_run_after`` is compared with now (this machine's clock) only when it is new
        or changed: a schedule that has run out keeps planning without an error."""
        inputs = cast(BatchJobScheduleInputs, canonical(BatchJobScheduleArgs, news))
        props = cast(dict[str, Any], inputs)
        fill_generated_id(
            olds,
            props,
            "schedule_id",
            lambda: generated_id(Urn.parse(urn), {"display_name": props.get("display_name")}),
        )
        after = _schedule_field(props, "do_not_run_after")
        changed = after != _schedule_field(cast(Mapping[str, Any], olds), "do_not_run_after")
        errors = bridge.validate(props, datetime.now(UTC) if changed else None)
        enabled = props.get("enabled")
        if enabled is not None and not is_unknown(enabled) and not isinstance(enabled, bool):
            errors.append(ValidationError("enabled", "must be true or false", enabled))
        errors.extend(positive_seconds(inputs, "delete_timeout_seconds"))
        failures = [str(SCHEDULE.wire_error(error)) for error in errors]
        try:
            self._record_account(inputs)
        except BatchConfigurationError as exc:
            failures.append(str(exc))
        return inputs, failures

    @staticmethod
    def diff(olds: BatchJobScheduleState, news: BatchJobScheduleInputs) -> tuple[DiffPlan, bool]:
        """What changes, and whether the old schedule must go first (its id stays)."""
        current = with_generated_id_of(olds, news, "schedule_id")
        plan = plan_diff(_enabled(olds), _enabled(current), SCHEDULE_TABLE)
        return plan, not plan.replaces or not news.get("schedule_id_generated")

    @staticmethod
    def diff_note(olds: BatchJobScheduleState, plan: DiffPlan) -> str | None:
        """What the preview should say of an in-place change of the schedule's jobs."""
        changed = [name for name in _FUTURE_JOBS if name in plan.patches]
        if not changed:
            return None
        what = " and ".join(SCHEDULE.wire_path(name) for name in changed)
        recent = olds.get("recent_job_id")
        running = f"job {recent}" if recent and olds.get("state") == "active" else "a running job"
        return (
            f"the change of {what} applies to the jobs created from now on; {running} keeps "
            "its old specification"
        )

    # -- apply ----------------------------------------------------------------------------

    async def create(
        self, urn: str, props: BatchJobScheduleInputs, progress: Progress
    ) -> BatchJobScheduleState:
        return await self._run(self._create, Urn.parse(urn), props, progress)

    def _create(
        self, urn: Urn, props: BatchJobScheduleInputs, progress: Progress
    ) -> BatchJobScheduleState:
        service = self._service(props, progress)
        owner = uuid.uuid4().hex[:16]
        found = service.create(bridge.to_rest(props), urn.create_token(), owner)
        schedule_id = str(found.get("id") or props["schedule_id"])
        if props.get("enabled") is False:
            found = service.set_enabled(schedule_id, False)
        outs = _outputs(props, bridge.observed_outputs(found), [])
        outs["schedule_id"] = schedule_id
        outs["owner"] = owner
        return outs

    async def update(
        self,
        urn: str,
        olds: BatchJobScheduleState,
        news: BatchJobScheduleInputs,
        progress: Progress,
    ) -> BatchJobScheduleState:
        return await self._run(self._update, Urn.parse(urn), olds, news, progress)

    def _update(
        self,
        urn: Urn,
        olds: BatchJobScheduleState,
        news: BatchJobScheduleInputs,
        progress: Progress,
    ) -> BatchJobScheduleState:
        current = cast(BatchJobScheduleInputs, with_generated_id_of(olds, news, "schedule_id"))
        plan, _ = self.diff(olds, current)
        service = self._service(current, progress)
        schedule_id = str(current["schedule_id"])
        observed = {k: v for k, v in olds.items() if k in bridge.COMPUTED_OUTPUTS}
        if plan.patches:
            body = bridge.to_rest(current)
            changes = {bridge.rest_key(f): body.get(bridge.rest_key(f)) for f in plan.patches}
            if "metadata" in changes:
                token, owner = urn.create_token(), olds.get("owner")
                changes["metadata"] = with_create_token(changes["metadata"], token, owner)
            found = service.patch(schedule_id, changes, olds.get("etag"))
            observed.update(bridge.observed_outputs(found))
            note = self.diff_note(olds, plan)
            if note:
                progress(note)
        if plan.toggles:
            found = service.set_enabled(schedule_id, current.get("enabled") is not False)
            observed.update(bridge.observed_outputs(found))
        return _outputs(current, observed, olds.get("recent_jobs") or [])

    async def read(
        self, id_: str, props: BatchJobScheduleState, progress: Progress
    ) -> BatchJobScheduleState | None:
        """The schedule as the service has it (inputs refreshed from it), or None when gone."""
        return await self._run(self._read, id_, props, progress)

    def _read(
        self, id_: str, props: BatchJobScheduleState, progress: Progress
    ) -> BatchJobScheduleState | None:
        service = self._service(props, progress)
        found = service.get(id_)
        if found is None:
            return None
        if not props:  # an import: the schedule's own specification is the declaration
            spec = bridge.imported_spec(found)
            props = cast(
                BatchJobScheduleState,
                {**spec, "schedule_id": id_, "schedule_id_generated": False},
            )
            self._record_account(props)
        refreshed = bridge.merge_observed(props, found)
        return _outputs(refreshed, bridge.observed_outputs(found), service.recent_jobs(id_))

    async def delete(self, id_: str, props: BatchJobScheduleState, progress: Progress) -> None:
        await self._run(self._delete, id_, props, progress)

    def _delete(self, id_: str, props: BatchJobScheduleState, progress: Progress) -> None:
        service = self._service(props, progress)
        found = service.get(id_)
        if found is None:
            return
        if taken_over(found, props.get("owner")):
            progress(f"job schedule {id_} now belongs to this resource's replacement: kept")
            return
        service.delete(id_, timeout=delete_timeout(props))

    # -- helpers --------------------------------------------------------------------------

    def _service(self, props: ScheduleSettings, progress: Progress) -> BatchJobScheduleService:
        from ..core._schedule_service import BatchJobScheduleService  # imports azure-core

        return BatchJobScheduleService(self._client(props), progress=progress)


def _outputs(
    props: BatchJobScheduleInputs, observed: Mapping[str, Any], recent: list[dict[str, Any]]
) -> BatchJobScheduleState:
    """Inputs echoed (the engine diffs old outputs against new inputs) plus facts."""
    outs = {k: v for k, v in props.items() if k != "__provider"}
    outs.update(observed)
    outs["recent_jobs"] = recent
    return cast(BatchJobScheduleState, outs)

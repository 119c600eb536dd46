"""How ``BatchJob`` merges ``args`` with its keyword shorthands."""

from __future__ import annotations

import re

import pytest

from pulumi_azure_batch_jobs import BatchJobArgs, PoolInformation
from pulumi_azure_batch_jobs._resource import _job_args


def test_keywords_override_args_and_shorthands_map_to_fields() -> None:
    args = BatchJobArgs(pool_info=PoolInformation(pool_id="a"), id="from-args", priority=1)
    merged = _job_args(args, job_id="from-keyword", pool_id="b", priority=5)
    assert merged.id == "from-keyword"
    assert isinstance(merged.pool_info, PoolInformation)
    assert merged.pool_info.pool_id == "b"
    assert merged.priority == 5
    assert args.id == "from-args", "the caller's args are not modified"


def test_dict_args_are_accepted() -> None:
    merged = _job_args({"pool_info": {"pool_id": "p"}, "priority": 3}, job_id=None, pool_id=None)
    assert merged.priority == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "pool_id (or pool_info) is required"),
        ({"pool_id": "a", "pool_info": {"pool_id": "b"}}, "either pool_id or pool_info"),
        (
            {"pool_id": "a", "job_release_tsk": {}},
            "BatchJob: unknown argument 'job_release_tsk' (did you mean 'job_release_task'?)",
        ),
    ],
)
def test_mistakes_are_named(kwargs: dict[str, object], message: str) -> None:
    pool_id = kwargs.pop("pool_id", None)
    with pytest.raises(TypeError, match=re.escape(message)):
        _job_args(None, job_id=None, pool_id=pool_id, **kwargs)  # type: ignore[arg-type]

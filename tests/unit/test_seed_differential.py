"""Differential test: our argument classes against the seed's (azure-batch 14.x, msrest).

The seed SDK cannot share the venv with azure-batch 15 (same package name); it is installed
apart with ``pip install --target .venv/seed-sdk -r tools/seed-sdk-requirements.txt`` and run in
a subprocess that answers for a whole batch of hypothesis-generated inputs at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pulumi_azure_batch_jobs as pab
from pulumi_azure_batch_jobs import msrest
from tests.support.job_args import (
    REPO,
    initial_tasks,
    jobs,
    manager_tasks,
    normalize_durations,
    preparation_tasks,
    release_tasks,
    to_json_value,
)

SEED_SDK = REPO / ".venv" / "seed-sdk"
ORACLE = REPO / "tests" / "support" / "seed_oracle.py"

pytestmark = pytest.mark.skipif(
    not (SEED_SDK / "azure" / "batch").is_dir(),
    reason=f"seed SDK not installed at {SEED_SDK} "
    "(pip install --target .venv/seed-sdk -r tools/seed-sdk-requirements.txt)",
)

OURS: dict[str, type[msrest.BatchModel]] = {
    "JobReleaseTask": pab.JobReleaseTask,
    "JobPreparationTask": pab.JobPreparationTask,
    "JobManagerTask": pab.JobManagerTask,
    "JobAddParameter": pab.BatchJobArgs,
    "TaskAddParameter": pab.BatchTaskArgs,
}


def ask_seed(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    env = {**os.environ, "PYTHONPATH": str(SEED_SDK)}
    proc = subprocess.run(
        [sys.executable, str(ORACLE)],
        input=json.dumps({"cases": cases}),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["version"].startswith("14.")
    results: list[dict[str, Any]] = answer["results"]
    assert len(results) == len(cases)
    return results


def ours(cls_name: str, data: dict[str, Any]) -> dict[str, Any]:
    cls = OURS[cls_name]
    obj = cls.from_dict(data)
    rest = obj.serialize()
    return {
        "serialize": rest,
        "as_dict": obj.as_dict(key_transformer=msrest.attribute_transformer),
        "full": obj.as_dict(key_transformer=msrest.full_restapi_key_transformer),
        "last": obj.as_dict(key_transformer=msrest.last_restapi_key_transformer),
        "roundtrip": cls.deserialize(rest).as_dict(),
    }


def compare(cases: list[dict[str, Any]]) -> None:
    seed_results = ask_seed(cases)
    for case, seed in zip(cases, seed_results, strict=True):
        assert "error" not in seed, (case, seed)
        mine = ours(case["class"], case["data"])
        for key in ("serialize", "as_dict", "full", "last", "roundtrip"):
            assert normalize_durations(mine[key]) == normalize_durations(seed[key]), (key, case)


def batch(strategy: st.SearchStrategy[dict[str, Any]], size: int) -> st.SearchStrategy[Any]:
    return st.lists(strategy.map(to_json_value), min_size=size, max_size=size)


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch(release_tasks(bind_mounts=False), 40))
def test_job_release_task_matches_seed(datas: list[dict[str, Any]]) -> None:
    compare([{"class": "JobReleaseTask", "data": d} for d in datas])


@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    batch(preparation_tasks(bind_mounts=False), 20),
    batch(manager_tasks(bind_mounts=False), 20),
    batch(jobs(bind_mounts=False, with_tasks=False), 20),
    batch(initial_tasks, 20),
)
def test_job_types_match_seed(
    preps: list[dict[str, Any]],
    managers: list[dict[str, Any]],
    job_datas: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
) -> None:
    compare(
        [{"class": "JobPreparationTask", "data": d} for d in preps]
        + [{"class": "JobManagerTask", "data": d} for d in managers]
        + [{"class": "JobAddParameter", "data": d} for d in job_datas]
        + [{"class": "TaskAddParameter", "data": d} for d in tasks]
    )


def test_rest_keys_any_case_and_seed_required_rules() -> None:
    """REST-keyed, oddly-cased input parses alike; what the seed rejects, we reject too."""
    cases: list[dict[str, Any]] = [
        {
            "class": "JobReleaseTask",
            "data": {
                "COMMANDLINE": "/bin/sh -c 'rm -rf shared/*'",
                "maxWallClockTime": "PT10M",
                "RetentionTime": "P7D",
                "userIdentity": {"AutoUser": {"scope": "TASK", "elevationLevel": "Admin"}},
                "resourceFiles": [{"httpUrl": "https://a/b", "FILEPATH": "b", "fileMode": "0644"}],
            },
        },
        {"class": "JobReleaseTask", "data": {"id": "x"}},
        {"class": "JobManagerTask", "data": {"commandLine": "x"}},
    ]
    seed = ask_seed(cases)
    mine = ours("JobReleaseTask", cases[0]["data"])
    for key in ("serialize", "as_dict", "full", "last", "roundtrip"):
        assert normalize_durations(mine[key]) == normalize_durations(seed[0][key]), key
    assert seed[0]["validate"] == []
    assert pab.JobReleaseTask.from_dict(cases[0]["data"]).validate() == []
    for case, answer in zip(cases[1:], seed[1:], strict=True):
        assert answer["validate"], "the seed reports the missing required field"
        assert OURS[case["class"]].from_dict(case["data"]).validate()


MALFORMED = [
    {"commandLine": "a", "maxWallClockTime": "bogus"},
    {"commandLine": "a", "retentionTime": "15 minutes"},
    {"commandLine": "a", "resourceFiles": "f.sh"},
    {"commandLine": "a", "userIdentity": "root"},
    {"commandLine": "a", "maxWallClockTime": 900},
]


def test_malformed_rest_json_is_a_deserialization_error_for_both() -> None:
    cases = [{"class": "JobReleaseTask", "data": d, "deserialize": True} for d in MALFORMED]
    for data, seed in zip(MALFORMED, ask_seed(cases), strict=True):
        assert seed.get("error", "").startswith("DeserializationError"), (data, seed)
        with pytest.raises(pab.DeserializationError):
            pab.JobReleaseTask.deserialize(json.dumps(data))

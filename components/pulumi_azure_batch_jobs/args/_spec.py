"""``az batch job create --json-file`` specs (REST JSON of Add Job) to typed arguments and back."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from ._errors import DeserializationError
from ._job import BatchJobArgs

__all__ = ["job_args_from_spec", "job_spec_from_args", "load_job_spec"]


def job_args_from_spec(spec: str | bytes | Mapping[str, Any]) -> BatchJobArgs:
    """Typed arguments from a job spec (JSON text or dict; REST keys, any case).

    Properties the arguments do not model (e.g. read-only ones pasted from a Get Job response)
    are kept in ``additional_properties`` so that :func:`job_spec_from_args` gives them back.
    """
    if isinstance(spec, str | bytes):
        try:
            spec = json.loads(spec)
        except ValueError as exc:
            raise DeserializationError(f"not valid JSON: {exc}") from exc
    if not isinstance(spec, Mapping):
        raise DeserializationError(f"a job spec must be a JSON object, got {type(spec).__name__}")
    return BatchJobArgs.from_dict(spec)


def job_spec_from_args(args: BatchJobArgs) -> dict[str, Any]:
    """The job spec (REST JSON) of typed arguments, additional properties included.

    Initial ``tasks`` are not part of an Add Job spec and are left out.
    """
    return args._rest(include_local=False, extra=True)


def load_job_spec(path: str | os.PathLike[str]) -> BatchJobArgs:
    """Typed arguments from a job spec file, as passed to ``az batch job create --json-file``."""
    with open(path, encoding="utf-8") as handle:
        return job_args_from_spec(handle.read())

"""Run under PYTHONPATH=.venv/seed-sdk: answers with the seed SDK (azure-batch 14, msrest).

Reads {"cases": [{"class": ..., "data": {...}}]} on stdin, writes one result per case on stdout.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def main() -> None:
    import azure.batch
    import azure.batch.models as models
    from msrest.serialization import (
        attribute_transformer,
        full_restapi_key_transformer,
        last_restapi_key_transformer,
    )

    if not azure.batch.__version__.startswith("14."):
        raise SystemExit(f"expected azure-batch 14.x, got {azure.batch.__version__}")
    results: list[dict[str, Any]] = []
    for case in json.load(sys.stdin)["cases"]:
        cls = getattr(models, case["class"])
        try:
            if case.get("deserialize"):
                obj = cls.deserialize(json.dumps(case["data"]), content_type="application/json")
            else:
                obj = cls.from_dict(case["data"])
            rest = obj.serialize()
            results.append(
                {
                    "serialize": rest,
                    "as_dict": obj.as_dict(key_transformer=attribute_transformer),
                    "full": obj.as_dict(key_transformer=full_restapi_key_transformer),
                    "last": obj.as_dict(key_transformer=last_restapi_key_transformer),
                    "roundtrip": cls.deserialize(rest).as_dict(),
                    "validate": [str(e) for e in obj.validate()],
                }
            )
        except Exception as exc:  # reported to the test as data
            results.append({"error": f"{type(exc).__name__}: {exc}"})
    json.dump({"version": azure.batch.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()

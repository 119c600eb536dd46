"""Plan-time validation: Batch's documented rules as pure functions over plain values.

Every validator takes an attribute-keyed value and its field path and appends
:class:`ValidationError` s; values not known yet (Outputs, the engine's placeholder) are
skipped. Layer 1: imports nothing of the package's higher layers.
"""

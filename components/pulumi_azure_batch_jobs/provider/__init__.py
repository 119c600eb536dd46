"""The ``azure-batch-jobs`` resource provider plugin: wire format, schema, operations, gRPC.

Layer 3: builds on the argument declarations (layer 2), validation (1) and the Batch core (0).
"""

"""The typed arguments: one declaration per field, the msrest model surface, job specs.

Layer 2: builds on validation (1); knows nothing of the provider.
"""

"""The Batch side of a job's lifecycle: account connection, REST calls, the diff table.

Layer 0: no Pulumi import and nothing of the package's higher layers, so any provider
mechanism (the native plugin, the 0.1 dynamic provider) wraps the same code.
"""

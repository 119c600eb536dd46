"""A local Azure Batch service: the REST API of pools, nodes, jobs and tasks.

Run it with ``batch-emulator serve``; embed it with :func:`batch_emulator.build`.
"""

from importlib.metadata import version

from batch_emulator.app import Emulator, EmulatorConfig, build

__all__ = ["Emulator", "EmulatorConfig", "__version__", "build"]
#: The distribution's version, stated once, in emulator/pyproject.toml.
__version__ = version("azure-batch-emulator")

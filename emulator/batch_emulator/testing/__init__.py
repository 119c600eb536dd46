"""Run the emulator from tests, benchmarks and demos (like moto's ``ThreadedMotoServer``).

    with start_emulator(nodes=2) as emu:
        client = BatchClient(emu.endpoint, AzureNamedKeyCredential(emu.account, emu.key))

:func:`start_emulator` starts ``batch-emulator serve`` on 127.0.0.1 (free ports, in memory
or on disk) and returns an :class:`EmulatorHandle` once it is ready; :func:`serve_files`
serves a directory of resource files on loopback; :class:`SharedKey` signs raw REST calls
as Batch clients do.
"""

from batch_emulator.cli import READY_PREFIX
from batch_emulator.testing._file_server import serve_files
from batch_emulator.testing._launcher import EmulatorHandle, EmulatorStartError, start_emulator
from batch_emulator.testing._shared_key import SharedKey

__all__ = [
    "READY_PREFIX",
    "EmulatorHandle",
    "EmulatorStartError",
    "SharedKey",
    "serve_files",
    "start_emulator",
]

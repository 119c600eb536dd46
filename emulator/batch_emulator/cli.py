"""``batch-emulator serve``: run a local Azure Batch account over HTTP (and HTTPS).

On start it prints the endpoint, account and key for people, an ``eval``-able block of
``export`` lines for shells, and one machine-readable line for programs::

    BATCH_EMULATOR_READY {"endpoint": ..., "account": ..., "key": ..., ...}

It stops cleanly on SIGINT or SIGTERM. Keys are printed once at start, never logged.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import ipaddress
import json
import logging
import secrets
import shlex
import signal
import socket
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import uvicorn

from batch_emulator.app import Emulator, EmulatorConfig, build
from batch_emulator.engine import ENGINES, EngineClock, make_engine, set_account_url
from batch_emulator.errors import BatchError
from batch_emulator.faults import (
    FAULT_KINDS,
    FaultConfig,
    FaultInjector,
    FaultMiddleware,
    parse_kinds,
)
from batch_emulator.tls import ensure_certificates
from batch_emulator.tokens import ClientRegistration, TokenIssuer

__all__ = ["READY_PREFIX", "main"]

READY_PREFIX = "BATCH_EMULATOR_READY "
_log = logging.getLogger("batch_emulator")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="batch-emulator", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the emulator until interrupted")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="HTTP port (0 = a free port)")
    serve.add_argument(
        "--allow-remote", action="store_true", help="allow binding an address other than loopback"
    )
    serve.add_argument("--account", default="emulator")
    serve.add_argument("--key", help="base64 account key (random, or kept in --data-dir)")
    store = serve.add_mutually_exclusive_group()
    store.add_argument("--data-dir", type=Path, help="directory of the SQLite database")
    store.add_argument("--in-memory", action="store_true", help="keep nothing on exit")
    serve.add_argument(
        "--tls",
        action="store_true",
        help="also serve HTTPS with a generated CA, and a token authority",
    )
    serve.add_argument("--tls-port", type=int, default=0, help="HTTPS port (0 = a free port)")
    serve.add_argument("--tenant-id", help="tenant of the token authority (default adfs)")
    serve.add_argument("--client-id", help="client id allowed to obtain tokens")
    serve.add_argument("--client-secret", help="its secret (random if omitted)")
    serve.add_argument("--pool-id", default="default", help="id of the default pool ('' = none)")
    serve.add_argument("--nodes", type=int, default=2, help="nodes of the default pool")
    serve.add_argument("--slots", type=int, default=2, help="taskSlotsPerNode of the default pool")
    serve.add_argument("--vm-size", default="standard_d2s_v3")
    serve.add_argument(
        "--engine",
        choices=ENGINES,
        default="process",
        help="process: run tasks on emulated nodes; instant: complete them at once",
    )
    serve.add_argument(
        "--node-root",
        type=Path,
        help="directory holding the nodes' AZ_BATCH_NODE_ROOT_DIRs "
        "(default: DATA_DIR/nodes, else a temporary directory)",
    )
    serve.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="emulated seconds per real second, for wall-clock limits and retention",
    )
    serve.add_argument("--log-level", default="warning")
    faults = serve.add_argument_group("fault injection (off unless --fault-rate > 0)")
    faults.add_argument("--fault-rate", type=float, default=0.0, help="fraction of requests")
    faults.add_argument(
        "--fault-kinds", default="all", help=f"comma-separated among {', '.join(FAULT_KINDS)}"
    )
    faults.add_argument("--fault-ops", default="", help="operation names (default: all)")
    faults.add_argument("--fault-slow-seconds", type=float, default=0.5)
    faults.add_argument("--fault-seed", type=int, help="seed, for a reproducible sequence")
    return parser


def _fault_config(args: argparse.Namespace) -> FaultConfig:
    ops = frozenset(o.strip() for o in args.fault_ops.split(",") if o.strip())
    return FaultConfig(
        rate=args.fault_rate,
        kinds=parse_kinds(args.fault_kinds),
        ops=ops,
        slow_seconds=args.fault_slow_seconds,
        seed=args.fault_seed,
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _settings(data_dir: Path | None, args: argparse.Namespace) -> dict[str, str]:
    """Key and client credentials: from flags, else kept in the data dir, else new."""
    path = None if data_dir is None else data_dir / "emulator.json"
    kept: dict[str, str] = {}
    if path is not None and path.exists():
        kept = dict(json.loads(path.read_text()))
    if kept.get("account") != args.account:
        kept = {"account": args.account}
    values = {
        "account": args.account,
        "key": args.key or kept.get("key") or base64.b64encode(secrets.token_bytes(64)).decode(),
        # "adfs" makes MSAL skip instance discovery (a call to login.microsoftonline.com),
        # so azure-identity's environment credentials work offline with the emulator.
        "tenant_id": args.tenant_id or kept.get("tenant_id") or "adfs",
        "client_id": args.client_id or kept.get("client_id") or str(uuid.uuid4()),
        "client_secret": args.client_secret
        or kept.get("client_secret")
        or secrets.token_urlsafe(24),
    }
    if path is not None:
        path.write_text(json.dumps(values))
        path.chmod(0o600)
    return values


def _token_issuer(client: ClientRegistration, data_dir: Path | None) -> TokenIssuer:
    """Keep the signing key with the data, so tokens clients cached survive a restart."""
    if data_dir is None:
        return TokenIssuer(client)
    path = data_dir / "tls" / "token-signing.pem"
    if path.exists():
        return TokenIssuer(client, path.read_bytes())
    issuer = TokenIssuer(client)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(issuer.private_key_pem)
    path.chmod(0o600)
    return issuer


def _valid_key(text: str) -> bool:
    try:
        return len(base64.b64decode(text, validate=True)) > 0
    except ValueError:
        return False


class _Server(uvicorn.Server):
    """A uvicorn server that reports readiness and leaves signals to the CLI."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP lets asyncio set TCP_NODELAY on accepted connections; set it on
    # the listener too (Linux inherits it). Without it every response waits ~40 ms on
    # Nagle and delayed ACKs, since headers and body leave in separate writes.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _url(scheme: str, host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


def _ensure_default_pool(emulator: Emulator, args: argparse.Namespace) -> None:
    if not args.pool_id:
        return
    try:
        emulator.service.pools.create(
            {
                "id": args.pool_id,
                "vmSize": args.vm_size,
                "targetDedicatedNodes": args.nodes,
                "taskSlotsPerNode": args.slots,
            }
        )
    except BatchError as error:
        if error.code != "PoolExists":
            raise


async def _serve(args: argparse.Namespace, workdir: Path) -> int:
    data_dir: Path | None = None if args.in_memory or args.data_dir is None else args.data_dir
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
    settings = _settings(data_dir, args)
    tokens = None
    if args.tls:
        client = ClientRegistration(
            settings["tenant_id"], settings["client_id"], settings["client_secret"]
        )
        tokens = _token_issuer(client, data_dir)
    database = None if data_dir is None else data_dir / "batch.db"
    clock = EngineClock(args.time_scale)
    node_root = args.node_root or (data_dir or workdir) / "nodes"
    engine = make_engine(args.engine, node_root, clock, args.account)
    config = EmulatorConfig(args.account, [settings["key"]], database, tokens, clock, engine)
    emulator = build(config)
    _ensure_default_pool(emulator, args)
    faults = FaultInjector(_fault_config(args))
    emulator.app.state.faults = faults
    asgi: Any = FaultMiddleware(emulator.app, faults, emulator.app.routes)

    socks = [_bind(args.host, args.port)]
    servers = [_Server(_uvicorn_config(asgi, faults, args, None))]
    tls_files = None
    if args.tls:
        tls_files = ensure_certificates((data_dir or workdir) / "tls", args.host)
        socks.append(_bind(args.host, args.tls_port))
        servers.append(_Server(_uvicorn_config(asgi, faults, args, tls_files)))

    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server in servers:
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [asyncio.create_task(s.serve(sockets=[k])) for s, k in zip(servers, socks, strict=True)]
    ready: asyncio.Future[Any] = asyncio.ensure_future(
        asyncio.gather(*(s.ready.wait() for s in servers))
    )
    waiting: list[asyncio.Future[Any]] = [*tasks, ready]
    done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    if any(t in done for t in tasks):
        stop()
        await asyncio.gather(*tasks, return_exceptions=True)
        emulator.close()
        return 1
    info: dict[str, Any] = {
        "endpoint": _url("http", args.host, socks[0]),
        "account": args.account,
        "key": settings["key"],
        "data_dir": None if data_dir is None else str(data_dir),
        "pool_id": args.pool_id or None,
        "engine": args.engine,
        "node_root": str(node_root),
    }
    if tls_files is not None:
        authority = _url("https", args.host, socks[1])
        info.update(
            https_endpoint=authority,
            ca_cert=str(tls_files.ca_cert),
            authority=authority,
            tenant_id=settings["tenant_id"],
            client_id=settings["client_id"],
            client_secret=settings["client_secret"],
        )
    set_account_url(engine, info["endpoint"])
    _announce(info)
    await asyncio.gather(*tasks, return_exceptions=True)
    emulator.close()
    print("batch-emulator: stopped", flush=True)
    return 0


def _uvicorn_config(
    app: Any, faults: FaultInjector, args: argparse.Namespace, tls: Any
) -> uvicorn.Config:
    extra: dict[str, Any] = {}
    if tls is not None:
        extra = {"ssl_certfile": str(tls.server_cert), "ssl_keyfile": str(tls.server_key)}
    return uvicorn.Config(
        app,
        http=faults.protocol_class(),
        # Clients connect directly (loopback by default), never through a proxy: no
        # X-Forwarded-* rewriting, and one middleware less on every request.
        proxy_headers=False,
        log_level=args.log_level,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
        **extra,
    )


def _announce(info: dict[str, Any]) -> None:
    lines = [
        f"# Azure Batch emulator listening on {info['endpoint']}",
        f"#   account: {info['account']}",
        f"#   key:     {info['key']}",
    ]
    if "https_endpoint" in info:
        lines += [
            f"#   https:   {info['https_endpoint']} (CA certificate {info['ca_cert']})",
            f"#   tokens:  authority {info['authority']}, tenant {info['tenant_id']}, "
            f"client {info['client_id']}",
        ]
    endpoint = info.get("https_endpoint", info["endpoint"])
    lines += [
        "# For a shell, eval the export lines below:",
        f"export AZURE_BATCH_ENDPOINT={shlex.quote(endpoint)}",
        f"export AZURE_BATCH_ACCOUNT={shlex.quote(info['account'])}",
        f"export AZURE_BATCH_ACCESS_KEY={shlex.quote(info['key'])}",
    ]
    if "ca_cert" in info:
        lines.append(f"export REQUESTS_CA_BUNDLE={shlex.quote(info['ca_cert'])}")
        lines += [
            "# For Entra ID (azure-identity's environment credential) instead of the key:",
            f"#   export AZURE_AUTHORITY_HOST={shlex.quote(info['authority'])}",
            f"#   export AZURE_TENANT_ID={shlex.quote(info['tenant_id'])}",
            f"#   export AZURE_CLIENT_ID={shlex.quote(info['client_id'])}",
            f"#   export AZURE_CLIENT_SECRET={shlex.quote(info['client_secret'])}",
        ]
    print("\n".join(lines), flush=True)
    print(READY_PREFIX + json.dumps(info, sort_keys=True), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.allow_remote and not _is_loopback(args.host):
        print(
            f"batch-emulator: refusing to bind {args.host}; pass --allow-remote to expose "
            "the emulator beyond this machine",
            file=sys.stderr,
        )
        return 2
    try:
        _fault_config(args)
    except ValueError as exc:
        print(f"batch-emulator: {exc}", file=sys.stderr)
        return 2
    if args.key is not None and not _valid_key(args.key):
        print("batch-emulator: --key must be base64, like a Batch account key", file=sys.stderr)
        return 2
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="batch-emulator-") as workdir:
        return asyncio.run(_serve(args, Path(workdir)))


if __name__ == "__main__":
    sys.exit(main())

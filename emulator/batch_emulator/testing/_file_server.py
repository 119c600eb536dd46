"""A loopback HTTP server for resource files: plain files and a Blob-style container.

``GET /<path>`` serves ``root/<path>`` (never outside ``root``); for a ``root/container``
directory, ``GET /container?restype=container&comp=list`` also answers the Blob service's
list XML, so both ``httpUrl`` and ``storageContainerUrl`` resource files work offline.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

__all__ = ["serve_files"]


def _handler(root: Path) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            del format, args

        def _send(self, status: int, body: bytes, kind: str = "application/octet-stream") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path.rstrip("/") == "/container" and query.get("comp") == ["list"]:
                prefix = query.get("prefix", [""])[0]
                names = sorted(
                    p.relative_to(root / "container").as_posix()
                    for p in (root / "container").rglob("*")
                    if p.is_file()
                )
                blobs = "".join(
                    f"<Blob><Name>{escape(n)}</Name></Blob>" for n in names if n.startswith(prefix)
                )
                xml = f"<EnumerationResults><Blobs>{blobs}</Blobs></EnumerationResults>"
                self._send(200, xml.encode(), "application/xml")
                return
            path = (root / unquote(parts.path).lstrip("/")).resolve()
            if not path.is_relative_to(root.resolve()) or not path.is_file():
                self._send(404, b"not found", "text/plain")
                return
            self._send(200, path.read_bytes())

    return Handler


@contextmanager
def serve_files(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) until the context exits; yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)

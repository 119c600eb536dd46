"""A POST whose response is lost is sent again: the component's retry policy, over real HTTP.

azure-core retries POST only on some status codes; the component widens that through the
policy's settings (``core._connection``). If azure-core changes how those settings are
read, the SDK call below fails instead of being retried.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from azure.batch import models

from pulumi_azure_batch_jobs.core._connection import BatchConnection, make_client


class _DropFirstPost(BaseHTTPRequestHandler):
    """Closes the connection without answering the first POST; answers 201 after that."""

    posts: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).posts.append(self.path)
        if len(self.posts) == 1:
            self.close_connection = True
            self.connection.close()
            return
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def endpoint() -> Iterator[str]:
    _DropFirstPost.posts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DropFirstPost)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_add_job_is_sent_again_after_its_response_is_lost(endpoint: str) -> None:
    client = make_client(BatchConnection(endpoint, "acct", "a2V5LW9uZQ=="))
    job = models.BatchJobCreateOptions(id="j", pool_info=models.BatchPoolInfo(pool_id="p"))
    client.create_job(job)
    assert _DropFirstPost.posts == ["/jobs?api-version=2025-06-01", "/jobs?api-version=2025-06-01"]

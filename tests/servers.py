"""Real HTTP servers on loopback for tests: webmention sources, targets, redirect chains.

A `SourceServer` is a `ThreadingHTTPServer` on 127.0.0.1 (or ::1) and a free port, serving
a route table that a test fills in. It counts every request, so a test can prove that a
refused fetch never reached it.

    from tests.servers import Reply, SourceServer

    with SourceServer() as server:
        server.route("/post", body=b"<a href='...'>", headers={"Link": "<...>; rel=x"})
        server.route_file("/reply", DATA / "sources/reply.html")    # type from the suffix
        server.redirect("/old", "/post", status=301)              # relative or absolute
        server.route("/big", stream_bytes=20_000_000, body=b"<p>", tail=b"</p>")  # streamed
        server.route("/slow", delay_seconds=3)                    # waits before answering
        server.route("/held", gate=opened)          # answers once the threading.Event is set
        server.route("/drip", body=b"x" * 50, drip_seconds=0.1)   # one byte per interval
        server.sequence("/flaky", [Reply(status=503), Reply(body=b"ok")])  # last one repeats
        server.url("/post")          # "http://127.0.0.1:PORT/post"
        server.hits["/post"]         # requests per path (query string excluded)
        server.finished["/big"]      # replies sent to their last byte; `ended`: over either way
        server.total_hits            # every request, unknown paths included (those get 404)
        server.requests              # [Received(method, path, headers, body), ...]

As a pytest fixture: `source_server` in tests/conftest.py (one per test; starting a server
takes about a millisecond).
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "text/xml; charset=utf-8",
}
STREAM_CHUNK_BYTES = 64 * 1024
GATE_SECONDS = 60.0  # a gated reply that is never opened still ends


def free_port() -> int:
    """A port of 127.0.0.1 that was free a moment ago, for servers that must be told one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Reply:
    """One canned response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] | list[tuple[str, str]] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay_seconds: float = 0.0  # before the status line
    gate: threading.Event | None = None  # if set: wait for it before the status line
    drip_seconds: float = 0.0  # between body bytes
    stream_bytes: int = 0  # if set: `body`, b"a" padding, `tail`; this long, streamed
    tail: bytes = b""


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    method: str
    path: str  # with query string
    headers: Message
    body: bytes


class SourceServer:
    """A threaded HTTP server with a route table; see the module docstring."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, list[Reply]] = {}
        self.hits: Counter[str] = Counter()
        self.finished: Counter[str] = Counter()  # replies sent to their last byte, per path
        self.ended: Counter[str] = Counter()  # replies over, sent whole or cut by the client
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._httpd = _make_server(host, _handler_for(self))
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> SourceServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def total_hits(self) -> int:
        return sum(self.hits.values())

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, **reply: object) -> str:
        """Serve one Reply (keyword arguments of Reply) at `path`; returns its URL."""
        return self.sequence(path, [Reply(**reply)])  # type: ignore[arg-type]

    def route_file(self, path: str, file: Path, **reply: object) -> str:
        reply.setdefault("content_type", CONTENT_TYPES.get(file.suffix, "text/plain"))
        return self.route(path, body=file.read_bytes(), **reply)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, status=status, headers={"Location": location})

    def sequence(self, path: str, replies: list[Reply]) -> str:
        """Serve `replies` in turn at `path`; the last one repeats."""
        with self._lock:
            self.routes[path] = list(replies)
        return self.url(path)

    def take(self, received: Received) -> Reply:
        """Record a request and pick its reply (404 for unknown paths)."""
        path = urlsplit(received.path).path
        with self._lock:
            self.hits[path] += 1
            self.requests.append(received)
            replies = self.routes.get(path)
            if not replies:
                return Reply(status=404, body=b"not found", content_type="text/plain")
            return replies.pop(0) if len(replies) > 1 else replies[0]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early (timeouts, size caps) are expected in these tests."""


class _QuietServer6(_QuietServer):
    address_family = socket.AF_INET6


def _make_server(host: str, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server_class = _QuietServer6 if ":" in host else _QuietServer
    return server_class((host, 0), handler)


def _handler_for(server: SourceServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            reply = server.take(Received(self.command, self.path, self.headers, body))
            path = urlsplit(self.path).path
            try:
                _send(self, reply)
                with server._lock:
                    server.finished[path] += 1
            finally:
                with server._lock:
                    server.ended[path] += 1

        do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            """Silence the per-request log line."""

    return Handler


def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    if reply.gate is not None:
        reply.gate.wait(GATE_SECONDS)
    time.sleep(reply.delay_seconds)
    handler.send_response(reply.status)
    headers = reply.headers.items() if isinstance(reply.headers, dict) else reply.headers
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Type", reply.content_type)
    size = reply.stream_bytes or len(reply.body)
    handler.send_header("Content-Length", str(size))
    handler.end_headers()
    if handler.command == "HEAD":
        return
    if reply.stream_bytes:
        _stream(handler, reply)
    elif reply.drip_seconds:
        _drip(handler, reply.body, reply.drip_seconds)
    else:
        handler.wfile.write(reply.body)


def _stream(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    handler.wfile.write(reply.body)
    chunk = b"a" * STREAM_CHUNK_BYTES
    remaining = reply.stream_bytes - len(reply.body) - len(reply.tail)
    while remaining > 0:
        piece = chunk[:remaining]
        handler.wfile.write(piece)
        remaining -= len(piece)
    handler.wfile.write(reply.tail)


def _drip(handler: BaseHTTPRequestHandler, body: bytes, interval: float) -> None:
    for index in range(len(body)):
        handler.wfile.write(body[index : index + 1])
        handler.wfile.flush()
        time.sleep(interval)

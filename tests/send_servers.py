"""Fake targets for the sending tests: real HTTP and XML-RPC servers on 127.0.0.1.

`TargetServer` serves scripted GET responses (a discovery scenario from
tests/data/discovery/, or pages added by a test) and records every POST it gets, so a test
can assert exactly which endpoint received which notification. `PingbackServer` is the
standard library's `xmlrpc.server` answering `pingback.ping`.
"""

from __future__ import annotations

import threading
import time
import tomllib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xmlrpc.client import Fault
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

SCENARIO_DIR = Path(__file__).parent / "data" / "discovery"
POLL_SECONDS = 0.02  # how soon shutdown() is noticed


@dataclass
class Response:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    delay_seconds: float = 0.0


@dataclass(frozen=True)
class Received:
    """One POST the server got: path with query, form fields and raw body."""

    path: str
    form: dict[str, list[str]]
    body: bytes
    content_type: str


@dataclass
class Scenario:
    name: str
    description: str
    expect: str  # "webmention /path?query", "pingback /path" or "none"
    responses: list[dict]

    @property
    def target_path(self) -> str:
        return self.responses[0]["path"]


def load_scenarios() -> list[Scenario]:
    """Every discovery scenario file, in name order."""
    scenarios = []
    for path in sorted(SCENARIO_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        scenarios.append(Scenario(path.stem, data["description"], data["expect"], data["response"]))
    return scenarios


class TargetServer:
    """A threaded HTTP server with scripted GETs and recorded POSTs."""

    def __init__(self) -> None:
        self.pages: dict[str, Response] = {}
        self.posts: dict[str, list[Response]] = {}  # scripted POST answers, used in order
        self.received: list[Received] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(POLL_SECONDS,), daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> TargetServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_scenario(self, scenario: Scenario) -> str:
        """Serve one scenario's responses; return the target URL."""
        for item in scenario.responses:
            headers = [(k, v.replace("{base}", self.base)) for k, v in item.get("headers", [])]
            body = item.get("body", "").replace("{base}", self.base)
            self.pages[item["path"]] = Response(item.get("status", 200), headers, body)
        return self.url(scenario.target_path)

    def add_page(
        self,
        path: str,
        body: str = "",
        *,
        headers: list | None = None,
        status: int = 200,
        delay_seconds: float = 0.0,
    ) -> str:
        self.pages[path] = Response(status, headers or [], body, delay_seconds)
        return self.url(path)

    def script_posts(self, path: str, *answers: Response) -> None:
        """Answer the next POSTs to `path` with these responses (then 202)."""
        self.posts[path] = list(answers)

    def posted(self, path_prefix: str = "/") -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path.startswith(path_prefix)]

    def _enter(self) -> None:
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)

    def _leave(self) -> None:
        with self._lock:
            self.active -= 1


def _handler_for(server: TargetServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, response: Response) -> None:
            server._enter()
            try:
                if response.delay_seconds:
                    time.sleep(response.delay_seconds)
                body = response.body.encode()
                self.send_response(response.status)
                for name, value in response.headers:
                    self.send_header(name, value)
                if not any(k.lower() == "content-type" for k, _ in response.headers):
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                server._leave()

        def do_GET(self) -> None:
            page = server.pages.get(urlsplit(self.path).path)
            self._answer(page or Response(404, [], "not found"))

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            content_type = self.headers.get("Content-Type", "")
            form = parse_qs(body.decode("utf-8", "replace")) if "form" in content_type else {}
            with server._lock:
                server.received.append(Received(self.path, form, body, content_type))
                scripted = server.posts.get(urlsplit(self.path).path) or []
                answer = scripted.pop(0) if scripted else Response(202, [], "Accepted")
            self._answer(answer)

    return Handler


class PingbackServer:
    """The standard library's XML-RPC server with a `pingback.ping` that records calls."""

    def __init__(self, *, fault: int = 0) -> None:
        self.calls: list[tuple[str, str]] = []
        self._server = SimpleXMLRPCServer(
            ("127.0.0.1", 0), requestHandler=_QuietXMLRPCHandler, logRequests=False
        )
        self._server.register_function(self._ping, "pingback.ping")
        self._fault = fault
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(POLL_SECONDS,), daemon=True
        )

    def _ping(self, source: str, target: str) -> str:
        self.calls.append((source, target))
        if self._fault:
            raise Fault(self._fault, "refused by the test server")
        return "Pingback registered"

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/RPC2"

    def __enter__(self) -> PingbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class _QuietXMLRPCHandler(SimpleXMLRPCRequestHandler):
    rpc_paths = ("/RPC2",)

    def log_message(self, *args: object) -> None:
        pass

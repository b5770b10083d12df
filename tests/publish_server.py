"""`python publish.py --root ROOT serve|endpoint --port P` as a real subprocess on 127.0.0.1.

    with Serve(settings.root) as serve:                     # builds, then serves sites + endpoint
        httpx.get(serve.url("2026/11/post/"))
    with Serve(root, command="endpoint", ready_path="/mentions", environ={...}) as endpoint:
        os.kill(endpoint.process.pid, signal.SIGKILL)        # a test may end it itself

Ready once `ready_path` answers 200; stopped by its PID (SIGTERM, then SIGKILL). Its output
goes to ROOT/<command>.log, whose tail is in the error when it does not start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.servers import free_port

REPO = Path(__file__).resolve().parents[1]
START_SECONDS = 90.0
STOP_SECONDS = 15.0


class Serve:
    """One `publish.py` server subprocess; see the module docstring."""

    def __init__(
        self,
        root: Path,
        *,
        command: str = "serve",
        port: int | None = None,
        environ: dict[str, str] | None = None,
        ready_path: str = "/",
        start_seconds: float = START_SECONDS,
        launcher: list[str] | None = None,
        extra_arguments: list[str] | None = None,
    ) -> None:
        self.root = root
        self.extra_arguments = extra_arguments or []
        # What runs `<command> --port P`: publish.py by default, or e.g. [ROOT/dev].
        self.launcher = launcher or [sys.executable, str(REPO / "publish.py"), "--root", str(root)]
        self.command = command
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.environ = {**os.environ, **(environ or {})}
        self.ready_path = ready_path
        self.start_seconds = start_seconds
        self.log = root / f"{command}.log"

    def __enter__(self) -> Serve:
        arguments = [self.command, "--port", str(self.port), *self.extra_arguments]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [*self.launcher, *arguments],
                env=self.environ,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_seconds
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command} exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url(self.ready_path), timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"{self.command} did not start: {self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def __exit__(self, *_exc: object) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

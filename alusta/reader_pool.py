"""Read fetched sources in child processes, each read bounded in CPU time and in wall time.

Reading a source (the link check, mf2py, nh3) is CPU work on markup a stranger wrote, and
some markup costs far more than its size: mf2py's work grows with the nesting depth of
microformats, so 250 kB of nested h-entries once took 20 s. In the endpoint's own process
such a read holds the GIL and a thread that no timeout can stop. So reads run in a few
child processes (spawned: the endpoint has threads), one read per child at a time:

- each read runs under a CPU-time timer (ITIMER_PROF: the child's user and system time,
  to the microsecond, unlike RLIMIT_CPU's whole seconds counted over the child's life);
  past `cpu_seconds` the kernel sends SIGPROF, whose handler ends the read with
  SourceTooComplex, and the child lives on;
- a read still running after `wall_seconds` (a child starved of CPU, or stuck in C code)
  ends by killing its child; a new child takes its place;
- reads of one owner (a source's host) take turns, so one host's costly pages hold one
  child at a time and never all of them.

The function and its arguments travel by pickle, so the function must be importable
(e.g. alusta.verify.read_source).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import multiprocessing
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from alusta.errors import SourceTooComplex
from alusta.microformats import TOO_COMPLEX

READ_CPU_SECONDS = 1.5  # a 1 MB reply page takes about 0.5 s
READ_WALL_SECONDS = 5.0
WAITING_THREADS = 32
POOL_PROCESSES = 2
START_SECONDS = 60.0  # a spawned child imports Python and the parsers: slow on a busy machine
PRELOAD = ("alusta.verify",)  # imported by each child before its first read

T = TypeVar("T")


class ReaderPool:
    """A few child processes that run reads one at a time each; see the module docstring."""

    def __init__(
        self,
        *,
        processes: int = POOL_PROCESSES,
        cpu_seconds: float = READ_CPU_SECONDS,
        wall_seconds: float = READ_WALL_SECONDS,
        preload: tuple[str, ...] = PRELOAD,
    ) -> None:
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds
        self._children: queue.Queue[_Child] = queue.Queue()
        for _ in range(processes):
            self._children.put(_Child(cpu_seconds, preload))
        self._turns = _Turns()
        # threads only wait (for a turn, a child, a pipe): enough that no read waits for one
        self._threads = ThreadPoolExecutor(WAITING_THREADS, thread_name_prefix="alusta-read")

    async def run(self, function: Callable[..., T], *args: Any, owner: str = "") -> T:
        """`function(*args)` in a child; raises what it raised, or SourceTooComplex.

        Reads of one `owner` (a source's host) run one at a time: twelve costly pages from
        one host hold one child, and the other children read other hosts' pages meanwhile.
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._call, function, args, owner)

    def _call(self, function: Callable[..., T], args: tuple[Any, ...], owner: str) -> T:
        with self._turns.turn(owner):
            child = self._children.get()
            try:
                ok, value = child.call(function, args, wall_seconds=self.wall_seconds)
            finally:
                self._children.put(child)
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """End every child (they are daemons too: they end with the process anyway)."""
        while not self._children.empty():
            self._children.get_nowait().stop()
        self._threads.shutdown(wait=False)


class _Turns:
    """One turn at a time per owner; an empty owner never waits for a turn."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}  # owner: (lock, users)

    @contextlib.contextmanager
    def turn(self, owner: str) -> Iterator[None]:
        if not owner:
            yield
            return
        with self._guard:
            lock, users = self._locks.get(owner, (threading.Lock(), 0))
            self._locks[owner] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[owner]
                if users == 1:
                    del self._locks[owner]
                else:
                    self._locks[owner] = (lock, users - 1)


class _Child:
    """One child process and the pipe to it, started on first use, replaced when killed."""

    def __init__(self, cpu_seconds: float, preload: tuple[str, ...]) -> None:
        self._cpu_seconds = cpu_seconds
        self._preload = preload
        self._process: BaseProcess | None = None
        self._pipe: Connection | None = None

    def call(
        self, function: Callable[..., Any], args: tuple[Any, ...], *, wall_seconds: float
    ) -> tuple[bool, Any]:
        try:
            pipe = self._started()
            pipe.send((function, args))
        except OSError:  # the child died while idle: once more, with a new one
            self.stop()
            pipe = self._started()
            pipe.send((function, args))
        if not pipe.poll(wall_seconds):
            self.stop()  # the only way to end a read stuck in C code, or starved
            return False, SourceTooComplex(f"{TOO_COMPLEX} within {wall_seconds:g} s")
        try:
            return pipe.recv()
        except EOFError:  # the child died (killed by the kernel, out of memory…)
            self.stop()
            return False, SourceTooComplex(TOO_COMPLEX)

    def _started(self) -> Connection:
        """The pipe to a running child, which has imported its preload: a read's time budget
        starts when the read does, not with the child's start-up."""
        if self._process is None or self._pipe is None or not self._process.is_alive():
            context = multiprocessing.get_context("spawn")
            parent_end, child_end = context.Pipe()
            self._process = context.Process(
                target=serve, args=(child_end, self._cpu_seconds, self._preload), daemon=True
            )
            self._process.start()
            child_end.close()
            self._pipe = parent_end
            if not parent_end.poll(START_SECONDS):
                self.stop()
                raise OSError("a reader process did not start")
            parent_end.recv()
        return self._pipe

    def stop(self) -> None:
        if self._process is not None and self._process.pid is not None:
            self._process.kill()
            self._process.join()
        if self._pipe is not None:
            self._pipe.close()
        self._process = self._pipe = None


def serve(pipe: Connection, cpu_seconds: float, preload: tuple[str, ...]) -> None:
    """The child's loop: read a call, run it under the CPU limit, send (ok, value) back."""
    signal.signal(signal.SIGPROF, _over_budget)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a child ends
    for module in preload:
        importlib.import_module(module)
    pipe.send("ready")
    while True:
        try:
            function, args = pipe.recv()
        except (EOFError, OSError):
            return
        with _cpu_limit(cpu_seconds):
            try:
                reply: tuple[bool, Any] = (True, function(*args))
            except (OverBudget, RecursionError):
                reply = (False, SourceTooComplex(TOO_COMPLEX))
            except Exception as error:  # the caller gets it, as if it ran there
                reply = (False, error)
        try:
            pipe.send(reply)
        except Exception as error:  # an unpicklable value or exception
            pipe.send((False, RuntimeError(f"could not send the result back: {error}")))


@contextlib.contextmanager
def _cpu_limit(seconds: float) -> Iterator[None]:
    """Let the block use `seconds` of CPU (user and system, this process), then SIGPROF."""
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)


class OverBudget(BaseException):
    """Raised by SIGPROF in the child. A BaseException, so that no library's `except
    Exception` (mf2py's, ours around it) can swallow it and read on."""


def _over_budget(_signum: int, _frame: object) -> None:
    raise OverBudget


@functools.cache
def default_pool() -> ReaderPool:
    """The process's pool, started on first use (children are spawned when first needed)."""
    return ReaderPool()

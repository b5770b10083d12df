"""alusta.reader_pool with real child processes: a read over its CPU budget ends and its
child lives on; a read stuck past the wall timeout ends by killing its child, and a new
child takes the next read; what a read raises reaches the caller.

The task functions live here, at module level: the children import this module before
their first read (preload), so a read's time budget is not spent importing it.
"""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

from alusta.errors import SourceTooComplex
from alusta.reader_pool import ReaderPool

STUCK_SECONDS = 60.0  # a read that would block this long without using CPU


def child_pid() -> int:
    return os.getpid()


def burn_cpu() -> None:
    """Spin forever: only the CPU limit ends it."""
    while True:
        pass


def burn_cpu_in_a_library() -> None:
    """Spin where a library swallows every Exception, as mf2py does around its parsers."""
    while True:
        try:
            burn_cpu()
        except Exception:
            continue


def block_without_cpu() -> None:
    """Wait without using CPU (as if stuck in C code): only the wall timeout ends it."""
    threading.Event().wait(STUCK_SECONDS)


def refuse(value: str) -> None:
    raise ValueError(f"not {value}")


@pytest.fixture
def pool():
    readers = ReaderPool(
        processes=1, cpu_seconds=1, wall_seconds=STUCK_SECONDS / 4, preload=(__name__,)
    )
    yield readers
    readers.close()


@pytest.mark.parametrize("task", [burn_cpu, burn_cpu_in_a_library])
def test_a_read_over_its_cpu_budget_ends_and_its_child_reads_on(pool, task):
    async def scenario() -> tuple[int, int]:
        before = await pool.run(child_pid)
        with pytest.raises(SourceTooComplex):
            await pool.run(task)
        return before, await pool.run(child_pid)

    before, after = asyncio.run(scenario())
    assert before == after != os.getpid()  # the same child, not this process


def test_a_read_past_the_wall_timeout_kills_its_child_and_a_new_one_reads_on():
    pool = ReaderPool(processes=1, cpu_seconds=30, wall_seconds=3, preload=(__name__,))

    async def scenario() -> tuple[int, int]:
        before = await pool.run(child_pid)
        with pytest.raises(SourceTooComplex):
            await pool.run(block_without_cpu)
        return before, await pool.run(child_pid)

    try:
        before, after = asyncio.run(scenario())
    finally:
        pool.close()
    assert before != after
    with pytest.raises(ProcessLookupError):
        os.kill(before, 0)  # the stuck child is gone


def test_what_a_read_raises_reaches_the_caller(pool):
    with pytest.raises(ValueError, match="not this"):
        asyncio.run(pool.run(refuse, "this"))

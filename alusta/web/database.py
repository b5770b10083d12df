"""The routes' access to SQLite: one writer thread with group commit, one reader thread.

SQLite has one writer at a time anyway; giving it one thread keeps the event loop free and
lets writes batch. Every write (an accepted request, a claim, a verification result, a
feedback submission) is a unit queued for the writer; units that arrive while a commit runs
share the next transaction, each inside its own SAVEPOINT so one failing unit does not undo
the others. Nobody hears back before the COMMIT (synchronous=FULL) that carries their unit,
so an answered request is on disk, yet one fsync serves many senders.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from alusta.db import connect, transaction

T = TypeVar("T")
MAX_UNITS_PER_COMMIT = 512

Unit = Callable[[sqlite3.Connection], Any]


@dataclass
class _Write:
    """One queued unit; the writer fills in its result or its error, the loop settles it."""

    unit: Unit
    future: asyncio.Future
    result: Any = None
    error: Exception | None = None

    def run(self, connection: sqlite3.Connection) -> None:
        """Run the unit inside its own savepoint (on the writer thread)."""
        connection.execute("SAVEPOINT unit")
        try:
            self.result = self.unit(connection)
        except Exception as error:
            connection.execute("ROLLBACK TO unit")
            self.error = error
        connection.execute("RELEASE unit")

    def settle(self) -> None:
        """Hand the outcome to the waiting coroutine (after the commit)."""
        if self.future.done():  # a sender that hung up is still stored
            return
        if self.error is not None:
            self.future.set_exception(self.error)
        else:
            self.future.set_result(self.result)


def _call_with_connection(
    function: Callable[..., T], args: tuple, kwargs: dict, connection: sqlite3.Connection
) -> T:
    return function(connection, *args, **kwargs)


class Database:
    """Runs store functions off the event loop: writes grouped, reads on their own thread."""

    def __init__(self, path: Path) -> None:
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="alusta-db-writer")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="alusta-db-reader")
        self._write_connection = connect(path)
        self._read_connection = connect(path, migrate=False)
        self._pending: list[_Write] = []
        self._flushing = False
        self._tasks: set[asyncio.Task] = set()

    async def read(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        call = partial(function, self._read_connection, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._reader, call)

    async def write(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run `function(connection, …)` in the next group transaction; its result after
        the commit."""
        future = asyncio.get_running_loop().create_future()
        unit = partial(_call_with_connection, function, args, kwargs)
        self._pending.append(_Write(unit, future))
        if not self._flushing:
            self._flushing = True
            self.background(self._flush())
        return await future

    def background(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run a coroutine as a task that is kept referenced until it ends."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._pending:
                batch = self._pending[:MAX_UNITS_PER_COMMIT]
                del self._pending[:MAX_UNITS_PER_COMMIT]
                try:
                    await loop.run_in_executor(self._writer, self._commit, batch)
                except Exception as error:  # the commit itself failed: nobody's unit holds
                    for write in batch:
                        write.error = error
                for write in batch:
                    write.settle()
        finally:
            self._flushing = False

    def _commit(self, batch: list[_Write]) -> None:
        """One transaction for all units, a savepoint around each (runs on the writer)."""
        with transaction(self._write_connection):
            for write in batch:
                write.run(self._write_connection)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._reader.shutdown(wait=True)
        self._write_connection.close()
        self._read_connection.close()

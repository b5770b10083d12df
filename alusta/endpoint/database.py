"""The endpoint's access to SQLite: one writer thread with group commit, one reader thread.

SQLite has one writer at a time anyway; giving it one thread keeps the event loop free and
lets writes batch. Every write (an accepted request, a claim, a verification result) is a
unit queued for the writer; units that arrive while a commit runs share the next
transaction, each inside its own SAVEPOINT so one failing unit does not undo the others.
Nobody hears back before the COMMIT (synchronous=FULL) that carries their unit, so an
answered request is on disk, yet one fsync serves many senders.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from alusta import verification_queue
from alusta.db import connect, transaction
from alusta.models import MentionRequest

T = TypeVar("T")
MAX_UNITS_PER_COMMIT = 512

Unit = Callable[[sqlite3.Connection], Any]
Outcome = tuple[bool, Any]  # (succeeded, result or exception)


class Database:
    """Runs store functions off the event loop: writes grouped, reads on their own thread."""

    def __init__(self, path: Path) -> None:
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="alusta-db-writer")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="alusta-db-reader")
        self._write_connection = connect(path)
        self._read_connection = connect(path, migrate=False)
        self._pending: list[tuple[Unit, asyncio.Future]] = []
        self._flushing = False
        self._intake: deque[tuple[MentionRequest, asyncio.Future]] = deque()
        self._intake_scheduled = False
        self._tasks: set[asyncio.Task] = set()

    async def read(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        call = partial(function, self._read_connection, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._reader, call)

    async def write(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run `function(connection, …)` in the next group transaction; its result after
        the commit."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._pending.append((lambda connection: function(connection, *args, **kwargs), future))
        if not self._flushing:
            self._flushing = True
            self._background(self._flush())
        return await future

    async def enqueue(self, request: MentionRequest) -> tuple[int, str]:
        """Store an accepted request durably; its (id, status token).

        Requests wait in one intake list that a single unit empties when the writer gets
        to it, so a burst becomes one multi-row unit instead of a savepoint per request.
        """
        future = asyncio.get_running_loop().create_future()
        self._intake.append((request, future))
        if not self._intake_scheduled:
            self._intake_scheduled = True
            self._background(self._store_intake())
        return await future

    async def _store_intake(self) -> None:
        taken: list[tuple[MentionRequest, asyncio.Future]] = []

        def unit(connection: sqlite3.Connection) -> list[tuple[int, str]]:
            while self._intake:  # deque: safe to pop here while the loop appends
                taken.append(self._intake.popleft())
            requests = [request for request, _ in taken]
            return verification_queue.enqueue_many(connection, requests, now=time.time())

        try:
            results = await self.write(unit)
        except Exception as error:
            for _, future in taken:
                if not future.done():
                    future.set_exception(error)
        else:
            for (_, future), result in zip(taken, results, strict=True):
                if not future.done():  # a sender that hung up is still stored
                    future.set_result(result)
        finally:
            self._intake_scheduled = False
            if self._intake:  # arrived after the unit emptied the list
                self._intake_scheduled = True
                self._background(self._store_intake())

    def _background(self, coroutine: Coroutine[Any, Any, None]) -> None:
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
                units = [unit for unit, _ in batch]
                try:
                    outcomes = await loop.run_in_executor(self._writer, self._commit, units)
                except Exception as error:  # the commit itself failed: nobody's unit holds
                    outcomes = [(False, error)] * len(batch)
                for (_, future), (succeeded, value) in zip(batch, outcomes, strict=True):
                    if future.done():  # a sender that hung up is still stored
                        continue
                    if succeeded:
                        future.set_result(value)
                    else:
                        future.set_exception(value)
        finally:
            self._flushing = False

    def _commit(self, units: list[Unit]) -> list[Outcome]:
        """One transaction for all units, a savepoint around each (runs on the writer)."""
        connection = self._write_connection
        outcomes: list[Outcome] = []
        with transaction(connection):
            for unit in units:
                connection.execute("SAVEPOINT unit")
                try:
                    result = unit(connection)
                except Exception as error:
                    connection.execute("ROLLBACK TO unit")
                    outcomes.append((False, error))
                else:
                    outcomes.append((True, result))
                connection.execute("RELEASE unit")
        return outcomes

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._reader.shutdown(wait=True)
        self._write_connection.close()
        self._read_connection.close()

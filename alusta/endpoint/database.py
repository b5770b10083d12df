"""The endpoint's access to SQLite: one writer thread, one reader thread, group commit.

SQLite has one writer at a time anyway; giving it one thread keeps the event loop free and
lets intake batch: requests that arrive while a commit runs share the next commit, so one
fsync (synchronous=FULL) answers many senders and none is answered before its row is on disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from alusta import store
from alusta.db import connect
from alusta.models import MentionRequest

T = TypeVar("T")


class Database:
    """Runs store functions off the event loop on a dedicated connection per role."""

    def __init__(self, path: Path) -> None:
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="alusta-db-writer")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="alusta-db-reader")
        self._write_connection = connect(path)
        self._read_connection = connect(path, migrate=False)
        self._pending: list[tuple[MentionRequest, asyncio.Future]] = []
        self._flushing = False

    async def write(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        return await self._run(self._writer, self._write_connection, function, args, kwargs)

    async def read(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        return await self._run(self._reader, self._read_connection, function, args, kwargs)

    async def _run(
        self,
        executor: ThreadPoolExecutor,
        connection: sqlite3.Connection,
        function: Callable[..., T],
        args: tuple,
        kwargs: dict,
    ) -> T:
        call = partial(function, connection, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(executor, call)

    async def enqueue(self, request: MentionRequest) -> tuple[int, str]:
        """Store a request durably (group commit); its (id, status token)."""
        future = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if not self._flushing:
            self._flushing = True
            asyncio.get_running_loop().create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                requests = [request for request, _ in batch]
                try:
                    results = await self.write(store.enqueue_many, requests, now=time.time())
                except Exception as error:  # every waiting sender learns it failed
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():  # a sender that hung up is still stored
                        future.set_result(result)
        finally:
            self._flushing = False

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._reader.shutdown(wait=True)
        self._write_connection.close()
        self._read_connection.close()

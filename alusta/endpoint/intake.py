"""Storing accepted Webmention requests: a burst becomes one multi-row insert.

Requests wait in one list that a single unit empties when the database's writer gets to
it, so a burst costs one unit instead of a savepoint per request, and each sender still
hears back only after the commit that carries its row.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import deque

from alusta import verification_queue
from alusta.models import MentionRequest
from alusta.web.database import Database


class MentionIntake:
    """Accepted requests on their way into the verification queue."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._waiting: deque[tuple[MentionRequest, asyncio.Future]] = deque()
        self._scheduled = False

    async def enqueue(self, request: MentionRequest) -> tuple[int, str]:
        """Store an accepted request durably; its (id, status token)."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        if not self._scheduled:
            self._scheduled = True
            self.database.background(self._store())
        return await future

    async def _store(self) -> None:
        taken: list[tuple[MentionRequest, asyncio.Future]] = []

        def unit(connection: sqlite3.Connection) -> list[tuple[int, str]]:
            while self._waiting:  # deque: safe to pop here while the loop appends
                taken.append(self._waiting.popleft())
            requests = [request for request, _ in taken]
            return verification_queue.enqueue_many(connection, requests, now=time.time())

        try:
            results = await self.database.write(unit)
        except Exception as error:
            for _, future in taken:
                if not future.done():
                    future.set_exception(error)
        else:
            for (_, future), result in zip(taken, results, strict=True):
                if not future.done():  # a sender that hung up is still stored
                    future.set_result(result)
        finally:
            self._scheduled = False
            if self._waiting:  # arrived after the unit emptied the list
                self._scheduled = True
                self.database.background(self._store())

"""Token buckets shared by every worker process: one small SQLite file, one UPSERT a request.

`uvicorn --workers N` runs N processes; buckets in each process's memory would let a client
send N times its limit. So the buckets live in `var/ratelimit.sqlite3`, a file of its own:
the main database's write lock is held through every group commit's fsync, and a rate-limit
check waiting behind it would cost every request that wait. This file is never fsynced
(`synchronous=OFF`): losing it only lets senders in sooner. One request spends the tokens
of all its buckets (client, source host) in one `INSERT … ON CONFLICT DO UPDATE`, about
15 µs on the event loop.

Keys are stored as keyed BLAKE2 hashes (the salt is made once per file), never addresses.
A bucket not used for a minute is full again, the same as no row: rows older than that are
deleted a slice of the key space at a time (1/256), one slice every so many requests, so
the work per request stays constant however many keys are held (no scan of the table).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path

LOG = logging.getLogger("alusta.web")
BUCKETS_FILE = "ratelimit.sqlite3"
FULL_AFTER_SECONDS = 60.0  # capacity = per-minute rate: a minute refills any bucket
PRUNE_SLICES = 256  # keys are hashes: their first byte spreads them evenly
MIN_TAKES_PER_PRUNE = 64
BUSY_DEADLINE_SECONDS = 0.05  # another worker holds the lock longer only if it is stuck
BUSY_PAUSE_SECONDS = 0.0002
SETUP_TIMEOUT_SECONDS = 10.0
KEY_BYTES = 16

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS buckets (key BLOB PRIMARY KEY, tokens REAL NOT NULL,"
    " stamp REAL NOT NULL, rate REAL NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS salt (id INTEGER PRIMARY KEY CHECK (id = 1), value BLOB NOT NULL)",
)
# A new bucket starts full (tokens = capacity - 1 after this request); an old one refills
# by the time since its stamp and is spent only when it holds a whole token.
REFILLED = "min(excluded.tokens + 1, tokens + max(0, excluded.stamp - stamp) * excluded.rate)"
TAKE = (
    "INSERT INTO buckets (key, tokens, stamp, rate) VALUES {rows} "  # noqa: S608 - {rows}: "(?, ?, ?, ?)" placeholders only
    f"ON CONFLICT (key) DO UPDATE SET tokens = {REFILLED} - 1, stamp = excluded.stamp "
    f"WHERE {REFILLED} >= 1 RETURNING key"
)


class SharedBuckets:
    """The buckets of every process serving one project, in `path`."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(
            path, timeout=SETUP_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
        self._salt = self._setup()
        self._connection.execute("PRAGMA busy_timeout = 0")  # waits are ours: see _run
        self._slice = secrets.randbelow(PRUNE_SLICES)  # workers prune different slices
        self._takes_until_prune = MIN_TAKES_PER_PRUNE

    def _setup(self) -> bytes:
        connection = self._connection
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = OFF")
        for statement in SCHEMA:
            connection.execute(statement)
        connection.execute(
            "INSERT OR IGNORE INTO salt (id, value) VALUES (1, ?)", (secrets.token_bytes(16),)
        )
        return connection.execute("SELECT value FROM salt").fetchone()[0]

    def hashed(self, key: str) -> bytes:
        return hashlib.blake2b(key.encode("utf-8"), key=self._salt, digest_size=KEY_BYTES).digest()

    def take(self, buckets: Mapping[str, int], now: float) -> dict[str, float]:
        """Spend a token of each bucket (key → requests per minute) that has one; the
        seconds to wait for each that had none (empty: the request may pass)."""
        hashed = {self.hashed(key): (key, per_minute) for key, per_minute in buckets.items()}
        rows = ", ".join("(?, ?, ?, ?)" for _ in hashed)
        values = []
        for digest, (_key, per_minute) in hashed.items():
            values += [digest, per_minute - 1.0, now, per_minute / FULL_AFTER_SECONDS]
        spent = self._run(TAKE.format(rows=rows), values)
        if spent is None:
            return {}
        waits = {key: self._wait(d, now) for d, (key, _) in hashed.items() if d not in spent}
        self._prune_maybe(now)
        return waits

    def _wait(self, digest: bytes, now: float) -> float:
        """Seconds until the bucket holds a whole token again."""
        try:
            row = self._connection.execute(
                "SELECT tokens, stamp, rate FROM buckets WHERE key = ?", (digest,)
            ).fetchone()
        except sqlite3.OperationalError:  # locked: refused all the same, say a second
            return 1.0
        if row is None:
            return 0.0
        tokens, stamp, rate = row
        return max(0.0, (1 - (tokens + max(0.0, now - stamp) * rate)) / rate)

    def _run(self, sql: str, values: list) -> dict[bytes, None] | None:
        """Run the UPSERT; the keys it spent. Under another worker's lock it tries again
        at once (SQLite's own busy handler sleeps a millisecond or more); a lock held past
        BUSY_DEADLINE_SECONDS lets the request through (None) rather than stall the loop."""
        started = time.monotonic()
        while True:
            try:
                return dict.fromkeys(row[0] for row in self._connection.execute(sql, values))
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                waited = time.monotonic() - started
                if waited > BUSY_DEADLINE_SECONDS:
                    LOG.warning("rate limit: buckets locked for %.2f s: let through", waited)
                    return None
                time.sleep(BUSY_PAUSE_SECONDS)

    def _prune_maybe(self, now: float) -> None:
        """Every few requests delete one slice's rows unused for a minute; the slice's
        size sets how many requests until the next, so a request pays for O(1) rows."""
        self._takes_until_prune -= 1
        if self._takes_until_prune > 0:
            return
        low = bytes([self._slice])
        high = bytes([self._slice + 1]) if self._slice + 1 < PRUNE_SLICES else b"\xff" * 17
        bounds = (low, high)
        try:
            self._connection.execute(
                "DELETE FROM buckets WHERE key >= ? AND key < ? AND stamp < ?",
                (*bounds, now - FULL_AFTER_SECONDS),
            )
            (held,) = self._connection.execute(
                "SELECT count(*) FROM buckets WHERE key >= ? AND key < ?", bounds
            ).fetchone()
        except sqlite3.OperationalError:  # busy: the next request tries again
            self._takes_until_prune = 1
            return
        self._slice = (self._slice + 1) % PRUNE_SLICES
        self._takes_until_prune = max(MIN_TAKES_PER_PRUNE, held)

    def held(self) -> int:
        """How many buckets are stored (for tests and the benchmark)."""
        return self._connection.execute("SELECT count(*) FROM buckets").fetchone()[0]

    def close(self) -> None:
        self._connection.close()

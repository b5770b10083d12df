"""The SQL for feedback submissions (table `feedback_submissions`, migrations 0040, 0041, 0090).

Every function takes an open connection (alusta.db.connect) first and writes in one short
transaction (`alusta.db.transaction`, which joins the endpoint's group commit when
called inside it), so the endpoint's writer thread, the CLI and the build share the file.
Times are ISO 8601 UTC text (`alusta.db.iso`), as in the mention tables: text order is
time order, so the retention cut-off compares strings.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from alusta import outbox
from alusta.db import iso, transaction
from alusta.emails import email_key

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class NewSubmission:
    """A validated submission on its way into the database."""

    site: str
    form: str
    lang: str
    answers: dict[str, Any]
    email: str | None
    client_hash: str
    page: str
    received_at: str  # ISO 8601 UTC (alusta.db.iso)
    notify: tuple[str, ...] = ()  # channels to tell a facilitator through (alusta.outbox)


@dataclass(frozen=True)
class Submission:
    """A stored submission as the CLI, exports and notifications read it."""

    id: int
    site: str
    form: str
    lang: str
    answers: dict[str, Any]
    email: str | None
    page: str
    received_at: str  # ISO 8601 UTC (alusta.db.iso)


def insert_many(connection: sqlite3.Connection, items: Sequence[NewSubmission]) -> list[int]:
    """Store submissions in one transaction (one fsync for a burst), each with its
    notifications to deliver; their ids in order."""
    ids = []
    with transaction(connection):
        for item in items:
            cursor = connection.execute(
                "INSERT INTO feedback_submissions (site, form, lang, answers, email, "
                "client_hash, page, received_at) VALUES (?,?,?,?,?,?,?,?)",
                (
                    item.site,
                    item.form,
                    item.lang,
                    json.dumps(item.answers, ensure_ascii=False),
                    email_key(item.email) if item.email else None,
                    item.client_hash,
                    item.page,
                    item.received_at,
                ),
            )
            ids.append(int(cursor.lastrowid))
            received = datetime.fromisoformat(item.received_at).timestamp()
            outbox.enqueue(connection, "feedback", ids[-1], item.site, item.notify, now=received)
    return ids


def insert(connection: sqlite3.Connection, item: NewSubmission) -> int:
    return insert_many(connection, [item])[0]


def submissions(
    connection: sqlite3.Connection, *, site: str | None = None, form: str | None = None
) -> list[Submission]:
    """Stored submissions, oldest first, of one site and/or form (all when None)."""
    where, params = _filters(site, form)
    rows = connection.execute(
        f"SELECT * FROM feedback_submissions{where} ORDER BY received_at, id",  # noqa: S608 - fixed columns
        params,
    ).fetchall()
    return [_submission(row) for row in rows]


def count(
    connection: sqlite3.Connection, *, site: str | None = None, form: str | None = None
) -> int:
    where, params = _filters(site, form)
    return connection.execute(
        f"SELECT count(*) FROM feedback_submissions{where}",  # noqa: S608 - fixed columns
        params,
    ).fetchone()[0]


def _email_filter(email: str, site: str | None) -> tuple[str, list[Any]]:
    sql, params = " WHERE email = ?", [email_key(email)]
    if site is not None:
        sql += " AND site = ?"
        params.append(site)
    return sql, params


def count_by_email(connection: sqlite3.Connection, email: str, *, site: str | None = None) -> int:
    """How many submissions gave this address (any letter case or Unicode spelling)."""
    where, params = _email_filter(email, site)
    sql = f"SELECT count(*) FROM feedback_submissions{where}"  # noqa: S608 - fixed columns
    return connection.execute(sql, params).fetchone()[0]


def delete_by_email(connection: sqlite3.Connection, email: str, *, site: str | None = None) -> int:
    """Remove every submission that gave this address (any spelling, alusta.emails)."""
    where, params = _email_filter(email, site)
    with transaction(connection):
        return connection.execute(f"DELETE FROM feedback_submissions{where}", params).rowcount  # noqa: S608 - fixed columns


def purge_older(
    connection: sqlite3.Connection,
    retention: Iterable[tuple[str, str, int]],
    *,
    now: float,
    dry_run: bool = False,
) -> int:
    """Delete submissions past their form's retention: (site, form, days) each; how many
    (with `dry_run`, how many would go; nothing is deleted). `now` is Unix seconds (the
    caller's clock); the cut-off is compared as ISO text."""
    verb = "SELECT count(*)" if dry_run else "DELETE"
    sql = f"{verb} FROM feedback_submissions WHERE site = ? AND form = ? AND received_at < ?"
    removed = 0
    with transaction(connection):
        for site, form, days in retention:
            cursor = connection.execute(sql, (site, form, iso(now - days * SECONDS_PER_DAY)))
            removed += cursor.fetchone()[0] if dry_run else cursor.rowcount
    return removed


def forms_with_rows(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every (site, form) that has stored submissions."""
    rows = connection.execute("SELECT DISTINCT site, form FROM feedback_submissions")
    return [(row[0], row[1]) for row in rows]


def submission_by_id(connection: sqlite3.Connection, submission_id: int) -> Submission | None:
    row = connection.execute(
        "SELECT * FROM feedback_submissions WHERE id = ?", (submission_id,)
    ).fetchone()
    return _submission(row) if row else None


def _filters(site: str | None, form: str | None) -> tuple[str, list[str]]:
    clauses, params = [], []
    for column, value in (("site", site), ("form", form)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _submission(row: sqlite3.Row) -> Submission:
    return Submission(
        id=row["id"],
        site=row["site"],
        form=row["form"],
        lang=row["lang"],
        answers=json.loads(row["answers"]),
        email=row["email"],
        page=row["page"],
        received_at=row["received_at"],
    )

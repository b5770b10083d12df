"""The posts every build published: the table `published_posts` (migration 0020_sending).

The build records a site's posts here after its new output is in place (alusta.build, from
the build record); a post an earlier build published and the last one does not is gone
from then on. plugins/alusta_gone reads the gone posts to leave a 410 page at their
addresses in every later build, and `send` to tell their targets. One short transaction
per call, on a connection from alusta.db.connect.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from alusta.db import iso, transaction


@dataclass(frozen=True)
class PublishedPost:
    """A post some build published; `gone` once a later build no longer does."""

    site: str
    path: str  # URL relative to the site's SITEURL
    save_as: str  # file relative to the site's output folder
    gone: bool


def record_build(
    connection: sqlite3.Connection,
    site: str,
    posts: dict[str, str],
    *,
    now: float,
    mark_gone: bool = True,
) -> list[PublishedPost]:
    """Record the posts a build of `site` published ({path: save_as}); return the gone ones.

    Every other post published before is marked gone (unless `mark_gone` is False, for a
    build that left files out) and stays so until a build publishes it again.
    """
    stamp = iso(now)
    with transaction(connection):
        connection.executemany(
            "INSERT INTO published_posts (site, path, save_as, first_built, last_built) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (site, path) DO UPDATE SET "
            "save_as = excluded.save_as, last_built = excluded.last_built, gone_since = NULL",
            [(site, path, save_as, stamp, stamp) for path, save_as in posts.items()],
        )
        if mark_gone:
            connection.execute(
                "UPDATE published_posts SET gone_since = ? WHERE site = ? "
                "AND gone_since IS NULL AND path NOT IN (SELECT value FROM json_each(?))",
                (stamp, site, json.dumps(list(posts))),
            )
    return [p for p in published_posts(connection, site) if p.gone]


def gone_after_build(
    published: list[PublishedPost], posts: dict[str, str], *, mark_gone: bool = True
) -> list[PublishedPost]:
    """The posts `record_build(posts)` will report gone, computed without writing.

    The build writes the 410 pages before it knows whether every site built; the state is
    recorded only after the new output is in place.
    """
    return [p for p in published if p.path not in posts and (p.gone or mark_gone)]


def published_posts(connection: sqlite3.Connection, site: str) -> list[PublishedPost]:
    """Every post of `site` any build published, gone ones included, in path order."""
    rows = connection.execute(
        "SELECT site, path, save_as, gone_since IS NOT NULL AS gone FROM published_posts "
        "WHERE site = ? ORDER BY path",
        (site,),
    )
    return [PublishedPost(r["site"], r["path"], r["save_as"], bool(r["gone"])) for r in rows]

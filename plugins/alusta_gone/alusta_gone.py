"""alusta_gone: leave a 410 page where a post was deleted.

After the articles are written, the posts this build publishes (articles and their
translations; drafts and hidden posts are not published) are compared with the SQLite
table `published_posts` (alusta.published), which alusta.build fills from the build record
only once every site built and the new output is in place, so a failed build changes no
state. Every post an earlier build published and this one does not is gone: unless
something else now lives at its address, its old file becomes a small page carrying
`<meta http-equiv="Status" content="410 Gone">` (alusta.send.gone), in every later build
too. `publish.py send` reads the same table to notify the gone post's targets.

Settings: ALUSTA_DATABASE, ALUSTA_SITE (name, lang, title) and SITEURL, which
alusta.pelican_conf sets for every site. A
`--keep-going` build that left files out (ALUSTA["exclude_sources"]) marks nothing gone.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from pelican import signals

from alusta.db import connect_read_only
from alusta.published import PublishedPost, gone_after_build, published_posts
from alusta.send.gone import gone_page

log = logging.getLogger(__name__)


def leave_gone_pages(generator, writer=None) -> None:
    """Write the 410 pages of the posts this build no longer publishes."""
    settings = generator.settings
    conf = settings.get("ALUSTA") or {}
    site, database = conf.get("site") or {}, conf.get("database")
    if not database or not site.get("name"):
        log.warning("alusta_gone: no ALUSTA database or site setting; no 410 pages written")
        return
    posts = {a.url: a.save_as for a in [*generator.articles, *generator.translations]}
    try:
        gone = _gone(database, site["name"], posts, conf.get("exclude_sources"))
    except sqlite3.Error as error:
        log.warning("alusta_gone: cannot read published posts in %s: %s", database, error)
        return
    page = gone_page(
        lang=site.get("lang", ""), site_title=site.get("title", ""), siteurl=settings["SITEURL"]
    )
    written = sum(_write(Path(generator.output_path), post, page) for post in gone)
    if written:
        log.info("alusta_gone: %d page(s) say 410 Gone for deleted posts", written)


def _gone(database: str, site: str, posts: dict[str, str], excluded: object) -> list[PublishedPost]:
    """Read only: the site builds run side by side, and the build records what it
    published (creating the database) once every site is built."""
    if not Path(database).is_file():
        return []  # no build has recorded anything yet: nothing can be gone
    connection = connect_read_only(database)
    try:
        published = published_posts(connection, site)
    finally:
        connection.close()
    return gone_after_build(published, posts, mark_gone=not excluded)


def _write(output: Path, post: PublishedPost, page: str) -> bool:
    """Write one 410 page unless the address is outside the output or taken by a page."""
    path = (output / post.save_as).resolve()
    if not path.is_relative_to(output.resolve()) or path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return True


def register() -> None:
    signals.article_writer_finalized.connect(leave_gone_pages)

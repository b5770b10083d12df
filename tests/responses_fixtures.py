"""Helpers for the responses tests: mentions stored through alusta.store, parsed pages.

settings = responses_project(tmp_path)          # a copy of the project, fi/sv/en sites
store_mention(settings, source=..., target=post_url(settings, "main"), kind="reply", ...)
build_sites(settings); soup = page_soup(settings, "main")
"""

from __future__ import annotations

import time
from pathlib import Path

from bs4 import BeautifulSoup

from alusta import store, verification_queue
from alusta.db import connect
from alusta.models import Author, Mention, MentionKind, MentionRequest, MentionStatus, SourceEntry
from alusta.sanitize import sanitize_html
from alusta.settings import Settings
from tests.project import theme_project
from tests.waiting import wait_until  # noqa: F401  (re-exported for tests)

POST_PATH = "2026/11/teeman-testikirjoitus/"
RECEIVED_START = 1_790_000_000.0  # 2026-09-21: stored times are passed in, so order is known


def responses_project(root: Path, **environ: str) -> Settings:
    """A copy of the project with a Finnish, a Swedish and an English site, one known post
    each (POST_PATH); private addresses allowed so avatars come from local servers."""
    return theme_project(root, ALUSTA_ALLOW_PRIVATE_ADDRESSES="1", **environ)


def post_url(settings: Settings, site: str = "main") -> str:
    return f"{settings.site(site).siteurl}/{POST_PATH}"


def post_file(settings: Settings, site: str = "main", path: str = POST_PATH) -> Path:
    return settings.site_output(settings.site(site)) / path / "index.html"


def page_soup(settings: Settings, site: str = "main", path: str = POST_PATH) -> BeautifulSoup:
    return BeautifulSoup(post_file(settings, site, path).read_text("utf-8"), "html.parser")


def store_mention(
    settings: Settings,
    *,
    source: str,
    target: str,
    kind: str = "reply",
    site: str = "main",
    author: str = "Aino Esimerkki",
    author_url: str = "https://aino.example/",
    photo: str = "",
    published: str = "",
    content: str = "",
    name: str = "",
    title: str = "",
    status: MentionStatus = MentionStatus.APPROVED,
    received: float = RECEIVED_START,
    protocol: str = "webmention",
    in_reply_to: str = "",
    lang: str = "",
) -> Mention:
    """A verified mention written with the store's own functions (as the endpoint would)."""
    connection = connect(settings.database_path)
    try:
        request = MentionRequest(source=source, target=target, site=site, protocol=protocol)
        mention = verification_queue.enqueue(connection, request, now=received)
        entry = SourceEntry(
            url=source,
            final_url=source,
            kind=MentionKind(kind),
            author=Author(name=author, url=author_url, photo=photo),
            published=published,
            name=name,
            content_html=sanitize_html(content, base_url=source),
            content_text=BeautifulSoup(content, "html.parser").get_text(" ", strip=True),
            title=title,
            excerpt="",
            in_reply_to=in_reply_to,
            lang=lang,
        )
        return store.save_verified(
            connection, mention.id, entry, status=status, reason="", now=received
        )
    finally:
        connection.close()


def moderate(settings: Settings, mention_id: int, status: MentionStatus) -> None:
    connection = connect(settings.database_path)
    try:
        store.moderate(connection, [mention_id], status, now=time.time())
    finally:
        connection.close()


def responses_section(soup: BeautifulSoup):
    return soup.find("section", class_="responses")

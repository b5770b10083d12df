"""Where approved mentions come from: the endpoint's SQLite file or its JF2 API.

A build beside the endpoint reads the database directly (read-only use of the store);
a build elsewhere sets ALUSTA_MENTIONS_URL and reads `GET /mentions?site=NAME`, the
webmention.io-style JF2 feed, page by page, fetched with the one outbound client (address
checks, caps).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from alusta import store
from alusta.db import connect_read_only
from alusta.errors import AlustaError
from alusta.models import PARENT_KEY, MentionKind, kind_of_property
from alusta.responses.model import Response, from_mention, make_response

log = logging.getLogger("alusta.responses")

API_MAX_BYTES = 20_000_000
API_TIMEOUT_SECONDS = 30.0
API_PER_PAGE = 100  # the API's largest page
API_MAX_PAGES = 2000  # 200,000 responses per site
API_ATTEMPTS = 4  # a page refused with 429 is asked for again after its Retry-After
API_MAX_WAIT_SECONDS = 60.0
TOO_MANY_REQUESTS = 429


class MentionsUnavailable(AlustaError):
    """The mentions API could not be read or did not answer with a JF2 feed."""


@dataclass(frozen=True)
class MentionSource:
    """Read approved mentions from `api_url` when set, else from the SQLite `database`."""

    database: Path
    api_url: str = ""
    allow_private: bool = False

    def responses(self, *, site: str | None = None, target: str | None = None) -> list[Response]:
        """Approved responses of one site (or one target page), oldest first."""
        if self.api_url:
            return asyncio.run(self._from_api(site=site, target=target))
        return self._from_database(site=site, target=target)

    def _from_database(self, *, site: str | None, target: str | None) -> list[Response]:
        if not self.database.is_file():
            log.info("mentions: no database at %s, pages show no responses", self.database)
            return []
        connection = connect_read_only(self.database)
        try:
            mentions = store.approved_mentions(connection, site=site, target=target)
        finally:
            connection.close()
        return [r for r in (from_mention(m) for m in mentions) if r is not None]

    async def _from_api(self, *, site: str | None, target: str | None) -> list[Response]:
        """Every approved response, page by page, oldest first (the API's pages are at most
        API_PER_PAGE long; a 429 is waited out as its Retry-After asks)."""
        query = {k: v for k, v in (("site", site), ("target", target)) if v}
        query.update({"per-page": str(API_PER_PAGE), "sort-dir": "up"})
        children: list[dict] = []
        for page in range(API_MAX_PAGES):
            url = f"{self.api_url.rstrip('/')}/mentions?{urlencode({**query, 'page': page})}"
            found = await self._page(url)
            children += found
            if len(found) < API_PER_PAGE:
                break
        else:
            log.warning("mentions: %s: stopped after %d pages", self.api_url, API_MAX_PAGES)
        return [r for r in (from_jf2(child) for child in children) if r is not None]

    async def _page(self, url: str) -> list[dict]:
        """The entries of one page of the API."""
        from alusta.http import FetchError, fetch  # noqa: PLC0415 - only builds away from the db

        for attempt in range(API_ATTEMPTS):
            try:
                result = await fetch(
                    url,
                    allow_private=self.allow_private,
                    max_bytes=API_MAX_BYTES,
                    timeout_seconds=API_TIMEOUT_SECONDS,
                    headers={"Accept": "application/jf2feed+json"},
                )
            except FetchError as error:
                raise MentionsUnavailable(f"mentions API {url}: {error}") from error
            if result.status != TOO_MANY_REQUESTS or attempt == API_ATTEMPTS - 1:
                break
            await asyncio.sleep(_retry_after(result.headers.get("retry-after", "")))
        if result.status != 200 or result.truncated:
            raise MentionsUnavailable(
                f"mentions API {url}: HTTP {result.status}"
                + (", answer too long" if result.truncated else "")
            )
        return parse_jf2(result.content, url)


def _retry_after(value: str) -> float:
    """Seconds to wait before asking again (at most API_MAX_WAIT_SECONDS)."""
    seconds = float(value) if value.isdigit() else 1.0
    return min(max(seconds, 1.0), API_MAX_WAIT_SECONDS)


def parse_jf2(content: bytes, url: str) -> list[dict]:
    """The `children` of a JF2 feed; anything else is a clear error."""
    try:
        document = json.loads(content)
    except ValueError as error:
        raise MentionsUnavailable(f"mentions API {url}: not JSON ({error})") from error
    children = document.get("children") if isinstance(document, dict) else None
    if not isinstance(children, list):
        raise MentionsUnavailable(f"mentions API {url}: no JF2 'children' list")
    return [child for child in children if isinstance(child, dict)]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def from_jf2(entry: dict) -> Response | None:
    """One JF2 entry (webmention.io field names) as a Response; None when unusable."""
    property_ = _text(entry.get("wm-property"))
    kind = kind_of_property(property_)
    if kind is None or not isinstance(entry.get("wm-id"), int):
        return None
    if entry.get("wm-protocol") == "pingback":
        kind = MentionKind.PINGBACK
    author = entry.get("author") if isinstance(entry.get("author"), dict) else {}
    content = entry.get("content") if isinstance(entry.get("content"), dict) else {}
    return make_response(
        id=entry["wm-id"],
        kind=kind,
        target=_text(entry.get("wm-target")),
        source=_text(entry.get("url")) or _text(entry.get("wm-source")),
        author_name=_text(author.get("name")),
        author_url=_text(author.get("url")),
        author_photo=_text(author.get("photo")),
        published=_text(entry.get("published")),
        received=_text(entry.get("wm-received")),
        name=_text(entry.get("name")) or _text(entry.get("wm-title")),
        content_html=_text(content.get("html")),
        content_text=_text(content.get("text")) or _text(entry.get("wm-excerpt")),
        in_reply_to=_text(entry.get(PARENT_KEY)),
        lang=_text(entry.get("lang")),
    )

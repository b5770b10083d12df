"""Where approved mentions come from: the endpoint's SQLite file or its JF2 API.

A build beside the endpoint reads the database directly (read-only use of the store);
a build elsewhere sets ALUSTA_MENTIONS_URL and reads `GET /mentions?site=NAME`, the
webmention.io-style JF2 feed, fetched with the one outbound client (address checks, caps).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from alusta import store
from alusta.db import connect
from alusta.errors import AlustaError
from alusta.models import PARENT_KEY, MentionKind, kind_of_property
from alusta.responses.model import Response, from_mention, make_response

log = logging.getLogger("alusta.responses")

API_MAX_BYTES = 20_000_000
API_TIMEOUT_SECONDS = 30.0
API_PAGE_LIMIT = 5000


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
        connection = connect(self.database)
        try:
            mentions = store.approved_mentions(connection, site=site, target=target)
        finally:
            connection.close()
        return [r for r in (from_mention(m) for m in mentions) if r is not None]

    async def _from_api(self, *, site: str | None, target: str | None) -> list[Response]:
        from alusta.http import FetchError, fetch  # noqa: PLC0415 - only builds away from the db

        query = {k: v for k, v in (("site", site), ("target", target)) if v}
        query["limit"] = str(API_PAGE_LIMIT)
        url = f"{self.api_url.rstrip('/')}/mentions?{urlencode(query)}"
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
        if result.status != 200 or result.truncated:
            raise MentionsUnavailable(
                f"mentions API {url}: HTTP {result.status}"
                + (", answer too long" if result.truncated else "")
            )
        children = parse_jf2(result.content, url)
        if len(children) >= API_PAGE_LIMIT:
            log.warning("mentions: %s returned %d entries, the API's maximum", url, len(children))
        return [r for r in (from_jf2(child) for child in children) if r is not None]


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
    )

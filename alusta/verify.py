"""Verify that a source links to a target and read what it says (Webmention §3.2.2).

The receiver fetches the source (alusta.http: address checks, redirects, a 10 s budget,
the first 1 MB) and checks the link the way the document type allows (alusta.source_links), then
reads the responding h-entry (alusta.microformats). Pingback 1.0 uses the same check and
the page's <title> and the text around the link.

Outcomes, as the worker needs them:
- 410 Gone, or `<meta http-equiv="Status" content="410 Gone">`: SourceGone (delete);
- a 2xx page without the link: NoLinkToTarget (delete what was shown);
- 404: SourceMissing, asked again later (not deployed yet?); a verified mention stays;
- other 4xx: SourceNotFound, not retried; a verified mention stays;
- a redirect to a blocked domain (when the caller passes `blocked`): SourceBlocked;
- a page too costly to read (deep microformats, over the reader's CPU or time budget):
  SourceTooComplex, final;
- 5xx: UpstreamError, and network errors/timeouts (FetchError): retried later.

A source longer than 1 MB is cut there: a link in the first megabyte verifies it, a link
after it is not seen (NoLinkToTarget). Senders link near their content, and reading
further would let anyone make us download without limit.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from alusta.errors import AlustaError
from alusta.http import FetchResult, fetch
from alusta.microformats import EntryFields, read_entry
from alusta.models import SourceEntry
from alusta.reader_pool import ReaderPool, default_pool
from alusta.source_links import (
    LinkFound,
    find_in_html,
    find_in_json,
    find_in_text,
    scan_html,
)
from alusta.urls import host_of

ACCEPT = (
    "text/html, application/xhtml+xml;q=0.9, application/json;q=0.8, text/plain;q=0.7, */*;q=0.1"
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
JSON_TYPES = frozenset({"application/json", "application/ld+json", "application/activity+json"})
GONE_STATUS = 410
NOT_FOUND_STATUS = 404

Fetcher = Callable[..., Awaitable[FetchResult]]


class VerifyError(AlustaError):
    """The source could not be verified; `retryable` says whether later may help."""

    retryable: bool = False


class SourceGone(VerifyError):
    """The source answers 410 Gone or says so in a meta Status element."""


class SourceNotFound(VerifyError):
    """The source answers a client error (4xx other than 410)."""


class SourceMissing(SourceNotFound):
    """The source answers 404: perhaps it is not deployed yet (some senders send at build
    time), so the worker asks again a few times before rejecting."""


class NoLinkToTarget(VerifyError):
    """The source does not link to the target."""


class SourceBlocked(VerifyError):
    """The source, or a page it redirects to, is on a blocked domain."""


class UpstreamError(VerifyError):
    """The source's server failed (5xx)."""

    retryable = True


async def verify_source(
    source: str,
    target: str,
    *,
    allow_private: bool,
    fetch: Fetcher = fetch,
    blocked: Callable[[str], bool] | None = None,
    reader: ReaderPool | None = None,
) -> SourceEntry:
    """What `source` says about `target`; raises the errors above or FetchError.

    `blocked` is asked about every page the source redirects to, before it is requested:
    a block list checked at the first URL only would let a blocked domain in through a
    redirect. The page is read in a child process of `reader` (default: the process's
    pool), so no page costs more than its CPU and time budget (SourceTooComplex).
    """
    result = await fetch(
        source,
        allow_private=allow_private,
        headers={"Accept": ACCEPT},
        before_hop=None if blocked is None else functools.partial(_refuse_blocked, blocked),
    )
    check_status(result)
    return await (reader or default_pool()).run(read_source, result, target, owner=host_of(source))


def _refuse_blocked(blocked: Callable[[str], bool], url: str) -> None:
    if blocked(url):
        raise SourceBlocked(f"source redirects to {url}, on a blocked domain")


def check_status(result: FetchResult) -> None:
    """Raise the error that a non-2xx status means for verification."""
    status = result.status
    if status == GONE_STATUS:
        raise SourceGone(f"source {result.url} is gone (410)")
    if status >= 500:
        raise UpstreamError(f"source {result.url} answered {status}")
    if status == NOT_FOUND_STATUS:
        raise SourceMissing(f"source {result.url} answered {status}")
    if not 200 <= status < 300:
        raise SourceNotFound(f"source {result.url} answered {status}")


def read_source(result: FetchResult, target: str) -> SourceEntry:
    """Check the link in the fetched document and read its entry (CPU work, no I/O)."""
    kind = document_kind(result)
    if kind == "html":
        return _read_html(result, target)
    text = result.text
    found = find_in_json(text, target) if kind == "json" else find_in_text(text, target)
    return _entry(result, _require(found, result), EntryFields(), title="")


def document_kind(result: FetchResult) -> str:
    """ "html", "json" or "text", from Content-Type or, without one, from the body."""
    media_type = result.content_type
    if media_type in HTML_TYPES:
        return "html"
    if media_type in JSON_TYPES or media_type.endswith("+json"):
        return "json"
    if media_type.startswith("text/"):
        return "text"
    if not media_type and result.content.lstrip()[:1] == b"<":
        return "html"
    if not media_type:
        return "text"
    raise NoLinkToTarget(f"source {result.url} is {media_type}, which cannot hold a link")


def _read_html(result: FetchResult, target: str) -> SourceEntry:
    html = result.text
    page = scan_html(html, result.final_url)
    if page.gone:
        raise SourceGone(f"source {result.url} says it is gone (410)")
    found = _require(find_in_html(page, target), result)
    fields = read_entry(html, url=result.final_url, target=target)
    return _entry(result, found, fields, title=page.title)


def _require(found: LinkFound | None, result: FetchResult) -> LinkFound:
    if found is None:
        cut = " in its first megabyte" if result.truncated else ""
        raise NoLinkToTarget(f"source does not link to target{cut}")
    return found


def _entry(
    result: FetchResult, found: LinkFound, fields: EntryFields, *, title: str
) -> SourceEntry:
    return SourceEntry(
        url=result.url,
        final_url=result.final_url,
        kind=fields.kind,
        author=fields.author,
        published=fields.published,
        name=fields.name,
        content_html=fields.content_html,
        content_text=fields.content_text,
        title=title,
        excerpt=found.excerpt,
        in_reply_to=fields.in_reply_to,
        lang=fields.lang,
    )

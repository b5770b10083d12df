"""Finding where a target takes notifications: a Webmention endpoint, else a Pingback server.

Webmention Recommendation §3.1.2 "Sender discovers receiver Webmention endpoint": fetch the
target following redirects; an HTTP `Link` header with rel `webmention` wins (every Link
header and every link and rel value in it count, relation types compare case-insensitively,
RFC 8288 §2.1.1); otherwise the first `<link>` or `<a>` element with rel `webmention` and an
`href` in document order. A relative endpoint resolves against the final URL after
redirects, an empty `href` is the target itself, and the endpoint's query string is kept.
Markup inside comments or escaped text is not markup, which a real HTML tokenizer gives us.

Only when there is no Webmention endpoint, Pingback 1.0 §2 autodiscovery: the `X-Pingback`
header, then `<link rel="pingback" href="...">`.

webmention-tools and ronkyuu were compared on the same scenarios (bench/discovery_compare.py,
docs/sending.md); neither passed all of them, so discovery is ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

from alusta.send.client import SendClient

WEBMENTION_REL = "webmention"
PINGBACK_REL = "pingback"
HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
ENDPOINT_ELEMENTS = frozenset({"link", "a"})
_LINK_PARAM = re.compile(
    r"""\s*;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*))?"""
)


class Protocol(StrEnum):
    WEBMENTION = "webmention"
    PINGBACK = "pingback"


@dataclass(frozen=True)
class Endpoint:
    """Where to send: a Webmention endpoint or a Pingback XML-RPC server (absolute URL)."""

    protocol: Protocol
    url: str


@dataclass(frozen=True)
class HeaderLink:
    """One link-value of an HTTP Link header (RFC 8288 §3)."""

    url: str
    rels: frozenset[str]


def parse_link_headers(values: list[str]) -> list[HeaderLink]:
    """Every link in every Link header value, in order, with lower-cased rel values."""
    links = []
    for value in values:
        position = 0
        while (start := value.find("<", position)) >= 0:
            end = value.find(">", start)
            if end < 0:
                break
            params, position = _link_params(value, end + 1)
            rels = frozenset(params.get("rel", "").lower().split())
            links.append(HeaderLink(value[start + 1 : end], rels))
    return links


def _link_params(value: str, position: int) -> tuple[dict[str, str], int]:
    """The `; name=value` parameters after a `<url>`; the first of a repeated name counts."""
    params: dict[str, str] = {}
    while match := _LINK_PARAM.match(value, position):
        raw = match.group(2) or ""
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params.setdefault(match.group(1).lower(), raw)
        position = match.end()
    comma = value.find(",", position)
    return params, (len(value) if comma < 0 else comma + 1)


class _EndpointParser(HTMLParser):
    """Collects the first webmention `<link>`/`<a>` and the first pingback `<link>` with href."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.webmention: str | None = None
        self.pingback: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ENDPOINT_ELEMENTS:
            return
        values = dict(attrs)
        href = values.get("href")
        if href is None:
            return
        rels = (values.get("rel") or "").lower().split()
        if self.webmention is None and WEBMENTION_REL in rels:
            self.webmention = href
        if self.pingback is None and tag == "link" and PINGBACK_REL in rels:
            self.pingback = href


def find_endpoint(final_url: str, headers: httpx.Headers, html: str | None) -> Endpoint | None:
    """The endpoint a fetched target advertises, resolved against `final_url`, or None."""
    links = parse_link_headers(headers.get_list("link"))
    header = next((link.url for link in links if WEBMENTION_REL in link.rels), None)
    parser = _EndpointParser()
    if html is not None:
        parser.feed(html)
        parser.close()
    webmention = header if header is not None else parser.webmention
    if webmention is not None:
        return _endpoint(Protocol.WEBMENTION, final_url, webmention)
    pingback = headers.get("x-pingback") or parser.pingback
    if pingback:
        return _endpoint(Protocol.PINGBACK, final_url, pingback.strip())
    return None


def _endpoint(protocol: Protocol, final_url: str, href: str) -> Endpoint | None:
    url = urljoin(final_url, href.strip())
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return Endpoint(protocol, url)


def is_html(media_type: str) -> bool:
    """Discovery looks inside the body only for HTML documents (§3.1.2)."""
    return media_type in HTML_MEDIA_TYPES


@dataclass(frozen=True)
class Discovery:
    """What fetching a target showed: where it ended up, its status and its endpoint."""

    target: str
    final_url: str
    status: int
    endpoint: Endpoint | None


async def discover(target: str, client: SendClient) -> Discovery:
    """Fetch `target` (following redirects) and find its endpoint; FetchError propagates."""
    result = await client.fetch(target)
    endpoint = None
    if 200 <= result.status < 300:
        html = result.text if is_html(result.content_type) else None
        endpoint = find_endpoint(result.final_url, result.headers, html)
    return Discovery(target, result.final_url, result.status, endpoint)

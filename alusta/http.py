"""The one outbound HTTP client: address checks, redirects, one time budget, a size cap.

Webmention and Pingback make us fetch URLs that strangers choose, so every fetch is
hostile by default (Webmention Recommendation §4.1 "Security considerations"):

- only http/https URLs without credentials, at every redirect hop;
- unless `allow_private`, every address a host resolves to must be public, and the
  socket connects to exactly the address that was checked (alusta.transport: resolve,
  check and connect in one step, so DNS rebinding never reaches a socket);
- redirects are followed here, hop by hop, at most `max_redirects`; a caller's
  `before_hop` sees every redirect target before it is requested and may stop the fetch
  by raising (verification checks the block list there);
- one `asyncio.timeout` covers DNS, connects, every hop and the body;
- the body is read as a stream and cut at `max_bytes`. A longer body is not an error:
  the result says `truncated=True` and the caller decides (verification looks for the
  link in the first megabyte). Compressed bodies are inflated with the same cap, so a
  gzip bomb costs no more memory than a plain body.
"""

from __future__ import annotations

import asyncio
import codecs
import re
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx

from alusta import __version__
from alusta.addresses import IPAddress, is_public_address
from alusta.errors import (
    AddressRefused,
    BadURL,
    FetchError,
    FetchTimeout,
    NetworkError,
    TooManyRedirects,
)
from alusta.transport import (
    AddressPolicy,
    GuardedBackend,
    GuardedTransport,
    Resolver,
    resolve_host,
)

__all__ = [  # the errors live in alusta.errors; callers of fetch find them here too
    "AddressRefused",
    "BadURL",
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "NetworkError",
    "TooManyRedirects",
    "check_url",
    "fetch",
]

MAX_BODY_BYTES = 1_000_000
TOTAL_TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5.0
MAX_REDIRECTS = 5
USER_AGENT = f"Alusta/{__version__} (webmention; pingback)"
ALLOWED_SCHEMES = frozenset({"http", "https"})
INFLATED_ENCODINGS = frozenset({"gzip", "x-gzip", "deflate"})
META_CHARSET_SNIFF_BYTES = 1024
HopCheck = Callable[[str], None]  # raises to stop a fetch before it requests that URL
META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class FetchResult:
    """A fetched response: the body is at most `max_bytes` long, `truncated` if cut."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: httpx.Headers  # every header, repeated ones (Link) kept
    content: bytes
    truncated: bool
    content_type: str  # lowercased media type without parameters, "" if none
    encoding: str | None  # charset from Content-Type, None if not given

    @property
    def text(self) -> str:
        """The body decoded with the declared charset, else an HTML meta charset, else UTF-8."""
        encoding = self.encoding or _sniff_meta_charset(self.content) or "utf-8"
        try:
            return self.content.decode(encoding, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


async def fetch(
    url: str,
    *,
    allow_private: bool,
    method: str = "GET",
    data: dict | bytes | None = None,
    headers: dict | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    timeout_seconds: float = TOTAL_TIMEOUT_SECONDS,
    connect_timeout_seconds: float = CONNECT_TIMEOUT_SECONDS,
    max_redirects: int = MAX_REDIRECTS,
    follow_redirects: bool = True,
    resolver: Resolver | None = None,
    address_allowed: AddressPolicy | None = None,
    before_hop: HopCheck | None = None,
) -> FetchResult:
    """Fetch `url` under the rules in the module docstring.

    `resolver` and `address_allowed` replace DNS and the public-address rule (tests use
    them to refuse one hop of a local redirect chain); `address_allowed` wins over
    `allow_private`.
    """
    check_url(url)
    policy = address_allowed or (_allow_any if allow_private else _allow_public)
    backend = GuardedBackend(resolver or resolve_host, policy)
    timeout = httpx.Timeout(timeout_seconds, connect=connect_timeout_seconds)
    try:
        async with asyncio.timeout(timeout_seconds), _client(backend, timeout) as client:
            request = client.build_request(method, url, **_body(data), headers=headers)
            return await _follow(
                client,
                request,
                url,
                max_redirects=max_redirects,
                follow_redirects=follow_redirects,
                max_bytes=max_bytes,
                before_hop=before_hop,
            )
    except TimeoutError as exc:
        raise FetchTimeout(f"{url} did not answer within {timeout_seconds:g} seconds") from exc
    except httpx.TimeoutException as exc:
        raise FetchTimeout(f"{url} timed out: {type(exc).__name__}") from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise BadURL(f"{url} is not a URL that can be fetched: {exc}") from exc
    except httpx.TransportError as exc:
        raise NetworkError(f"{url} could not be fetched: {type(exc).__name__} {exc}") from exc


def check_url(url: str | httpx.URL) -> None:
    """Raise BadURL unless `url` is http(s), has a host and carries no credentials."""
    try:
        parsed = httpx.URL(url) if isinstance(url, str) else url
    except httpx.InvalidURL as exc:
        raise BadURL(f"{url} is not a valid URL") from exc
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise BadURL(f"{url} is not an http or https URL")
    if not parsed.host:
        raise BadURL(f"{url} has no host")
    if parsed.userinfo:
        raise BadURL(f"{url} carries credentials")


def _client(backend: GuardedBackend, timeout: httpx.Timeout) -> httpx.AsyncClient:
    default_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    return httpx.AsyncClient(
        transport=GuardedTransport(backend),
        headers=default_headers,
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )


async def _follow(
    client: httpx.AsyncClient,
    request: httpx.Request,
    url: str,
    *,
    max_redirects: int,
    follow_redirects: bool,
    max_bytes: int,
    before_hop: HopCheck | None,
) -> FetchResult:
    """Send `request`, following redirects one checked hop at a time."""
    for _hop in range(max_redirects + 1):
        response = await client.send(request, stream=True)
        try:
            if not (follow_redirects and response.next_request is not None):
                return await _read(response, url, max_bytes)
            request = response.next_request
            check_url(request.url)
            if before_hop is not None:
                before_hop(str(request.url))
        finally:
            await response.aclose()
    raise TooManyRedirects(f"{url} redirects more than {max_redirects} times")


async def _read(response: httpx.Response, url: str, max_bytes: int) -> FetchResult:
    content, truncated = await _read_capped(response, max_bytes)
    media_type = response.headers.get("content-type", "").split(";", 1)[0]
    return FetchResult(
        url=url,
        final_url=str(response.url),
        status=response.status_code,
        headers=response.headers,
        content=content,
        truncated=truncated,
        content_type=media_type.strip().lower(),
        encoding=response.charset_encoding,
    )


async def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    """Read at most `max_bytes` of the decoded body; True if more was there."""
    body = bytearray()
    async for chunk in _decoded(response, max_bytes + 1):
        body += chunk
        if len(body) > max_bytes:
            return bytes(body[:max_bytes]), True
    return bytes(body), False


async def _decoded(response: httpx.Response, limit: int) -> AsyncIterator[bytes]:
    """The body's bytes with Content-Encoding undone, never inflating past `limit`."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        async for chunk in response.aiter_raw():
            yield chunk
        return
    if encoding not in INFLATED_ENCODINGS:
        raise NetworkError(f"{response.url} uses unsupported content encoding {encoding}")
    inflater = zlib.decompressobj(wbits=47)  # 32 + 15: zlib or gzip header
    produced = 0
    async for chunk in response.aiter_raw():
        try:
            piece = inflater.decompress(chunk, limit - produced)
        except zlib.error as exc:
            raise NetworkError(f"{response.url} sent a corrupt {encoding} body") from exc
        produced += len(piece)
        yield piece
        if produced >= limit:
            return


def _body(data: dict | bytes | None) -> dict:
    if data is None:
        return {}
    return {"data": data} if isinstance(data, dict) else {"content": data}


def _allow_any(_ip: IPAddress, _port: int) -> bool:
    return True


def _allow_public(ip: IPAddress, _port: int) -> bool:
    return is_public_address(ip)


def _sniff_meta_charset(content: bytes) -> str | None:
    match = META_CHARSET.search(content[:META_CHARSET_SNIFF_BYTES])
    if match is None:
        return None
    name = match.group(1).decode("ascii")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None

"""URL normalisation for matching mentions to our pages (stdlib and idna only).

Senders write our URLs in many equivalent ways: http or https, upper-case hosts, an explicit
default port, `index.html`, with or without a trailing slash, with tracking parameters
added by feed readers and social sites. `normalize_url` maps all of those to one key; the
key is for comparing, not for fetching (it always says https).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import idna

from alusta.errors import AlustaError

HTTP_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
INDEX_FILE = "index.html"
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ref_src"})
TRACKING_PREFIX = "utm_"
PATH_SAFE = "/:@!$&'()*+,;=-._~"
CONTROL_OR_SPACE = frozenset(chr(code) for code in range(33)) | {"\x7f"}
ASCII_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
MAX_HOST_LENGTH = 253


class NotHttpURL(AlustaError, ValueError):
    """The text is not an absolute http(s) URL with a host."""


def is_http_url(url: str) -> bool:
    """True for an absolute http or https URL with a host and a valid port."""
    if not isinstance(url, str) or any(char in CONTROL_OR_SPACE for char in url):
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a bad port
    except ValueError:
        return False
    if parts.scheme.lower() not in HTTP_SCHEMES or not parts.hostname:
        return False
    return _ascii_host(parts.hostname) is not None


def normalize_url(url: str) -> str:
    """The matching key of `url`; raises NotHttpURL for anything but an http(s) URL."""
    url = url.strip() if isinstance(url, str) else url
    if not is_http_url(url):
        raise NotHttpURL(f"{url!r} is not an absolute http or https URL")
    parts = urlsplit(url)
    netloc = _netloc(parts.scheme.lower(), parts.hostname or "", parts.port)
    return urlunsplit(("https", netloc, _path(parts.path), _query(parts.query), ""))


def same_url(a: str, b: str) -> bool:
    """True when `a` and `b` are the same page by `normalize_url`; False if either is invalid."""
    if not (is_http_url(a.strip()) and is_http_url(b.strip())):
        return False
    return normalize_url(a) == normalize_url(b)


class SiteBases:
    """Which of our sites a URL lies under: the longest SITEURL wins (pilots inside main)."""

    def __init__(self, siteurls: Mapping[str, str]) -> None:
        bases = [
            (normalize_url(url.rstrip("/") + "/").rstrip("/"), name)
            for name, url in siteurls.items()
        ]
        self._bases = tuple(sorted(bases, key=lambda pair: len(pair[0]), reverse=True))

    def owner_of_key(self, key: str) -> str | None:
        """The site of an already normalised URL (a key from `normalize_url`)."""
        return next(
            (name for base, name in self._bases if key == base or key.startswith(base + "/")),
            None,
        )

    def owner_of(self, url: str) -> str | None:
        """The site of any spelling of `url`; None when it is on none of them or no URL."""
        try:
            return self.owner_of_key(normalize_url(url))
        except NotHttpURL:
            return None


def host_of(url: str) -> str:
    """The lower-case host of a URL, '' without one: the key of domain rules and rate limits."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # e.g. an unclosed IPv6 bracket: no host we could use
        return ""


def _netloc(scheme: str, hostname: str, port: int | None) -> str:
    host = _host(hostname)
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return host
    return f"{host}:{port}"


def _host(hostname: str) -> str:
    host = _ascii_host(hostname)
    if host is None:  # is_http_url has refused it before this is reached
        raise NotHttpURL(f"{hostname!r} is not a valid host name")
    return host


def _ascii_host(hostname: str) -> str | None:
    """The host as lower-case ASCII (IDNA A-labels), or None when no fetcher could use it.

    Host names with non-ASCII or `xn--` labels must be valid IDNA 2008 (UTS #46 mapping);
    plain ASCII labels follow the letters-digits-hyphen rule (underscores allowed, as DNS
    does). IP literals are kept as they are.
    """
    host = hostname.lower().rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not host or len(host) > MAX_HOST_LENGTH:
        return None
    labels = host.split(".")
    if all(ASCII_LABEL.fullmatch(label) and not label.startswith("xn--") for label in labels):
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def _path(path: str) -> str:
    path = quote(unquote(path), safe=PATH_SAFE)
    if path.endswith("/" + INDEX_FILE):
        path = path[: -len(INDEX_FILE)]
    path = path.rstrip("/")
    return path or "/"


def _query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if not _is_tracking(key)]
    return urlencode(sorted(kept))


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIX)

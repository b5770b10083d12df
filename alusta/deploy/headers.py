"""Content-Type and Cache-Control for static files, for hosts that store them per object.

Fingerprinted assets (`style.3f9a1c2b.css`) never change under their name, so browsers may
keep them for a year; pages and feeds change whenever a post or a mention arrives, so they
are kept briefly. Text types say `charset=utf-8` because Pelican writes UTF-8.
"""

from __future__ import annotations

import mimetypes
import re

FINGERPRINT_PATTERN = re.compile(r"\.[0-9a-f]{8,64}\.[A-Za-z0-9]+$")
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
PAGE_CACHE = "public, max-age=300, must-revalidate"
ASSET_CACHE = "public, max-age=86400"
DEFAULT_TYPE = "application/octet-stream"
TEXT_APPLICATION_TYPES = frozenset(
    {
        "application/javascript",
        "application/json",
        "application/xml",
        "application/atom+xml",
        "application/rss+xml",
        "application/manifest+json",
        "image/svg+xml",
    }
)
EXTRA_TYPES = {
    ".atom.xml": "application/atom+xml",
    ".rss.xml": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".webmanifest": "application/manifest+json",
    ".js": "application/javascript",
    ".mjs": "application/javascript",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
    ".md": "text/markdown",
}
PAGE_TYPES = frozenset(
    {"text/html", "application/xml", "application/atom+xml", "application/rss+xml"}
)


def media_type(key: str) -> str:
    """The bare media type of a file, from its name."""
    lower = key.lower()
    for suffix, kind in EXTRA_TYPES.items():
        if lower.endswith(suffix):
            return kind
    return mimetypes.guess_type(lower, strict=False)[0] or DEFAULT_TYPE


def content_type(key: str) -> str:
    """The Content-Type header, with charset=utf-8 for every text type."""
    kind = media_type(key)
    if kind.startswith("text/") or kind in TEXT_APPLICATION_TYPES:
        return f"{kind}; charset=utf-8"
    return kind


def cache_control(key: str) -> str:
    """Long and immutable for fingerprinted assets, short for pages and feeds."""
    if media_type(key) in PAGE_TYPES:
        return PAGE_CACHE
    if FINGERPRINT_PATTERN.search(key.rsplit("/", 1)[-1]):
        return IMMUTABLE_CACHE
    return ASSET_CACHE

"""What a built post links to: the links inside its content, not the theme's.

The theme marks a post's content with class `e-content` (microformats2 h-entry), so the
first element carrying it in the built page is exactly what the writer wrote: navigation,
taxonomy, translations and received responses all lie outside it. Its HTML is hashed to
tell an edited post from an unchanged one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup, SoupStrainer

from alusta.errors import AlustaError
from alusta.urls import is_http_url

CONTENT_CLASS = "e-content"
LINK_ELEMENTS = ("a", "area")


def _has_content_class(value: object) -> bool:
    return bool(value) and CONTENT_CLASS in str(value).split()


# Parse only the e-content elements (the build reads every post): the same tree, 2x faster.
ONLY_CONTENT = SoupStrainer(class_=_has_content_class)
CONTENT_TAG = re.compile(r"<[A-Za-z][^<>]*\bclass=[\"'][^\"']*\be-content\b")
RAW_TEXT = (("<!--", "-->"), ("<script", "</script"), ("<style", "</style"))


def _from_content(html: str) -> str:
    """The page from the first e-content start tag on, when cutting there is safe: that tag
    holds the first "e-content" of the page, outside comments, scripts and styles. Parsing
    with ONLY_CONTENT then builds the same element as the whole page would, in less time."""
    match = CONTENT_TAG.search(html)
    if match is None or not match.start() < html.find(CONTENT_CLASS) < match.end():
        return html
    head = html[: match.start()].lower()
    if any(head.rfind(opened) > head.rfind(closed) for opened, closed in RAW_TEXT):
        return html
    return html[match.start() :]


class PostUnreadable(AlustaError):
    """A built post cannot be read or has no e-content element."""


@dataclass(frozen=True)
class PostContent:
    """One published post as built: its URL, a hash of its content and its outbound links."""

    url: str
    content_hash: str
    links: tuple[str, ...]


def read_post(path: Path, url: str) -> PostContent:
    """Read the built page at `path`, published at `url`."""
    try:
        html = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PostUnreadable(f"{path}: cannot read the built post ({error.strerror})") from error
    return post_content(html, url, where=str(path))


def post_content(html: str, url: str, *, where: str = "") -> PostContent:
    """The content hash and links of a built page's first `e-content` element."""
    tree = BeautifulSoup(_from_content(html), "html.parser", parse_only=ONLY_CONTENT)
    content = tree.find(class_=CONTENT_CLASS)
    if content is None:
        raise PostUnreadable(f"{where or url}: no element with class {CONTENT_CLASS}")
    digest = hashlib.sha256(str(content).encode("utf-8")).hexdigest()
    hrefs = (element.get("href") for element in content.find_all(LINK_ELEMENTS, href=True))
    return PostContent(url, digest, outbound_links(hrefs, url))


def outbound_links(hrefs: Iterable[object], page_url: str) -> tuple[str, ...]:
    """Absolute http(s) links in first-seen order, without links to the page itself.

    A link keeps its fragment: a receiver checks that the source contains the target
    exactly (Webmention §3.2.2), so the target is sent as the post writes it.
    """
    own = urldefrag(page_url).url
    links: dict[str, None] = {}
    for href in hrefs:
        url = urljoin(page_url, str(href).strip())
        if is_http_url(url) and urldefrag(url).url != own:
            links.setdefault(url, None)
    return tuple(links)

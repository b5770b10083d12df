"""Reading a WordPress export (WXR 1.0–1.2) as a stream of plain records.

WXR is RSS 2.0 with the `wp:`, `content:`, `excerpt:` and `dc:` namespaces, written by
WordPress's `wp-admin/includes/export.php`: the channel carries the site's base URL, its
authors and terms, then one `<item>` per post, page, attachment or menu item, with that
item's comments inside it. The file is parsed with defusedxml (no DTDs, no entity
expansion) through `iterparse`, and every item is cleared once read, so memory stays flat
however long the export is.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from alusta.importing.errors import ImportFileError

WXR_VERSIONS = ("1.0", "1.1", "1.2")
WP_NAMESPACE = "http://wordpress.org/export/"
PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


@dataclass(frozen=True)
class Comment:
    """One `<wp:comment>`: a comment, pingback or trackback on an item."""

    id: int
    parent: int
    type: str  # "comment" (WordPress writes "" or "comment"), "pingback" or "trackback"
    approved: str  # "1", "0", "spam", "trash" or "post-trashed"
    author: str
    email: str
    url: str
    date: str  # blog time "YYYY-MM-DD HH:MM:SS"
    date_gmt: str
    content: str


@dataclass(frozen=True)
class Item:
    """One `<item>`: a post, page, attachment, menu item or anything else exported."""

    id: int
    type: str  # wp:post_type
    status: str  # wp:status: publish, draft, pending, future, private, inherit, trash
    title: str
    link: str
    slug: str  # wp:post_name, may be percent-encoded UTF-8
    date: str
    date_gmt: str
    modified: str
    modified_gmt: str
    creator: str  # the author's login
    content: str
    excerpt: str
    password: str
    parent: int
    attachment_url: str
    categories: tuple[tuple[str, str], ...] = ()  # (name, nicename)
    tags: tuple[tuple[str, str], ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    comments: tuple[Comment, ...] = ()


@dataclass
class Channel:
    """What the export says about the site before its items."""

    version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    link: str = ""
    authors: dict[str, str] = field(default_factory=dict)  # login -> display name


@functools.lru_cache(maxsize=256)
def _name(tag: str) -> str:
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id' for every WXR version."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if namespace.startswith(WP_NAMESPACE):
        prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
        return f"{prefix}:{local}"
    return f"{PREFIXES.get(namespace, namespace)}:{local}"


def _texts(element: Element) -> dict[str, str]:
    """{prefixed name: text} of the element's children (the first of each name)."""
    texts: dict[str, str] = {}
    for child in element:
        texts.setdefault(_name(child.tag), child.text or "")
    return texts


def _text(element: Element, name: str) -> str:
    return _texts(element).get(name, "")


def _int(texts: dict[str, str], name: str) -> int:
    value = texts.get(name, "").strip()
    return int(value) if value.isdigit() else 0


def _comment(element: Element) -> Comment:
    texts = _texts(element)
    return Comment(
        id=_int(texts, "wp:comment_id"),
        parent=_int(texts, "wp:comment_parent"),
        type=texts.get("wp:comment_type", "").strip() or "comment",
        approved=texts.get("wp:comment_approved", "").strip(),
        author=texts.get("wp:comment_author", "").strip(),
        email=texts.get("wp:comment_author_email", "").strip(),
        url=texts.get("wp:comment_author_url", "").strip(),
        date=texts.get("wp:comment_date", "").strip(),
        date_gmt=texts.get("wp:comment_date_gmt", "").strip(),
        content=texts.get("wp:comment_content", ""),
    )


def _item(element: Element, *, comments_too: bool) -> Item:
    categories, tags, meta, comments = [], [], {}, []
    for child in element:
        name = _name(child.tag)
        if name == "category":
            term = ((child.text or "").strip(), child.get("nicename", ""))
            domain = child.get("domain", "category")
            if domain == "category":
                categories.append(term)
            elif domain == "post_tag":
                tags.append(term)
        elif name == "wp:postmeta":
            meta[_text(child, "wp:meta_key")] = _text(child, "wp:meta_value")
        elif name == "wp:comment" and comments_too:
            comments.append(_comment(child))
    texts = _texts(element)
    return Item(
        id=_int(texts, "wp:post_id"),
        type=texts.get("wp:post_type", "").strip(),
        status=texts.get("wp:status", "").strip(),
        title=texts.get("title", "").strip(),
        link=texts.get("link", "").strip(),
        slug=texts.get("wp:post_name", "").strip(),
        date=texts.get("wp:post_date", "").strip(),
        date_gmt=texts.get("wp:post_date_gmt", "").strip(),
        modified=texts.get("wp:post_modified", "").strip(),
        modified_gmt=texts.get("wp:post_modified_gmt", "").strip(),
        creator=texts.get("dc:creator", "").strip(),
        content=texts.get("content:encoded", ""),
        excerpt=texts.get("excerpt:encoded", ""),
        password=texts.get("wp:post_password", ""),
        parent=_int(texts, "wp:post_parent"),
        attachment_url=texts.get("wp:attachment_url", "").strip(),
        categories=tuple(categories),
        tags=tuple(tags),
        meta=meta,
        comments=tuple(comments),
    )


class Export:
    """A WXR file read as a stream: `items()` yields each Item; `channel` fills as it goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.channel = Channel()

    def items(self, *, comments: bool = True) -> Iterator[Item]:
        """Every item in file order (without comments: faster, for planning); raises
        ImportFileError naming the file and line."""
        try:
            with self.path.open("rb") as file:
                yield from self._parse(file, comments)
        except ParseError as error:
            line, column = error.position
            raise ImportFileError(
                f"{self.path}:{line}: not well-formed XML (column {column}); "
                "export the site again from Tools → Export"
            ) from error
        except DefusedXmlException as error:
            raise ImportFileError(
                f"{self.path}: refused: the file declares a DTD or entities ({error})"
            ) from error
        except OSError as error:
            raise ImportFileError(f"{self.path}: cannot be read ({error.strerror})") from error

    def _parse(self, file: IO[bytes], comments: bool) -> Iterator[Item]:
        channel_element: Element | None = None
        depth = 0
        for event, element in iterparse(file, events=("start", "end"), forbid_dtd=True):
            name = _name(element.tag)
            if event == "start":
                depth += 1
                if depth == 1 and name != "rss":
                    raise self._not_wxr(f"it starts with <{name}>, not <rss>")
                if depth == 2 and name == "channel":
                    channel_element = element
                continue
            depth -= 1
            if name == "item" and depth == 2:
                self._require_version()
                yield _item(element, comments_too=comments)
                element.clear()
                if channel_element is not None:
                    channel_element.remove(element)
            elif depth == 2 and channel_element is not None:
                self._read_channel_field(name, element)
        self._require_version()

    def _read_channel_field(self, name: str, element: Element) -> None:
        channel = self.channel
        if name == "wp:wxr_version":
            channel.version = (element.text or "").strip()
        elif name == "wp:base_site_url":
            channel.base_site_url = (element.text or "").strip()
        elif name == "wp:base_blog_url":
            channel.base_blog_url = (element.text or "").strip()
        elif name == "link":
            channel.link = (element.text or "").strip()
        elif name == "wp:author":
            login = _text(element, "wp:author_login").strip()
            channel.authors[login] = _text(element, "wp:author_display_name").strip() or login

    def _require_version(self) -> None:
        version = self.channel.version
        if not version:
            raise self._not_wxr("it has no <wp:wxr_version>")
        if version not in WXR_VERSIONS:
            raise self._not_wxr(f"its WXR version {version!r} is not one of 1.0, 1.1, 1.2")

    def _not_wxr(self, why: str) -> ImportFileError:
        return ImportFileError(f"{self.path}: not a WordPress export: {why}")

    @property
    def old_site(self) -> str:
        """The blog's old address without a trailing slash."""
        channel = self.channel
        return (channel.base_blog_url or channel.link or channel.base_site_url).rstrip("/")

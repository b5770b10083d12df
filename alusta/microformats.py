"""Read the responding h-entry of a source page with mf2py (microformats2).

Which entry: the first h-entry (top-level or nested) whose in-reply-to, like-of,
repost-of or bookmark-of points at the target; else the first top-level h-entry; else the
first nested one. Its kind comes from that property (Webmention uses these to tell a
reply from a like), `mention` otherwise. Property values may be URL strings or nested
h-cite objects carrying a `url`.

mf2py parses with lxml (`html_parser="lxml"`), not its html5lib default: on a 1 MB reply
page lxml took 0.71 s against html5lib's 1.21 s, on 500 kB 0.34 s against 0.58 s, and
libxml2 stops nesting at 256 levels where html5lib builds 11,000 nested h-entries in 9 s
(lxml: 0.12 s; `python bench/mf2_parsers.py`, on a shared 2-core machine). It still builds
a full BeautifulSoup tree per parse, so only the first MF2_MAX_CHARS are read: 500 kB cost
lxml about what the former 250 kB cap cost html5lib, and bound the CPU one hostile source
can take, while responses sit near the top of real pages. A page whose entry starts later is still
verified by the link check, as a plain mention.

What the size cap cannot bound is depth: mf2py's work grows with how deep microformats
nest (each nested e-content is serialised again), so a page nesting them deeper than
MF2_MAX_DEPTH, or deep enough to exhaust mf2py's recursion, raises SourceTooComplex. The
caller reads pages in a child process with a CPU budget (alusta.reader_pool) for the rest.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from typing import Any

import lxml.html
import mf2py
from lxml import etree

from alusta.errors import SourceTooComplex
from alusta.i18n.tags import language_tag
from alusta.models import MF2_PROPERTIES, RESPONSE_KINDS, Author, MentionKind
from alusta.sanitize import sanitize_html
from alusta.source_links import matches
from alusta.urls import is_http_url

MF2_ROOT_CLASS = re.compile(r"""class\s*=\s*["']?[^"'>]*\bh-[a-z]""", re.IGNORECASE)
MF2_MAX_CHARS = 500_000
MF2_MAX_DEPTH = 40  # nested elements with microformats classes (mf2 and classic roots)
MF2_CLASS = re.compile(
    r"(?:^|\s)(?:(?:h|p|u|e|dt)-[a-z]|hentry|hcard|vcard|hcite|entry-content|entry-summary)",
    re.IGNORECASE,
)
TOO_COMPLEX = "source too complex to read"
MF2_HTML_PARSER = "lxml"
MAX_CONTENT_HTML_CHARS = 50_000
MAX_TEXT_CHARS = 10_000
MAX_FIELD_CHARS = 500
WHITESPACE = re.compile(r"\s+")

Item = dict[str, Any]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EntryFields:
    """What the h-entry says, ready for a SourceEntry."""

    kind: MentionKind = MentionKind.MENTION
    author: Author = field(default_factory=Author)
    published: str = ""
    name: str = ""
    content_html: str = ""
    content_text: str = ""
    in_reply_to: str = ""  # the first in-reply-to that is not the target: a reply's parent
    lang: str = ""  # the content's, else the entry's, else the page's `lang` (mf2py reads it)


def read_entry(html: str, *, url: str, target: str) -> EntryFields:
    """The responding entry of the page at `url` (its final URL), or empty fields.

    Raises SourceTooComplex when microformats nest deeper than MF2_MAX_DEPTH, or mf2py
    recurses too deep: such a page is not a reply, and reading it costs more than one
    source may.
    """
    if not MF2_ROOT_CLASS.search(html):
        return EntryFields()  # no microformats root: skip the expensive parse
    doc = html[:MF2_MAX_CHARS]
    if mf2_depth(doc) > MF2_MAX_DEPTH:
        raise SourceTooComplex(f"{TOO_COMPLEX}: microformats nest deeper than {MF2_MAX_DEPTH}")
    try:
        items = mf2py.parse(doc=doc, url=url, html_parser=MF2_HTML_PARSER).get("items", [])
        entries = _entries(items)
    except RecursionError as error:
        raise SourceTooComplex(TOO_COMPLEX) from error
    except Exception as error:  # a hostile page must not break verification once the link is found
        log.warning("microformats: could not parse %s: %s", url, type(error).__name__)
        return EntryFields()
    if not entries:
        return EntryFields(author=_author([], items))
    responding = (e for e in entries if _kind(e, target) is not MentionKind.MENTION)
    return _fields(next(responding, entries[0]), items, url=url, target=target)


def mf2_depth(html: str) -> int:
    """How deep elements with microformats classes nest in `html` (lxml: C speed, and
    libxml2 stops at 256 levels). mf2py's work grows with this depth times the page's
    size; real pages, threads included, stay near ten."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return 0
    depth = deepest = 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        classes = element.get("class") if isinstance(element.tag, str) else None
        if classes and MF2_CLASS.search(classes):
            depth += 1 if event == "start" else -1
            deepest = max(deepest, depth)
    return deepest


def _entries(items: list[Item]) -> list[Item]:
    """Every h-entry: top-level ones first, then nested ones, each in document order."""
    found = list(_walk(items, depth=0))
    return [e for depth, e in found if depth == 0] + [e for depth, e in found if depth > 0]


def _walk(items: list[Item], depth: int) -> Iterator[tuple[int, Item]]:
    for item in items:
        if "h-entry" in item.get("type", []):
            yield depth, item
        nested = list(item.get("children", []))
        for values in item.get("properties", {}).values():
            nested.extend(v for v in values if isinstance(v, dict) and "type" in v)
        yield from _walk(nested, depth + 1)


def _kind(entry: Item, target: str) -> MentionKind:
    properties = entry.get("properties", {})
    for kind in RESPONSE_KINDS:
        if any(matches(url, target) for url in _urls(properties.get(MF2_PROPERTIES[kind], []))):
            return kind
    return MentionKind.MENTION


def _urls(values: list[Any]) -> Iterator[str]:
    """URL strings of a property: plain strings, or an h-cite's url and value."""
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from (u for u in value.get("properties", {}).get("url", []) if isinstance(u, str))
            if isinstance(value.get("value"), str):
                yield value["value"]


def _fields(entry: Item, items: list[Item], *, url: str, target: str) -> EntryFields:
    properties = entry.get("properties", {})
    content_html, content_text = _content(properties, base_url=url)
    name = _first_text(properties.get("name", []))
    if _same_text(name, content_text):
        name = ""  # an implied name repeats the content
    return EntryFields(
        kind=_kind(entry, target),
        author=_author(properties.get("author", []), items),
        published=_first_text(properties.get("published", [])),
        name=name[:MAX_FIELD_CHARS],
        content_html=content_html,
        content_text=content_text,
        in_reply_to=_parent(properties.get("in-reply-to", []), target),
        lang=_language(entry),
    )


def _language(entry: Item) -> str:
    """The content's `lang` (mf2py notes it on e-* values), else the entry's own, which
    mf2py inherits from the page's `<html lang>`."""
    for value in entry.get("properties", {}).get("content", []):
        if isinstance(value, dict) and (tag := language_tag(value.get("lang"))):
            return tag
    return language_tag(entry.get("lang"))


def _parent(values: list[Any], target: str) -> str:
    """The first http(s) in-reply-to URL that is not our own target: the reply it answers.

    A reply to a comment names both the post and the comment (as Bridgy and most IndieWeb
    themes do); the post is the target, the other is where the thread nests it.
    """
    for url in _urls(values):
        if is_http_url(url) and not matches(url, target):
            return url[:MAX_FIELD_CHARS]
    return ""


def _content(properties: dict[str, list[Any]], *, base_url: str) -> tuple[str, str]:
    for value in properties.get("content", []):
        if isinstance(value, dict) and isinstance(value.get("html"), str):
            html = value["html"][:MAX_CONTENT_HTML_CHARS]
            text = _collapse(str(value.get("value", "")))
            return sanitize_html(html, base_url=base_url), text[:MAX_TEXT_CHARS]
        if isinstance(value, str) and value.strip():
            text = _collapse(value)[:MAX_TEXT_CHARS]
            return f"<p>{escape(text)}</p>", text
    summary = _first_text(properties.get("summary", []))[:MAX_TEXT_CHARS]
    return (f"<p>{escape(summary)}</p>", summary) if summary else ("", "")


def _author(values: list[Any], items: list[Item]) -> Author:
    """The entry's author; a bare URL or a missing author borrows a page h-card."""
    value = values[0] if values else None
    if isinstance(value, dict) and value.get("properties"):
        return _card_author(value)
    text = value if isinstance(value, str) else (value or {}).get("value", "")
    url = text.strip() if is_http_url(text.strip()) else ""
    card = _page_card(items, url)
    if card is not None:
        return _card_author(card)
    return Author(name="" if url else _collapse(text)[:MAX_FIELD_CHARS], url=url)


def _card_author(card: Item) -> Author:
    properties = card.get("properties", {})
    name = _first_text(properties.get("name", [])) or _collapse(str(card.get("value", "")))
    url = next((u for u in _urls(properties.get("url", [])) if is_http_url(u)), "")
    photo = next((p for p in _photos(properties.get("photo", [])) if is_http_url(p)), "")
    return Author(name=name[:MAX_FIELD_CHARS], url=url, photo=photo)


def _page_card(items: list[Item], url: str) -> Item | None:
    """A top-level h-card with the author's URL, or the page's only top-level h-card."""
    cards = [item for item in items if "h-card" in item.get("type", [])]
    if url:
        return next((c for c in cards if any(matches(u, url) for u in _card_urls(c))), None)
    return cards[0] if len(cards) == 1 else None


def _card_urls(card: Item) -> list[str]:
    return list(_urls(card.get("properties", {}).get("url", [])))


def _photos(values: list[Any]) -> Iterator[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict) and isinstance(value.get("value"), str):
            yield value["value"]


def _first_text(values: list[Any]) -> str:
    for value in values:
        text = value if isinstance(value, str) else (value or {}).get("value", "")
        if isinstance(text, str) and text.strip():
            return _collapse(text)
    return ""


def _same_text(name: str, content_text: str) -> bool:
    return bool(name) and _collapse(name) == _collapse(content_text)


def _collapse(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()

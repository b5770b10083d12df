"""Does a fetched source link to a target? (W3C Webmention Recommendation §3.2.2)

HTML: the target must be the value of a URL attribute (href, src, …) of an element. The
stdlib parser sees comments, <script>/<style> content and escaped markup (`&lt;a href…`)
as text, never as elements, so a URL there does not count; <textarea>, <title> and the
like are read as text too, as browsers do. JSON: the target must be a string value
somewhere in the document. Plain text: the target must appear in the body.

A URL matches the target when it is equal to it or `alusta.urls.same_url` says it is the
same page (http/https, trailing slash, index.html, tracking parameters do not matter).
Relative URLs are resolved against <base href> or the source's final URL first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

from alusta.urls import is_http_url, same_url

URL_ATTRIBUTES = frozenset({"href", "src", "cite", "data", "poster"})
TEXT_ELEMENTS = ("script", "style", "textarea", "title", "xmp", "noembed", "noframes")
HIDDEN_TEXT_ELEMENTS = frozenset({"script", "style", "textarea", "xmp", "noembed", "noframes"})
INLINE_ELEMENTS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
})  # fmt: skip
EXCERPT_CHARS = 200
TEXT_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LinkFound:
    """Where the target was found: the URL as written and an excerpt of text around it."""

    url: str
    excerpt: str


@dataclass
class HtmlPage:
    """What one pass of the HTML parser learned about a page."""

    title: str = ""
    gone: bool = False  # <meta http-equiv="Status" content="410 Gone">
    text: str = ""  # visible text, whitespace collapsed
    links: list[tuple[str, int]] = field(default_factory=list)  # (absolute URL, text offset)


def matches(url: str, target: str) -> bool:
    """True when `url` names the target page."""
    return url == target or same_url(url, target)


def scan_html(html: str, base_url: str) -> HtmlPage:
    """Title, 410 marker, visible text and every URL attribute of an HTML page."""
    scanner = _Scanner(base_url)
    scanner.feed(html)
    scanner.close()
    return scanner.page()


def find_in_html(page: HtmlPage, target: str) -> LinkFound | None:
    """The first link to `target` in `page`, with the text around it."""
    for url, offset in page.links:
        if matches(url, target):
            return LinkFound(url, excerpt_around(page.text, offset))
    return None


def find_in_json(text: str, target: str) -> LinkFound | None:
    """The target as any string value of a JSON document (not as a key)."""
    try:
        pending = [json.loads(text)]
    except (ValueError, RecursionError):
        return None
    while pending:
        value = pending.pop()
        if isinstance(value, str) and is_http_url(value.strip()) and matches(value.strip(), target):
            return LinkFound(value.strip(), "")
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return None


def find_in_text(text: str, target: str) -> LinkFound | None:
    """The target written out in plain text, as a whole URL (not the start of a longer one)."""
    text = WHITESPACE.sub(" ", text)
    for match in TEXT_URL.finditer(text):
        url = match.group().rstrip(TRAILING_PUNCTUATION)
        if matches(url, target):
            return LinkFound(url, excerpt_around(text, match.start()))
    return None


def excerpt_around(text: str, offset: int, size: int = EXCERPT_CHARS) -> str:
    """About `size` characters of `text` around `offset`, cut at word boundaries."""
    start = max(0, offset - size // 2)
    end = min(len(text), start + size)
    start = max(0, end - size)
    excerpt = text[start:end]
    if start > 0 and " " in excerpt:
        excerpt = "…" + excerpt.split(" ", 1)[1]
    if end < len(text) and " " in excerpt:
        excerpt = excerpt.rsplit(" ", 1)[0] + "…"
    return excerpt.strip()


class _Scanner(HTMLParser):
    """One pass over the page; see HtmlPage."""

    CDATA_CONTENT_ELEMENTS = TEXT_ELEMENTS  # their content is text, never elements

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.result = HtmlPage()
        self.chunks: list[str] = []
        self.length = 0
        self.in_text_element = ""
        self.base_fixed = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._separate(tag)
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and values.get("href") and not self.base_fixed:
            self.base_url = urljoin(self.base_url, values["href"].strip())
            self.base_fixed = True  # only the first <base href> counts, as in browsers
        if tag == "meta" and values.get("http-equiv", "").strip().lower() == "status":
            self.result.gone |= values.get("content", "").strip().startswith("410")
        for name, value in attrs if tag != "base" else ():
            if name in URL_ATTRIBUTES and value and value.strip():
                self.result.links.append((urljoin(self.base_url, value.strip()), self.length))
        if tag in TEXT_ELEMENTS:
            self.in_text_element = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_text_element = ""

    def handle_endtag(self, tag: str) -> None:
        self._separate(tag)
        if tag == self.in_text_element:
            self.in_text_element = ""

    def handle_data(self, data: str) -> None:
        if self.in_text_element == "title":
            self.result.title += unescape(data)
        elif self.in_text_element not in HIDDEN_TEXT_ELEMENTS:
            self._add_text(WHITESPACE.sub(" ", data))

    def _separate(self, tag: str) -> None:
        """Block elements separate words: `<p>a</p><p>b</p>` reads "a b"."""
        if tag not in INLINE_ELEMENTS:
            self._add_text(" ")

    def _add_text(self, chunk: str) -> None:
        if not chunk.strip() and (not self.chunks or self.chunks[-1].endswith(" ")):
            return
        if chunk.startswith(" ") and self.chunks and self.chunks[-1].endswith(" "):
            chunk = chunk[1:]
        self.chunks.append(chunk)
        self.length += len(chunk)

    def page(self) -> HtmlPage:
        self.result.text = "".join(self.chunks)
        self.result.title = WHITESPACE.sub(" ", self.result.title).strip()
        return self.result

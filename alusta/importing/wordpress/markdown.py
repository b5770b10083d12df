"""HTML to Markdown a writer can edit, with markdownify (docs/migrating.md says why).

Paragraphs, emphasis, links, lists, headings, quotes and plain images become Markdown.
What Markdown would lose stays HTML, as its own block: figures with captions, galleries,
tables, and embedded players. Links to the old blog are rewritten first (`rewrite`), and
the resized-copy attributes WordPress adds to images (srcset, sizes, classes) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import nh3
from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

KEPT_AS_HTML = ("figure", "table", "iframe", "video", "audio", "object")
DROPPED_IMAGE_ATTRIBUTES = ("srcset", "sizes", "class", "loading", "decoding")
LINK_ATTRIBUTES = (("a", "href"), ("img", "src"))
EXTRA_BLANK_LINES = re.compile(r"\n{3,}")
INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")
BLOCK_END = re.compile(r"<(?:br|/p|/li|/h[1-6]|/div|/blockquote|/figcaption|/td)\b[^>]*>", re.I)

Rewrite = Callable[[str], "str | None"]


class _Converter(MarkdownConverter):
    """markdownify, keeping elements Markdown has no form for as raw HTML blocks."""

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return _html_block(el)

    convert_table = convert_iframe = convert_video = convert_audio = convert_figure
    convert_object = convert_figure


def _html_block(element: Tag) -> str:
    return f"\n\n{element.decode(formatter='minimal')}\n\n"


def _rewrite_links(soup: BeautifulSoup, rewrite: Rewrite) -> None:
    for tag_name, attribute in LINK_ATTRIBUTES:
        for tag in soup.find_all(tag_name):
            value = tag.get(attribute)
            if isinstance(value, str) and (new := rewrite(value)) is not None:
                tag[attribute] = new
    for image in soup.find_all("img"):
        for attribute in DROPPED_IMAGE_ATTRIBUTES:
            image.attrs.pop(attribute, None)


def to_markdown(html: str, rewrite: Rewrite) -> str:
    """Markdown for `html`, its links to the old blog rewritten by `rewrite`."""
    soup = BeautifulSoup(html.replace("\xa0", " "), "html.parser")
    _rewrite_links(soup, rewrite)
    converter = _Converter(heading_style="ATX", bullets="-", escape_misc=False)
    text = converter.convert_soup(soup).replace("\xa0", " ")
    text = "\n".join(_tidy(line) for line in text.split("\n"))
    return EXTRA_BLANK_LINES.sub("\n\n", text).strip() + "\n"


def _tidy(line: str) -> str:
    """One space between words (&nbsp; next to a space), a hard break's two spaces kept."""
    hard_break = line.endswith("  ") and line.strip()
    line = INNER_SPACES.sub(" ", line).rstrip()
    return line + "  " if hard_break else line


def plain_text(html: str) -> str:
    """The words of `html` on one line (summaries, comment texts); nh3 drops the tags (and
    scripts with their content) much faster than a parse into a tree would."""
    html = BLOCK_END.sub(lambda m: m.group(0) + " ", html)
    text = unescape(nh3.clean(html, tags=set(), strip_comments=True))
    return " ".join(text.split())

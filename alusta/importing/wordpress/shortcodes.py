"""From WordPress's stored post text to plain HTML: blocks, shortcodes, embeds, <!--more-->.

What WordPress does when it shows a post (`the_content`: do_blocks, wpautop, do_shortcode),
reduced to what a static page needs: block comments go and their HTML stays, `[caption]`
becomes <figure>/<figcaption>, `[gallery]` a figure of linked images, `[embed]` and
oEmbed URLs alone on a line plain links (no third-party player is loaded).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from alusta.importing.wordpress.autop import wpautop

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[\s\S]*?-->")
MORE = re.compile(r"<!--more(?:\s[^>]*)?-->")
NEXTPAGE = re.compile(r"<!--nextpage-->")
CAPTION = re.compile(r"\[(caption|wp_caption)([^\]]*)\]([\s\S]*?)\[/\1\]")
CAPTION_MEDIA = re.compile(r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)([\s\S]*)$", re.I)
GALLERY = re.compile(r"\[gallery([^\]]*)\]")
EMBED = re.compile(r"\[embed[^\]]*\]\s*(\S+?)\s*\[/embed\]")
BARE_URL_LINE = re.compile(r"(?m)^(\s*)(https?://[^\s<>\"']+)\s*$")
ATTRIBUTE = re.compile(r"(\w+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+))")

GalleryImages = Callable[[list[int]], list[tuple[str, str]]]  # ids ([] = attached) -> (url, alt)


@dataclass(frozen=True)
class Prepared:
    """A post's HTML ready for Markdown, and the part before <!--more--> if it had one."""

    html: str
    teaser: str  # HTML before <!--more-->, "" without one


def attributes(text: str) -> dict[str, str]:
    """Shortcode attributes: `id="x" width=300` -> {"id": "x", "width": "300"}."""
    found = {}
    for match in ATTRIBUTE.finditer(text):
        found[match[1].lower()] = next(g for g in match.groups()[1:] if g is not None)
    return found


def _caption(match: re.Match[str]) -> str:
    options = attributes(match[2])
    media = CAPTION_MEDIA.match(match[3])
    if not media:
        return match[3]
    caption = options.get("caption") or media[2].strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{media[1].strip()}{figcaption}</figure>"


def _gallery(images: GalleryImages) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        ids = [int(i) for i in re.findall(r"\d+", attributes(match[1]).get("ids", ""))]
        found = images(ids)
        if not found:
            return ""
        links = "".join(
            f'<a href="{html.escape(u)}"><img src="{html.escape(u)}" alt="{html.escape(a)}"></a>'
            for u, a in found
        )
        return f'<figure class="gallery">{links}</figure>'

    return replace


def _link_line(match: re.Match[str]) -> str:
    url = html.escape(match[2])
    return f'{match[1]}<a href="{url}">{url}</a>'


def prepare(content: str, gallery_images: GalleryImages) -> Prepared:
    """The HTML WordPress showed for `content`, without blocks, shortcodes or players."""
    is_block_content = "<!-- wp:" in content
    text = BLOCK_COMMENT.sub("", content.replace("\r\n", "\n"))
    text = NEXTPAGE.sub("", text)
    text = EMBED.sub(lambda m: m[1], text)
    text = BARE_URL_LINE.sub(_link_line, text)
    text = CAPTION.sub(_caption, text)
    text = GALLERY.sub(_gallery(gallery_images), text)
    parts = MORE.split(text, maxsplit=1)
    teaser = parts[0] if len(parts) > 1 else ""
    text = "".join(parts)
    if not is_block_content:
        text, teaser = wpautop(text), wpautop(teaser)
    return Prepared(html=text, teaser=teaser)

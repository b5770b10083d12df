"""Small facts about a post that the theme's head and footer need: its image, its neighbours.

`first_image` gives Open Graph (og:image) the post's first picture as an absolute URL;
`link_neighbours` lets a post link the one written before and after it (Pelican does not);
`size_images` writes each local picture's width and height into its <img>, so the browser
keeps its place before it arrives and the text below does not jump (Lighthouse: CLS).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from defusedxml import ElementTree

from alusta.images import IMG_TAG
from alusta.urls import is_http_url

IMG_SRC = re.compile(
    r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))""", re.IGNORECASE
)
SIZE_ATTRIBUTE = re.compile(r"\s(width|height)\s*=", re.IGNORECASE)
SVG_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")
OLDER, NEWER = "alusta_older", "alusta_newer"


def first_image(html: str | None, base_url: str) -> str:
    """The absolute http(s) URL of the first <img> in `html`, or "" when there is none."""
    match = IMG_SRC.search(html or "")
    if not match:
        return ""
    url = urljoin(base_url, next(g for g in match.groups() if g))
    return url if is_http_url(url) else ""


def link_neighbours(articles: Sequence[Any]) -> None:
    """Give each article `alusta_older` and `alusta_newer` (or None), by date."""
    ordered = sorted(articles, key=lambda a: (a.date, a.url))
    for index, article in enumerate(ordered):
        setattr(article, OLDER, ordered[index - 1] if index > 0 else None)
        setattr(article, NEWER, ordered[index + 1] if index + 1 < len(ordered) else None)


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels of a picture file, None when it cannot be told."""
    try:
        if path.suffix.lower() == ".svg":
            return _svg_size(path)
        from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - only the build reads images

        with Image.open(path) as image:  # reads the header only
            return image.size
    except (OSError, ValueError, ElementTree.ParseError, UnidentifiedImageError):
        return None


def _svg_size(path: Path) -> tuple[int, int] | None:
    root = ElementTree.parse(path).getroot()
    width, height = (SVG_LENGTH.match(root.get(name, "")) for name in ("width", "height"))
    if width and height:
        return round(float(width[1])), round(float(height[1]))
    box = root.get("viewBox", "").replace(",", " ").split()
    return (round(float(box[2])), round(float(box[3]))) if len(box) == 4 else None


STATIC_LINK = re.compile(r"^[{|](static|attach)[}|]")


def local_file_finder(
    siteurl_prefix: str, content_dir: Path, source_folder: Path
) -> Callable[[str], Path | None]:
    """Maps an <img> src in a source (`{static}/images/x.png`, `{static}x.png` beside the
    source, or an address under the site) to the file inside `content_dir`, else None."""

    def local_file(src: str) -> Path | None:
        link = STATIC_LINK.match(src)
        if link:
            rest = src[link.end() :]
            path = content_dir / rest.lstrip("/") if rest.startswith("/") else source_folder / rest
        elif src.startswith(siteurl_prefix):
            path = content_dir / src.removeprefix(siteurl_prefix)
        else:
            return None
        path = path.resolve()
        return path if path.is_relative_to(content_dir) and path.is_file() else None

    return local_file


def size_images(html: str, local_file: Callable[[str], Path | None]) -> str:
    """`html` with width and height added to every <img> that has neither and whose src
    `local_file` maps to a picture of the site."""

    def sized(match: re.Match[str]) -> str:
        tag = match.group(0)
        source = IMG_SRC.match(tag)
        if SIZE_ATTRIBUTE.search(tag) or not source:
            return tag
        path = local_file(unquote(next(g for g in source.groups() if g)))
        size = image_size(path) if path is not None else None
        if size is None:
            return tag
        body, end = (tag[:-2].rstrip(), " />") if tag.endswith("/>") else (tag[:-1], ">")
        return f'{body} width="{size[0]}" height="{size[1]}"{end}'

    return IMG_TAG.sub(sized, html)

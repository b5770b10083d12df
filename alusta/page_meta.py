"""Small facts about a post that the theme's head and footer need: its image, its neighbours.

`first_image` gives Open Graph (og:image) the post's first picture as an absolute URL;
`link_neighbours` lets a post link the one written before and after it (Pelican does not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin

from alusta.urls import is_http_url

IMG_SRC = re.compile(
    r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))""", re.IGNORECASE
)
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

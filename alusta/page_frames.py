"""The frame of a site's pages, kept by the build so the endpoint's pages wear the theme.

A person who sends the reply form, asks for a reply's status or is refused gets a page
from the endpoint, not from Pelican. So that page has the target site's header, colours,
fonts, footer and language, the build renders the theme's `frame.html` (base.html with
two markers) once per site and language into var/frames/<site>/<lang>.html; the endpoint
fills the markers with an escaped title and body. Before the first build there is no
frame and the endpoint falls back to a plain page.
"""

from __future__ import annotations

from pathlib import Path

FRAMES_FOLDER = "frames"
TITLE_MARK = "<!--alusta:title-->"
CONTENT_MARK = "<!--alusta:content-->"


class FrameBroken(ValueError):
    """A frame file does not hold both markers exactly once (a theme edit went wrong)."""


def frame_path(var_dir: Path, site: str, lang: str) -> Path:
    return var_dir / FRAMES_FOLDER / site / f"{lang}.html"


def write_frame(var_dir: Path, site: str, lang: str, html: str) -> Path:
    """Keep one rendered frame; refuse one without its markers, so a broken theme shows
    at build time rather than as an empty page to a visitor."""
    for mark in (TITLE_MARK, CONTENT_MARK):
        if html.count(mark) != 1:
            raise FrameBroken(f"frame of {site} ({lang}) has {html.count(mark)} × {mark}")
    path = frame_path(var_dir, site, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(path)
    return path


def load_frame(var_dir: Path, site: str, lang: str) -> str | None:
    """The frame of `site` in `lang`, or None when the site has not been built yet."""
    try:
        html = frame_path(var_dir, site, lang).read_text(encoding="utf-8")
    except OSError:
        return None
    return html if TITLE_MARK in html and CONTENT_MARK in html else None


def fill(frame: str, *, title: str, body: str) -> str:
    """The frame with `title` (plain text, escaped by the caller) and `body` (HTML the
    caller escaped) in place of the markers."""
    return frame.replace(TITLE_MARK, title, 1).replace(CONTENT_MARK, body, 1)

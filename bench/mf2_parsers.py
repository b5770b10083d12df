"""mf2py's HTML parsers on one page: html5lib (mf2py's default) against lxml (what we pass).

    python bench/mf2_parsers.py [--kilobytes 1000] [--repeat 3]

The page is a reply page as sources send them: an h-entry replying to a post, followed by
a long thread of h-cite comments with authors, dates and paragraphs, padded to
`--kilobytes`. Both parsers must find the same entry (checked), then the median parse
time of each and the ratio are printed, for the whole page and for alusta.microformats'
parse cap (MF2_MAX_CHARS), which is chosen from these figures.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import click
import mf2py

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alusta.microformats import MF2_MAX_CHARS

TARGET = "https://alusta.example/2026/09/alusta-hanke-kaynnistyy-lapissa/"
ENTRY = (
    '<article class="h-entry"><a class="u-in-reply-to" href="{target}">re</a>'
    '<p class="p-author h-card"><a class="u-url p-name" href="https://a.example/">Aino</a></p>'
    '<div class="e-content"><p>Hyvä kirjoitus, kiitos!</p></div></article>'
)
COMMENT = (
    '<li class="p-comment h-cite"><p class="p-author h-card">'
    '<img class="u-photo" src="/a/{n}.png" alt=""><a class="p-name u-url" '
    'href="https://c{n}.example/">Kommentoija {n}</a></p>'
    '<time class="dt-published" datetime="2026-11-{day:02d}T12:00:00+02:00">{day}.11.</time>'
    '<div class="p-content"><p>Kommentti numero {n}: <em>kylätalo</em> ja '
    '<a href="https://example.org/{n}">linkki</a>.</p></div></li>\n'
)


def page(kilobytes: int) -> str:
    """A reply page of about `kilobytes` kB."""
    head = f"<!doctype html><html><body>{ENTRY.format(target=TARGET)}<ol>"
    parts, size, n = [head], len(head), 0
    while size < kilobytes * 1000:
        comment = COMMENT.format(n=n, day=1 + n % 28)
        parts.append(comment)
        size, n = size + len(comment), n + 1
    parts.append("</ol></body></html>")
    return "".join(parts)


def median_seconds(html: str, parser: str, repeat: int) -> tuple[float, dict]:
    times, parsed = [], {}
    for _ in range(repeat):
        started = time.perf_counter()
        parsed = mf2py.parse(doc=html, url="https://a.example/reply", html_parser=parser)
        times.append(time.perf_counter() - started)
    return statistics.median(times), parsed


@click.command()
@click.option("--kilobytes", default=1000, show_default=True)
@click.option("--repeat", default=3, show_default=True)
def main(kilobytes: int, repeat: int) -> None:
    html = page(kilobytes)
    for label, doc in (
        (f"{len(html) / 1e6:.2f} MB page", html),
        ("parse cap", html[:MF2_MAX_CHARS]),
    ):
        slow, by_html5lib = median_seconds(doc, "html5lib", repeat)
        fast, by_lxml = median_seconds(doc, "lxml", repeat)
        first = [item["type"] for item in by_html5lib["items"]][:1]
        assert first == [item["type"] for item in by_lxml["items"]][:1] == [["h-entry"]], first
        click.echo(
            f"{label} ({len(doc):,} chars): html5lib {slow:.2f} s, lxml {fast:.2f} s, "
            f"{slow / fast:.1f}× faster"
        )


if __name__ == "__main__":
    main()

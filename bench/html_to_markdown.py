"""Which HTML→Markdown library the WordPress import uses: markdownify, html2text or pandoc.

    .venv/bin/pip install html2text pypandoc && apt-get install pandoc   # the two we did not pick
    .venv/bin/python bench/html_to_markdown.py [EXPORT.xml ...]

Each published post of the exports (default: the test fixtures, classic and block editor)
is made into the HTML WordPress showed (alusta.importing.wordpress.shortcodes), converted
by each library, and the Markdown is rendered back with Python-Markdown as Pelican does.
Counted per library: posts whose words survive the round trip, figures/figcaptions, line
breaks, images with their alt text and links kept, raw HTML left in the Markdown, and the
time per post. docs/migrating.md reports the figures and the choice.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alusta.importing.wordpress.markdown import to_markdown
from alusta.importing.wordpress.plan import left_out_reason
from alusta.importing.wordpress.shortcodes import prepare
from alusta.importing.wordpress.wxr import Export

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "data" / "wordpress"
ROUNDS = 20
# Markup WordPress posts also carry, beyond what the fixtures show.
SAMPLES = (
    "<table><thead><tr><th>Kunta</th><th>Vastaajia</th></tr></thead>"
    "<tbody><tr><td>Kolari</td><td>31</td></tr></tbody></table>",
    "<blockquote><p>Pimeä aika on pitkä.</p><cite>Kyläläinen</cite></blockquote>",
    "<pre><code>python publish.py check\n  --site rajalla</code></pre>",
    "<ul><li>Yksi<ul><li>Alakohta</li></ul></li><li>Kaksi</li></ul>",
    '<p><span style="color:#c00">Punainen</span> ja <a href="https://a.example/?x=1&amp;y=2">'
    "linkki</a>, *tähdet* ja _alaviivat_</p>",
    "<h3>Otsikko</h3><p>Teksti<br>\nrivinvaihdolla.</p><hr><p>Loppu</p>",
)


def _markdownify(html: str) -> str:
    return to_markdown(html, lambda _url: None)


def _html2text(html: str) -> str:
    import html2text  # noqa: PLC0415 - optional, only for this comparison

    converter = html2text.HTML2Text()
    converter.body_width = 0  # no hard wrapping
    return converter.handle(html)


def _pandoc(html: str) -> str:
    import pypandoc  # noqa: PLC0415 - optional, only for this comparison

    return pypandoc.convert_text(html, "markdown_strict+pipe_tables", format="html")


LIBRARIES: dict[str, Callable[[str], str]] = {
    "markdownify": _markdownify,
    "html2text": _html2text,
    "pandoc": _pandoc,
}


def _facts(html: str) -> dict[str, object]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        "words": " ".join(soup.get_text(" ").split()),
        "figcaption": len(soup.find_all("figcaption")),
        "br": len(soup.find_all("br")),
        "img_alt": sorted(i.get("alt", "") for i in soup.find_all("img")),
        "links": sorted(a.get("href", "") for a in soup.find_all("a")),
    }


def _posts(exports: list[Path]) -> list[str]:
    posts = []
    for path in exports:
        for item in Export(path).items():
            if left_out_reason(item) is None:
                posts.append(prepare(item.content, lambda _ids: []).html)
    return posts + list(SAMPLES)


def _score(name: str, convert: Callable[[str], str], posts: list[str]) -> dict[str, object]:
    result: dict[str, object] = {"library": name}
    kept = dict.fromkeys(("words", "figcaption", "br", "img_alt", "links"), 0)
    started = time.perf_counter()
    for _ in range(ROUNDS):
        converted = [convert(html) for html in posts]
    result["ms_per_post"] = 1000 * (time.perf_counter() - started) / (ROUNDS * len(posts))
    for html, text in zip(posts, converted, strict=True):
        before, after = _facts(html), _facts(markdown.markdown(text, extensions=["extra"]))
        for key in kept:
            kept[key] += before[key] == after[key]
    result.update({key: f"{count}/{len(posts)}" for key, count in kept.items()})
    return result


def main(arguments: list[str]) -> None:
    exports = [Path(a) for a in arguments] or [FIXTURES / "classic.xml", FIXTURES / "block.xml"]
    posts = _posts(exports)
    columns = ("library", "words", "figcaption", "br", "img_alt", "links", "ms_per_post")
    print(" | ".join(columns))
    for name, convert in LIBRARIES.items():
        try:
            row = _score(name, convert, posts)
        except (ImportError, OSError, RuntimeError) as error:
            print(f"{name} | not available: {error}")
            continue
        row["ms_per_post"] = f"{row['ms_per_post']:.2f}"
        print(" | ".join(str(row[c]) for c in columns))


if __name__ == "__main__":
    main(sys.argv[1:])

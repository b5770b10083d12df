"""WordPress import benchmark: a generated export of 5,000 posts and 50,000 comments.

    python bench/import.py [--posts 5000] [--comments-per-post 10]

Writes a WXR 1.2 file in the shape WordPress exports (classic-editor text with captions,
internal links in several forms, threaded comments, pending ones, spam, pingbacks) and an
uploads folder, then runs `publish.py import wordpress` on a fresh copy of the project in
a child process, and, as the baseline in the same run, a bare streamed parse of the same
file (defusedxml iterparse, clearing each item). Prints seconds and peak RSS of each and
their ratios; the targets are under 60 s and under 300 MB for the import.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import REPO, WORDS

TARGET_SECONDS = 60.0
TARGET_RSS_MB = 300.0
IMAGES = 20
OLD = "https://old.example"
HEADER = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><link>{OLD}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{OLD}</wp:base_site_url><wp:base_blog_url>{OLD}</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[kirjoittaja]]></wp:author_login>
<wp:author_display_name><![CDATA[Kirjoittaja Kolmonen]]></wp:author_display_name></wp:author>
"""
BASELINE = """
import sys
from defusedxml.ElementTree import iterparse
items = 0
for event, element in iterparse(sys.argv[1], events=("end",), forbid_dtd=True):
    if element.tag == "item":
        items += 1
        element.clear()
print(items)
"""


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(6, 14))).capitalize() + "."


def _content(rng: random.Random, number: int) -> str:
    paragraphs = ["\n".join(_sentence(rng) for _ in range(3)) for _ in range(4)]
    image = f"{OLD}/wp-content/uploads/2020/01/kuva-{number % IMAGES}"
    paragraphs.insert(
        1,
        f'[caption id="attachment_{number}" width="300"]<img src="{image}-300x200.jpg" '
        f'alt="Kuva {number}" width="300" height="200" /> Kuvateksti {number}[/caption]',
    )
    if number:
        previous = rng.randrange(number)
        paragraphs.append(
            f'Katso <a href="{OLD}/?p={previous + 1}">aiempi</a> ja '
            f'<a href="/{2015 + previous // 1000}/01/kirjoitus-{previous}/">toinen</a>.'
        )
    return "\n\n".join(paragraphs)


def _comment(rng: random.Random, post: int, number: int, per_post: int) -> str:
    comment_id = post * per_post + number + 1
    parent = comment_id - 1 if number % 3 == 2 else 0
    kind, approved = "comment", "1"
    if number == per_post - 1:
        kind = "pingback"
    elif number == per_post - 2:
        approved = "spam"
    elif number == per_post - 3:
        approved = "0"
    url = f"https://muu{number}.example/{post}/" if kind == "pingback" else ""
    return (
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[Kommentoija {number}]]></wp:comment_author>"
        f"<wp:comment_author_email>k{number}@example.org</wp:comment_author_email>"
        f"<wp:comment_author_url>{url}</wp:comment_author_url>"
        f"<wp:comment_author_IP>192.0.2.{number}</wp:comment_author_IP>"
        f"<wp:comment_date>2020-01-02 10:00:00</wp:comment_date>"
        f"<wp:comment_date_gmt>2020-01-02 08:{number:02d}:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{_sentence(rng)}\n{_sentence(rng)}]]></wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved>"
        f"<wp:comment_type>{kind}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
    )


def _item(rng: random.Random, number: int, per_post: int, out: IO[str]) -> None:
    year = 2015 + number // 1000
    slug = f"kirjoitus-{number}"
    out.write(
        f"<item><title>Kirjoitus {number}</title><link>{OLD}/{year}/01/{slug}/</link>"
        f"<dc:creator><![CDATA[kirjoittaja]]></dc:creator>"
        f"<content:encoded><![CDATA[{_content(rng, number)}]]></content:encoded>"
        f"<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{number + 1}</wp:post_id>"
        f"<wp:post_date>{year}-01-15 12:00:00</wp:post_date>"
        f"<wp:post_date_gmt>{year}-01-15 10:00:00</wp:post_date_gmt>"
        f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
        f'<category domain="category" nicename="aihe-{number % 8}"><![CDATA[Aihe {number % 8}]]>'
        f"</category>\n"
    )
    for comment in range(per_post):
        out.write(_comment(rng, number, comment, per_post))
    out.write("</item>\n")


def write_export(path: Path, uploads: Path, posts: int, per_post: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for number in range(posts):
            _item(rng, number, per_post, out)
        out.write("</channel></rss>\n")
    folder = uploads / "2020" / "01"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(IMAGES):
        (folder / f"kuva-{number}.jpg").write_bytes(b"\xff\xd8\xff\xd9")


def make_project(root: Path) -> Path:
    import shutil  # noqa: PLC0415

    for part in ("theme", "plugins", "pilots", "content"):
        shutil.copytree(REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "pelicanconf.py", root / "pelicanconf.py")
    return root


def measure(command: list[str], log: Path) -> tuple[float, float, str]:
    """Seconds and peak RSS (MB) of one child process, and its last output line."""
    started = time.perf_counter()
    with log.open("wb") as output:  # a file, not a pipe: a full pipe would stop the child
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[1:4]} failed:\n{text[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, text.strip().splitlines()[-1]


@click.command()
@click.option("--posts", default=5000, show_default=True)
@click.option("--comments-per-post", default=10, show_default=True)
def main(posts: int, comments_per_post: int) -> None:
    with tempfile.TemporaryDirectory(prefix="alusta-import-bench-") as folder:
        base = Path(folder)
        export, uploads = base / "export.xml", base / "uploads"
        write_export(export, uploads, posts, comments_per_post)
        megabytes = export.stat().st_size / 1_000_000
        print(f"export: {posts} posts, {posts * comments_per_post} comments, {megabytes:.0f} MB")
        root = make_project(base / "project")
        python = sys.executable
        command = [python, str(REPO / "publish.py"), "--root", str(root), "import", "wordpress"]
        seconds, rss, summary = measure(
            [*command, str(export), "--uploads", str(uploads)], base / "import.log"
        )
        base_seconds, base_rss, items = measure(
            [python, "-c", BASELINE, str(export)], base / "baseline.log"
        )
    print(f"import:   {seconds:6.1f} s  peak RSS {rss:6.0f} MB   ({summary})")
    print(f"baseline: {base_seconds:6.1f} s  peak RSS {base_rss:6.0f} MB   (parse, {items} items)")
    time_ratio, memory_ratio = seconds / base_seconds, rss / base_rss
    print(f"ratio import/baseline: time {time_ratio:.1f}x, memory {memory_ratio:.1f}x")
    ok = seconds < TARGET_SECONDS and rss < TARGET_RSS_MB
    verdict = "meets" if ok else "MISSES"
    print(f"{verdict} the targets (< {TARGET_SECONDS:.0f} s, < {TARGET_RSS_MB:.0f} MB)")


if __name__ == "__main__":
    main()

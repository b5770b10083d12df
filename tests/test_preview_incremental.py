"""The preview's incremental rebuilds equal a full build, file by file, after every kind of edit.

Real Pelican in the preview's own long-lived processes (alusta.preview.worker) against
`build_sites` run from scratch into another folder with the same settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from alusta.build import build_sites
from alusta.build_record import load_record
from alusta.db import connect
from alusta.preview.changes import classify
from alusta.preview.events import PreviewEvents
from alusta.preview.watch import Preview
from alusta.published import published_posts
from alusta.settings import Settings, load_settings
from tests.responses_fixtures import store_mention

BASE = "http://127.0.0.1:8765"
NEW_POST = "content/posts/2026-11-28-uusi.md"
POST = "content/posts/2026-11-10-kylatalon-tyopaja.md"
POST_PAGE = "2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella/"
OTHER_POST = "content/posts/2026-09-15-mita-on-yhteiskehittaminen.md"
RESPONSES_TEMPLATE = "theme/templates/partials/responses.html"
PILOT_POST = "pilots/rajalla/content/posts/2026-10-14-kirjastobussi-kokeilu.md"


# A feedback results page says when it was rendered: the one difference two builds made at
# different minutes may have.
RENDER_TIME = re.compile(rb'<p class="feedback-updated">.*?</p>', re.DOTALL)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): RENDER_TIME.sub(b"", p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


def full_build(settings: Settings, folder: Path) -> dict[str, bytes]:
    """A fresh full build of the same content, settings and responses, into `folder`."""
    fresh = replace(
        settings,
        output_dir=folder / "output",
        var_dir=folder / "var",
        database_path=folder / "alusta.sqlite3",
    )
    folder.mkdir(parents=True, exist_ok=True)
    if settings.database_path.exists():  # the same responses, not the same published posts
        source, copy = connect(settings.database_path), connect(fresh.database_path)
        source.backup(copy)
        copy.execute("DELETE FROM published_posts")
        copy.commit()
        source.close()
        copy.close()
    build_sites(fresh)
    return tree(fresh.output_dir)


@pytest.fixture
def preview(project: Path) -> Iterator[Preview]:
    def load() -> Settings:
        return load_settings(project, environ={}, development=True).for_preview(BASE)

    running = Preview(load, PreviewEvents(), echo=lambda _line: None)
    assert running.start()
    yield running
    running.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def saved(preview: Preview, *paths: Path) -> None:
    assert classify(preview.settings, list(paths)).sites
    assert preview.on_change(list(paths))


def record_facts(var_dir: Path) -> dict[str, set[tuple]]:
    """What a build record says of each site's pages (the hash of a page that shows when it
    was rendered aside)."""
    return {
        name: {(p.path, p.kind, p.lang, p.source, p.responses, p.entry_hash) for p in site.pages}
        for name, site in load_record(var_dir).sites.items()
    }


def assert_same_as_full_build(preview: Preview, folder: Path) -> None:
    incremental, full = tree(preview.settings.output_dir), full_build(preview.settings, folder)
    assert sorted(set(incremental) ^ set(full)) == []
    assert [name for name in full if incremental[name] != full[name]] == []
    assert record_facts(preview.settings.var_dir) == record_facts(folder / "var")


def test_every_kind_of_edit_leaves_the_same_files_as_a_full_build(
    preview: Preview, tmp_path: Path
) -> None:
    root = preview.settings.root
    new_post = root / NEW_POST
    new_post.write_text(
        "Title: Uusi kirjoitus\nDate: 2026-11-28 09:00\nCategory: Living Lab\nTags: uusi\n\n"
        "Ensimmäinen versio.\n",
        encoding="utf-8",
    )
    steps = [
        ("new post", lambda: None, new_post),
        ("edited text", lambda: edit(new_post, "Ensimmäinen versio.", "Toinen versio."), new_post),
        ("changed title", lambda: edit(new_post, "Uusi kirjoitus", "Vaihdettu otsikko"), new_post),
        (
            "changed category",
            lambda: edit(root / POST, "Category: Yhteiskehittäminen", "Category: Talvi"),
            root / POST,
        ),
        ("deleted post", new_post.unlink, new_post),
        (
            "theme template",
            lambda: edit(
                root / "theme/templates/article.html",
                '<div class="e-content entry-content">',
                '<div class="e-content entry-content" data-edited="yes">',
            ),
            root / "theme/templates/article.html",
        ),
        (
            "responses template (its fragments are kept between runs)",
            lambda: edit(root / RESPONSES_TEMPLATE, "<section", '<section data-edited="yes"'),
            root / RESPONSES_TEMPLATE,
        ),
    ]
    for number, (what, change, path) in enumerate(steps):
        change()
        saved(preview, path)
        assert_same_as_full_build(preview, tmp_path / f"full-{number}"), what


def test_an_edit_rewrites_only_the_files_whose_bytes_changed(preview: Preview) -> None:
    root = preview.settings.root
    before = {
        n: (preview.settings.output_dir / n).stat().st_mtime_ns
        for n in tree(preview.settings.output_dir)
    }
    edit(root / POST, "Kolmekymmentä kyläläistä kokoontui", "Neljäkymmentä kyläläistä kokoontui")
    saved(preview, root / POST)
    after = {n: (preview.settings.output_dir / n).stat().st_mtime_ns for n in before}
    # Pages and feeds; static files (theme CSS/JS, images) are copied as Pelican copies them
    # and the sitemaps are written by their plugin after every run (same bytes, new time).
    rewritten = sorted(
        n
        for n in before
        if after[n] != before[n] and n.endswith((".html", ".xml")) and not n.startswith("sitemap")
    )
    assert (
        "2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella/index.html" in rewritten
    )
    output = preview.settings.output_dir
    # Only the post and the feeds carrying its text; the rest keep their bytes and times.
    assert [n for n in rewritten if "Neljäkymmentä".encode() not in (output / n).read_bytes()] == []
    assert len(before) - len(rewritten) > 50


def test_a_reply_that_arrived_shows_after_the_next_save_as_in_a_full_build(
    preview: Preview, tmp_path: Path
) -> None:
    """The responses fragment is kept on the post between runs: a new reply must renew it."""
    settings, root = preview.settings, preview.settings.root
    store_mention(
        settings,
        source="https://aino.example/vastaus",
        target=f"{settings.main.siteurl}/{POST_PAGE}",
        content="<p>Hyvä työpaja!</p>",
    )
    edit(root / OTHER_POST, "\n\n", "\n\nLisätty kappale.\n\n")
    saved(preview, root / OTHER_POST)
    page = (settings.output_dir / POST_PAGE / "index.html").read_text(encoding="utf-8")
    assert "Hyvä työpaja!" in page
    assert_same_as_full_build(preview, tmp_path / "full")


def test_serve_never_writes_the_published_posts_of_production(preview: Preview) -> None:
    """published_posts is what `send` and the 410 pages of production builds work from."""
    root = preview.settings.root
    (root / NEW_POST).write_text(
        "Title: Uusi\nDate: 2026-11-28 09:00\nCategory: Talvi\n\nTeksti.\n", encoding="utf-8"
    )
    saved(preview, root / NEW_POST)
    assert "content/posts/2026-11-28-uusi.md" in {
        page.source for page in load_record(preview.settings.var_dir).sites["main"].pages
    }
    connection = connect(preview.settings.database_path)
    try:
        assert [published_posts(connection, s.name) for s in preview.settings.sites] == [[]] * 3
    finally:
        connection.close()


def test_a_link_to_another_sites_post_follows_that_post_when_it_moves(
    preview: Preview, tmp_path: Path
) -> None:
    root = preview.settings.root
    pilot_post = root / PILOT_POST
    edit(pilot_post, "\n\n", f"\n\nKatso [työpaja]({{site:main}}/posts/{Path(POST).name}).\n\n")
    saved(preview, pilot_post)
    edit(root / POST, "Title: ", "Title: Uudelleen nimetty ")
    saved(preview, root / POST)
    page = next(
        (preview.settings.output_dir / "pilots/rajalla").rglob("*kirjastobussi*/index.html")
    )
    assert "/uudelleen-nimetty-" in page.read_text(encoding="utf-8")
    assert_same_as_full_build(preview, tmp_path / "full")

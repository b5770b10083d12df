"""`publish.py build` with its build cache leaves exactly what a full build leaves.

Real `publish.py build` subprocesses on a copy of the project: after every kind of edit the
incremental build's output is compared, file by file, with a `build --full` of a copy of
the same project (content, settings, database and all).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.project import (
    REPO,
    THEME_REPLIES,
    THEME_REPLIES_PATH,
    copy_project,
    project_settings,
    seed_thread,
)
from tests.test_preview_incremental import POST, edit, tree

NEW_POST = "content/posts/2026-11-28-uusi.md"
LINKING_POST = "content/posts/2026-11-28-viittaus.md"
DRAFT = "content/posts/2026-11-29-luonnos.md"
OLDEST_POST = "content/posts/2026-09-01-alusta-hanke-kaynnistyy.md"
NEWEST_POST = "content/posts/2026-11-20-alusta-in-english.md"
DRAFT_TEXT = "Salainen luonnosteksti"
CACHE = "var/build-cache/main/state.pickle"
PAGE = "tietoa-hankkeesta/index.html"
BUILD_SECONDS = 600


def run_build(
    root: Path, *options: str, command: str = "build"
) -> subprocess.CompletedProcess[str]:
    """Run `publish.py build` (or `command`) in a process of its own, whatever it answers."""
    return subprocess.run(
        [sys.executable, str(REPO / "publish.py"), "--root", str(root), command, *options],
        capture_output=True,
        text=True,
        timeout=BUILD_SECONDS,
        check=False,
    )


def publish_build(root: Path, *options: str) -> str:
    """Run `publish.py build`; its output (stdout and stderr), which must say it succeeded."""
    done = run_build(root, *options)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def full_build_of_copy(root: Path, folder: Path) -> dict[str, bytes]:
    """The output of `build --full` in a copy of the whole project (its var/ included)."""
    copy = folder / "project"
    # Replaced outputs are being deleted in var/build-cache/trash meanwhile.
    shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns("trash"))
    shutil.rmtree(copy / "output")
    publish_build(copy, "--full")
    return tree(copy / "output")


def assert_same_as_full_build(root: Path, folder: Path) -> None:
    incremental, full = tree(root / "output"), full_build_of_copy(root, folder)
    assert sorted(set(incremental) ^ set(full)) == []
    assert [name for name in full if incremental[name] != full[name]] == []


def notes(output: str) -> list[str]:
    """The line each site's build says how it used its cache."""
    return [line.strip() for line in output.splitlines() if line.startswith("  ") and ":" in line]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    output = publish_build(root)
    assert notes(output) == ["full build: no build cache yet"] * 3
    return root


def write_new_post(root: Path) -> None:
    (root / NEW_POST).write_text(
        "Title: Uusi kirjoitus\nDate: 2026-11-28 09:00\nCategory: Living Lab\nTags: uusi\n\n"
        "Ensimmäinen versio.\n",
        encoding="utf-8",
    )


def write_draft(root: Path) -> None:
    (root / DRAFT).write_text(
        f"Title: Luonnos\nDate: 2026-11-29 09:00\nCategory: Living Lab\nStatus: draft\n\n"
        f"{DRAFT_TEXT}.\n",
        encoding="utf-8",
    )


def write_linking_post(root: Path) -> None:
    """A post linking to the new post by its file (Pelican puts in its address when it renders)."""
    (root / LINKING_POST).write_text(
        "Title: Viittaus\nDate: 2020-01-15 10:00\nCategory: Talvi\n\n"
        f"Katso [uusi kirjoitus]({{filename}}/{NEW_POST.removeprefix('content/')}).\n",
        encoding="utf-8",
    )


def edits(root: Path) -> list[tuple[str, Callable[[], None], str]]:
    """(what, the edit, how the main site's build must say it built)."""
    new_post = root / NEW_POST
    return [
        ("new post", lambda: write_new_post(root), "incremental"),
        ("post linking to it", lambda: write_linking_post(root), "incremental"),
        ("edited text", lambda: edit(new_post, "Ensimmäinen", "Toinen"), "incremental"),
        ("changed title", lambda: edit(new_post, "Uusi kirjoitus", "Vaihdettu"), "incremental"),
        (
            "changed address",  # the linking post's page must link to its new address
            lambda: edit(new_post, "Date: 2026-11-28 09:00", "Date: 2026-10-28 09:00"),
            "incremental",
        ),
        (
            "changed category",
            lambda: edit(root / POST, "Category: Yhteiskehittäminen", "Category: Talvi"),
            "incremental",
        ),
        ("draft", lambda: write_draft(root), "incremental"),
        ("deleted linking post", (root / LINKING_POST).unlink, "incremental"),
        ("deleted post", new_post.unlink, "incremental"),
        (
            "theme template",
            lambda: edit(
                root / "theme/templates/article.html",
                '<div class="e-content entry-content">',
                '<div class="e-content entry-content" data-edited="yes">',
            ),
            "full build",
        ),
        (
            "pilot.toml",
            lambda: edit(root / "pilots/rajalla/pilot.toml", "Palveluja", "Palvelut"),
            "full build",
        ),
    ]


def test_every_kind_of_edit_leaves_the_same_files_as_a_full_build(
    built: Path, tmp_path: Path
) -> None:
    for number, (what, change, how) in enumerate(edits(built)):
        change()
        said = notes(publish_build(built))
        assert said[0].startswith(how), (what, said)  # the main site's
        assert_same_as_full_build(built, tmp_path / f"full-{number}")
        files = tree(built / "output")
        assert not [n for n, data in files.items() if DRAFT_TEXT.encode() in data], what
        assert not [n for n in files if n.startswith("drafts/")], what


def test_an_edit_renders_few_pages_and_keeps_the_others_as_they_were(built: Path) -> None:
    output = built / "output"
    unchanged = output / PAGE
    before = unchanged.stat().st_ino
    edit(built / POST, "Kolmekymmentä kyläläistä", "Neljäkymmentä kyläläistä")
    said = notes(publish_build(built, "--site", "main"))
    rendered, total = (int(n) for n in said[0].split()[1:4:2])
    assert 0 < rendered < total
    assert unchanged.stat().st_ino == before  # the same file, left in place
    edited = output / "2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella/index.html"
    assert "Neljäkymmentä".encode() in edited.read_bytes()


@pytest.mark.parametrize("damage", ["corrupt", "missing", "output"])
def test_a_damaged_cache_means_one_full_build(built: Path, tmp_path: Path, damage: str) -> None:
    cache = built / CACHE
    if damage == "corrupt":
        cache.write_bytes(b"not a pickle")
    elif damage == "missing":
        cache.unlink()
    else:  # the output in place lost a page the cache would carry over
        (built / "output" / PAGE).unlink()
    write_new_post(built)
    said = notes(publish_build(built, "--site", "main"))
    assert len(said) == 1
    assert said[0].startswith("full build:")
    assert_same_as_full_build(built, tmp_path / "full")
    assert notes(publish_build(built, "--site", "main"))[0].startswith("incremental:")


def test_full_option_renders_everything(built: Path) -> None:
    said = notes(publish_build(built, "--site", "main", "--full"))
    assert said == ["full build: --full asked for one"]


def test_a_post_broken_after_a_build_is_refused_as_without_a_cache(
    built: Path, tmp_path: Path
) -> None:
    """With every site's cache in place the build validates while the sites build: the
    error is still named (as `check` names it), and nothing of the build is installed."""
    assert (built / "var/build-cache/sources.pickle").is_file()  # what validation read
    output, record = tree(built / "output"), (built / "var/build.json").read_bytes()
    caches = {p: p.read_bytes() for p in (built / "var/build-cache").glob("*/state.pickle")}
    edit(built / POST, "Date: 2026-11-10 18:00", "Date: huomenna")
    problem = f"{built / POST}:2: Date: 'huomenna' is not a date"
    for done in (run_build(built), run_build(built, command="check")):
        assert done.returncode == 1
        assert problem in done.stderr
    assert tree(built / "output") == output
    assert (built / "var/build.json").read_bytes() == record
    assert {p: p.read_bytes() for p in caches} == caches
    assert sorted(p.name for p in built.iterdir() if p.name.startswith(".output")) == []
    assert list((built / "var/build-cache").glob("*/state.pickle.new-*")) == []
    edit(built / POST, "Date: huomenna", "Date: 2026-11-12 18:00")
    assert notes(publish_build(built))[0].startswith("incremental:")
    assert_same_as_full_build(built, tmp_path / "full")


def test_replies_approved_between_builds_are_on_the_page(built: Path, tmp_path: Path) -> None:
    settings = project_settings(built)
    seed_thread(settings, f"{settings.main.siteurl}/{THEME_REPLIES_PATH}")
    said = notes(publish_build(built, "--site", "main"))
    assert said[0].startswith("incremental:")
    page = (built / "output" / THEME_REPLIES_PATH / "index.html").read_text(encoding="utf-8")
    assert THEME_REPLIES[0][2] in page
    assert_same_as_full_build(built, tmp_path / "full")


def test_an_edit_of_a_post_older_than_the_feeds_leaves_them(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nFEED_MAX_ITEMS = 2  # the two newest posts\n")
    publish_build(root)
    feed = root / "output/feeds/all.atom.xml"
    before = feed.stat().st_ino
    edit(root / OLDEST_POST, "Alusta on lappilainen", "Alusta on pohjoinen")
    assert notes(publish_build(root, "--site", "main"))[0].startswith("incremental:")
    assert feed.stat().st_ino == before  # not written again
    assert_same_as_full_build(root, tmp_path / "full")
    edit(root / NEWEST_POST, "Title: ", "Title: Uusi otsikko: ")
    publish_build(root, "--site", "main")
    assert "Uusi otsikko" in feed.read_text(encoding="utf-8")

"""An incremental build puts its few new files in place all or nothing (alusta.incremental.install).

Real builds of a copy of the project. A disk that fills up half-way through the install is
simulated by making the install's one rename fail; a machine that stops half-way, by a
build process that exits there (os._exit: no cleanup runs).
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alusta.build import build_sites
from alusta.deploy import deploy
from alusta.errors import BuildError
from alusta.incremental import install
from alusta.incremental.install import JOURNAL_FILE
from tests.project import REPO, copy_project, project_settings
from tests.test_build_incremental import (
    BUILD_SECONDS,
    assert_same_as_full_build,
    notes,
    publish_build,
    run_build,
    write_new_post,
)
from tests.test_preview_incremental import POST, edit

JOURNAL = f"var/build-cache/{JOURNAL_FILE}"
RECORD = "var/build.json"
MOVES_BEFORE_FAILURE = 5
PILOT_POST = "pilots/rajalla/content/posts/2026-10-14-kirjastobussi-kokeilu.md"
# A build of the main site whose process ends half-way through putting files in place.
CRASHING_BUILD = f"""
import os, sys
from pathlib import Path
from alusta.build import build_sites
from alusta.deploy import deploy
from alusta.incremental import install
from tests.project import project_settings

real, moves = install._move, []

def crash(source, target):
    moves.append(target)
    if len(moves) > {MOVES_BEFORE_FAILURE}:
        os._exit(9)
    real(source, target)

install._move = crash
build_sites(project_settings(Path(sys.argv[1])), site_names=["main"])
"""


def files_and_inodes(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and which file it is (a rename changes that)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    build_sites(project_settings(root))
    return root


def test_an_install_failing_half_way_leaves_the_last_output(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, record = files_and_inodes(built / "output"), (built / RECORD).read_bytes()
    write_new_post(built)
    real, moves = install._move, []

    def disk_fills_up(source: str, target: str) -> None:
        moves.append(target)
        if len(moves) == MOVES_BEFORE_FAILURE + 1:
            raise OSError(errno.ENOSPC, "No space left on device", target)
        real(source, target)

    monkeypatch.setattr(install, "_move", disk_fills_up)
    with pytest.raises(BuildError, match="could not be put in place"):
        build_sites(project_settings(built), site_names=["main"])
    assert files_and_inodes(built / "output") == before
    assert len(moves) > MOVES_BEFORE_FAILURE + 1  # some files were in place, then put back
    assert (built / RECORD).read_bytes() == record
    assert not (built / JOURNAL).exists()
    monkeypatch.undo()
    said = notes(publish_build(built, "--site", "main"))
    assert said[0].startswith("incremental:")
    assert_same_as_full_build(built, tmp_path / "full")


def stop_while_installing(root: Path) -> set[str]:
    """Build the main site in a process that ends half-way through the install; the files
    of the output it changed."""
    before = files_and_inodes(root / "output")
    stopped = subprocess.run(
        [sys.executable, "-c", CRASHING_BUILD, str(root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_SECONDS,
        check=False,
    )
    assert stopped.returncode == 9, stopped.stderr
    assert (root / JOURNAL).is_file()
    after = files_and_inodes(root / "output")
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def test_a_build_stopped_while_installing_is_rolled_back_by_the_next(
    built: Path, tmp_path: Path
) -> None:
    before, record = files_and_inodes(built / "output"), (built / RECORD).read_bytes()
    write_new_post(built)
    assert stop_while_installing(built)  # half of the new files in place
    # The next build refuses its content, but first puts the last output back.
    edit(built / POST, "Date: 2026-11-10 18:00", "Date: huomenna")
    refused = run_build(built)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert files_and_inodes(built / "output") == before
    assert (built / RECORD).read_bytes() == record
    assert not (built / JOURNAL).exists()
    assert not list(built.glob(".output.*"))  # the stopped build's staging folder
    edit(built / POST, "Date: huomenna", "Date: 2026-11-10 18:00")
    assert notes(publish_build(built, "--site", "main"))[0].startswith("incremental:")
    assert_same_as_full_build(built, tmp_path / "full")


def test_a_deploy_after_a_stopped_build_sends_the_last_output(built: Path, tmp_path: Path) -> None:
    before = files_and_inodes(built / "output")
    write_new_post(built)
    changed = stop_while_installing(built)
    www = tmp_path / "www"
    deploy(project_settings(built), site_names=["main"], target=str(www))
    assert files_and_inodes(built / "output") == before
    sent = {p.relative_to(www).as_posix(): p.read_bytes() for p in www.rglob("*") if p.is_file()}
    assert changed & sent.keys()
    assert sent == {name: before[name][0] for name in sent}


@pytest.mark.parametrize(
    ("anew", "lost", "why"),
    [
        ("main", "var/build-cache/main/state.pickle", "no build cache yet"),
        ("rajalla", "var/build-cache/rajalla/state.pickle", "no build cache yet"),
        ("rajalla", "output/pilots/rajalla", "there is no output in"),
    ],
)
def test_a_site_built_in_full_beside_incremental_ones_leaves_a_full_builds_files(
    built: Path, tmp_path: Path, anew: str, lost: str, why: str
) -> None:
    """A main site built anew keeps its incremental pilots inside it, and the reverse."""
    if (built / lost).is_dir():
        shutil.rmtree(built / lost)
    else:
        (built / lost).unlink()
    edit(built / POST, "Kolmekymmentä kyläläistä", "Neljäkymmentä kyläläistä")
    edit(built / PILOT_POST, "Lainaajia oli 212", "Lainaajia oli 213")
    said = dict(zip(["main", "ounasvaara", "rajalla"], notes(publish_build(built)), strict=True))
    assert said.pop(anew).startswith(f"full build: {why}")
    assert all(note.startswith("incremental:") for note in said.values()), said
    assert_same_as_full_build(built, tmp_path / "full")

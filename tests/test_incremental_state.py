"""A build cache written by a process of its own: committed only whole, after the install.

The worker forks a process that writes the site's cache while the build goes on; `commit`
waits for it. A writer that dies leaves no cache (not the last build's, which describes the
output replaced), so the next build is a full one and leaves what a full build leaves.
"""

from __future__ import annotations

import fcntl
import os
import signal
from pathlib import Path

import pytest

import alusta.incremental.state as state_module
from alusta.build import build_sites
from alusta.incremental.state import (
    LOCK_FILE,
    STATE_FILE,
    CacheState,
    NoCache,
    commit,
    discard_pending,
    load_state,
    save_later,
)
from tests.project import copy_project, project_settings
from tests.test_build_incremental import (
    CACHE,
    NEW_POST,
    assert_same_as_full_build,
    notes,
    publish_build,
    write_new_post,
)

FINGERPRINT = "f" * 64


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A copy of the project built once (its caches written)."""
    root = copy_project(tmp_path / "project")
    assert notes(publish_build(root)) == ["full build: no build cache yet"] * 3
    return root


def lock_is_held(folder: Path) -> bool:
    """Whether a process holds the lock a writer of a pending cache holds until it ends."""
    handle = os.open(folder / LOCK_FILE, os.O_WRONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)
    return False


def pending_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(f"{state_module.PENDING_PREFIX}*"))


def test_commit_waits_for_the_writer_and_installs_its_cache(tmp_path: Path) -> None:
    gate_read, gate_write = os.pipe()
    written = CacheState(FINGERPRINT, keys={"index.html": b"k" * 16}, last_serial=7)

    def held_state() -> CacheState:  # runs in the fork: waits until the test lets it go
        os.read(gate_read, 1)
        return written

    try:
        pending = save_later(tmp_path, held_state)
        assert lock_is_held(tmp_path)
        assert not pending.exists()
        os.write(gate_write, b"x")
        commit(pending)
    finally:
        os.close(gate_read)
        os.close(gate_write)
    loaded = load_state(tmp_path, FINGERPRINT)
    assert (loaded.keys, loaded.last_serial) == (written.keys, written.last_serial)
    assert pending_files(tmp_path) == []
    assert not lock_is_held(tmp_path)


def test_a_writer_that_fails_leaves_no_cache_not_the_last_one(tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_bytes(b"the last build's cache")

    def broken_state() -> CacheState:
        raise RuntimeError("the writer fails")

    commit(save_later(tmp_path, broken_state))
    with pytest.raises(NoCache, match="no build cache yet"):
        load_state(tmp_path, FINGERPRINT)
    assert pending_files(tmp_path) == []


def test_a_failed_build_discards_what_its_writer_wrote(tmp_path: Path) -> None:
    save_later(tmp_path, lambda: CacheState(FINGERPRINT))
    discard_pending(tmp_path)  # waits for the writer, then removes its file
    assert pending_files(tmp_path) == []
    assert not (tmp_path / STATE_FILE).exists()


def test_a_full_build_leaves_its_cache_for_the_next_build(built: Path) -> None:
    assert notes(publish_build(built, "--site", "main", "--full")) == [
        "full build: --full asked for one"
    ]
    folder = (built / CACHE).parent
    assert (built / CACHE).is_file()
    assert pending_files(folder) == []
    write_new_post(built)
    assert notes(publish_build(built, "--site", "main"))[0].startswith("incremental:")


def test_a_writer_killed_while_saving_means_one_full_build(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(*_args: object, **_kwargs: object) -> None:  # the fork dies while it saves
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(state_module, "save_pending", killed)  # forked into the worker
    write_new_post(built)
    report = build_sites(project_settings(built), site_names=["main"])
    assert report.sites[0].cache_note.startswith("incremental:")
    assert not (built / CACHE).exists()  # the last build's cache described the old output
    assert pending_files((built / CACHE).parent) == []
    monkeypatch.undo()
    (built / NEW_POST).unlink()
    assert notes(publish_build(built, "--site", "main")) == ["full build: no build cache yet"]
    assert_same_as_full_build(built, tmp_path / "full")
    write_new_post(built)
    assert notes(publish_build(built, "--site", "main"))[0].startswith("incremental:")

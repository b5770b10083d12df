"""A site's build cache on disk: Pelican's parsed content and what each output showed.

One pickle per site, var/build-cache/<site>/state.pickle, written beside its final place
by the build's worker and renamed into place only after the build was installed, so the
cache always describes the output in place. Anything unreadable is no cache: the build
is then a full one, and says why.

Writing it (a few tenths of a second at 1,000 posts) is not on the build's way: the worker
forks a process that writes it while the worker lists the pages and the build installs
them; that process holds a lock on saving.lock until it ends, and `commit` waits for the
lock. A writer that fails leaves no cache, so the next build is a full one.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 2  # 2: outputs' keys as digests
STATE_FILE = "state.pickle"
PENDING_PREFIX = "state.pickle.new-"
PARTIAL_SUFFIX = ".partial"  # being written: renamed to the pending name once whole
LOCK_FILE = "saving.lock"  # held by the process writing a pending cache, until it ends
# Pelican resolves these at render time (another post's address) and alusta_sites when it
# reads a post (another site's post): such a post is read again in every build.
DYNAMIC_MARKERS = ("{filename}", "|filename|", "{site:")


class NoCache(Exception):
    """Why a site has no usable build cache (the sentence the build prints)."""


@dataclass
class CacheState:
    """What a site's SiteEngine needs from its last build."""

    fingerprint: str
    caches: dict[str, dict] = field(default_factory=dict)  # Pelican's, per generator class
    keys: dict[str, bytes] = field(default_factory=dict)  # output name → what it showed
    last_serial: int = 0


def load_state(folder: Path, fingerprint: str) -> CacheState:
    """The site's cache, if it was written for this fingerprint; NoCache says why not."""
    path = folder / STATE_FILE
    if not path.is_file():
        raise NoCache("no build cache yet")
    try:
        with path.open("rb") as stream:
            version, state = pickle.load(stream)  # noqa: S301 - our own file in var/
    except Exception as error:
        raise NoCache(f"build cache {path} is unreadable ({type(error).__name__})") from error
    if version != FORMAT or not isinstance(state, CacheState):
        raise NoCache(f"build cache {path} has an old format")
    if state.fingerprint != fingerprint:
        raise NoCache("theme, plugins, settings or versions changed since the last build")
    return state


def save_later(
    folder: Path, make_state: Callable[[], CacheState], *, checked_serial: int = 0
) -> Path:
    """Write `make_state()` beside its place in a forked process; the path it will have.

    The fork holds the lock on `folder`'s saving.lock until it ends; `commit` waits for it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    pending = folder / f"{PENDING_PREFIX}{uuid.uuid4().hex[:8]}"
    lock = os.open(folder / LOCK_FILE, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # shared with the fork, which outlives this handle
        if os.fork() == 0:  # pragma: no cover - the fork's coverage is not collected
            _write_and_exit(pending, make_state, checked_serial)
    finally:
        os.close(lock)
    return pending


def _write_and_exit(
    pending: Path, make_state: Callable[[], CacheState], checked_serial: int
) -> None:
    """In the fork: write the cache, then end without the worker's exit handlers."""
    status = 1
    try:
        save_pending(pending, make_state(), checked_serial=checked_serial)
        status = 0
    finally:
        os._exit(status)


def save_pending(pending: Path, state: CacheState, *, checked_serial: int = 0) -> Path:
    """Write the state at `pending`, beside its place; `commit` moves it there once the build
    is installed.

    `checked_serial`: the last serial of the cache this run loaded. Its objects were found
    not dynamic when it was saved and are unchanged (an edited file is a new object), so
    only the files read in this run are opened again to look for dynamic markers.
    """
    for caches in state.caches.values():
        dynamic = [
            path
            for path, entry in caches.items()
            if _read_now(_content_of(entry), checked_serial) and _is_dynamic(_content_of(entry))
        ]
        for path in dynamic:
            del caches[path]
    detached = _detach_links(state)
    partial = pending.with_name(pending.name + PARTIAL_SUFFIX)
    try:
        with partial.open("wb") as stream:
            pickle.dump((FORMAT, state), stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(pending)
    finally:
        for item, name, value in detached:
            setattr(item, name, value)
    return pending


def commit(pending: Path) -> None:
    """The build that wrote `pending` is installed: it is the site's cache from now on.

    Waits for the process writing it. If that failed, the site has no cache (the one in
    place describes the output replaced): the next build is a full one.
    """
    with _saved(pending.parent):
        if pending.is_file():
            pending.replace(pending.parent / STATE_FILE)
        else:
            (pending.parent / STATE_FILE).unlink(missing_ok=True)


def discard_pending(folder: Path) -> None:
    """Remove the caches a failed or interrupted build left beside the site's cache."""
    with _saved(folder):
        for path in folder.glob(f"{PENDING_PREFIX}*"):
            path.unlink(missing_ok=True)


@contextmanager
def _saved(folder: Path) -> Iterator[None]:
    """Inside, no process is writing a pending cache into `folder` (waits for it to end)."""
    try:
        lock = os.open(folder / LOCK_FILE, os.O_WRONLY)
    except FileNotFoundError:  # nothing was ever saved here
        yield
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)


def _content_of(entry: object) -> Any:
    """The content object of one of Pelican's cache entries, (file stamp, object)."""
    return entry[1] if isinstance(entry, tuple) else entry


def _read_now(item: Any, checked_serial: int) -> bool:
    """Whether the object was read in this run (not loaded from the cache, or never shown)."""
    from alusta.preview.writer import SERIAL_ATTRIBUTE  # noqa: PLC0415 - imports pelican

    serial = getattr(item, SERIAL_ATTRIBUTE, None)
    return serial is None or serial > checked_serial


def _is_dynamic(item: Any) -> bool:
    try:
        text = Path(item.source_path).read_text(encoding="utf-8", errors="replace")
    except (AttributeError, OSError):
        return True
    return any(marker in text for marker in DYNAMIC_MARKERS)


def _detach_links(state: CacheState) -> list[tuple[Any, str, Any]]:
    """Unhook what ties one content object to the others: (object, attribute, value) each.

    The run's whole context, translations and neighbours (a chain through every post, too
    deep to pickle) are given again by every run; a loaded object starts without them.
    """
    from pelican.contents import Content  # noqa: PLC0415 - the build's worker has it loaded

    detached = []
    for caches in state.caches.values():
        for entry in caches.values():
            item = _content_of(entry)
            attributes = vars(item)
            for name, value in list(attributes.items()):
                if name == "_context" or isinstance(value, Content):
                    detached.append((item, name, value))
                    attributes[name] = None
                elif isinstance(value, list | tuple) and value and isinstance(value[0], Content):
                    detached.append((item, name, value))
                    attributes[name] = []
    return detached

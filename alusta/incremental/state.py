"""A site's build cache on disk: Pelican's parsed content and what each output showed.

One pickle per site, var/build-cache/<site>/state.pickle, written beside its final place
by the build's worker and renamed into place only after the build was installed, so the
cache always describes the output in place. Anything unreadable is no cache: the build
is then a full one, and says why.
"""

from __future__ import annotations

import pickle
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 2  # 2: outputs' keys as digests
STATE_FILE = "state.pickle"
PENDING_PREFIX = "state.pickle.new-"
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


def save_pending(folder: Path, state: CacheState, *, checked_serial: int = 0) -> Path:
    """Write the state beside its place; `commit` moves it there once the build is installed.

    `checked_serial`: the last serial of the cache this run loaded. Its objects were found
    not dynamic when it was saved and are unchanged (an edited file is a new object), so
    only the files read in this run are opened again to look for dynamic markers.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for caches in state.caches.values():
        dynamic = [
            path
            for path, entry in caches.items()
            if _read_now(_content_of(entry), checked_serial) and _is_dynamic(_content_of(entry))
        ]
        for path in dynamic:
            del caches[path]
    detached = _detach_links(state)
    pending = folder / f"{PENDING_PREFIX}{uuid.uuid4().hex[:8]}"
    try:
        with pending.open("wb") as stream:
            pickle.dump((FORMAT, state), stream, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        for item, name, value in detached:
            setattr(item, name, value)
    return pending


def commit(pending: Path) -> None:
    """The build that wrote `pending` is installed: it is the site's cache from now on."""
    pending.replace(pending.parent / STATE_FILE)


def discard_pending(folder: Path) -> None:
    """Remove the caches a failed or interrupted build left beside the site's cache."""
    for path in folder.glob(f"{PENDING_PREFIX}*"):
        path.unlink(missing_ok=True)


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

"""One site's production build with its cache: render what changed, carry the rest over.

Runs in the build's worker process. The engine writes into the build's staging folder,
which starts empty; every output it did not render this time (its content is what the
installed output shows) stays where it is in the installed output, and the files there
that the new output lacks are listed for removal. Nothing is written into a file the
installed output uses, so a failed build still changes nothing; the staged files, the
files kept and nothing else are what a full build writes. The build installs the staged
files with alusta.incremental.install; a full build's staging folder is the whole output.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, FileSystemBytecodeCache
from pelican import signals

from alusta.images import VARIANT_FOLDER, variant_names
from alusta.incremental.fingerprint import CachePlan
from alusta.incremental.install import files_under
from alusta.incremental.state import CacheState, NoCache, load_state, save_later
from alusta.preview.engine import CONTENT_LISTS, SiteEngine
from alusta.preview.writer import serials

log = logging.getLogger(__name__)
TEMPLATE_CACHE_FOLDER = "templates"  # beside state.pickle: Jinja's compiled templates


@dataclass
class CachedRun:
    """How a cached run went: a line for the build's report, the cache to commit."""

    note: str
    pending: Path
    carried: frozenset[str] = frozenset()  # outputs kept unchanged from the installed ones
    # Incremental: the files in place the new output drops, and every file of the new output
    # (relative, where it is now: staged or in place). None: staging holds the whole output.
    removed: tuple[str, ...] | None = None
    files: list[tuple[str, str]] | None = None


class StagingEngine(SiteEngine):
    """The engine writing into an empty staging folder: a gone output is not carried over.

    Nothing is deleted there: the file at a gone output's address is this run's (a 410 page).
    """

    def __init__(self, templates: BytecodeCache) -> None:
        super().__init__()
        self.templates = templates  # the engine's in-memory one dies with the worker
        self.keys_later = True  # a full run's keys are made by the process saving the cache

    def _delete(self, gone: set[str], output_path: str) -> list[str]:
        for name in gone:
            self.keys.pop(name, None)
        return sorted(gone)


def run_cached(conf: dict[str, Any], plan: CachePlan, *, keep: tuple[str, ...] = ()) -> CachedRun:
    """Build one site into conf's OUTPUT_PATH with its cache; a full build when none fits.

    `keep`: folders of the staging folder other sites are being built into (main's pilots/).
    """
    staging = Path(conf["OUTPUT_PATH"])
    templates = _template_cache(plan.folder / TEMPLATE_CACHE_FOLDER)
    engine = StagingEngine(templates)
    try:
        state = _usable_state(plan)
    except NoCache as reason:
        log.info("build cache: %s; building in full", reason)
        return _full(engine, conf, plan, f"full build: {reason}")
    engine.caches, engine.keys, engine.conf = state.caches, state.keys, conf
    serials.continue_after(state.last_serial)
    contents: list[Any] = []
    capture = _capture(contents)
    signals.all_generators_finalized.connect(capture)
    try:  # a file whose time and size are unchanged is not read (as validation judges it)
        engine.run(conf, changed=())
    finally:
        signals.all_generators_finalized.disconnect(capture)
    variants = {f"{VARIANT_FOLDER}/{n}" for c in contents for n in variant_names(c._content or "")}
    try:
        kept = _kept([*engine.keys, *variants], plan.installed, staging, keep)
    except FileNotFoundError as error:
        log.info("build cache: %s is gone from the output; building in full", error.filename)
        _empty(staging, keep)
        return _full(
            StagingEngine(templates), conf, plan, "full build: the output in place was incomplete"
        )
    rendered = len(engine.keys) - len(kept.carried & engine.keys.keys())
    return CachedRun(
        f"incremental: {rendered} of {len(engine.keys)} pages and feeds rendered",
        _save(engine, plan, checked_serial=state.last_serial),
        kept.carried,
        kept.removed,
        kept.files,
    )


@dataclass(frozen=True)
class _Kept:
    carried: frozenset[str]
    removed: tuple[str, ...]
    files: list[tuple[str, str]]


def _kept(outputs: list[str], installed: Path, staging: Path, keep: tuple[str, ...]) -> _Kept:
    """What the run keeps of the output in place: the outputs it did not write, as they are
    there; every other file there is removed (FileNotFoundError: an output to keep is gone)."""
    staged = set(files_under(staging, keep))
    in_place = set(files_under(installed, keep))
    carried = set(outputs).difference(staged)
    missing = carried - in_place
    if missing:
        raise FileNotFoundError(2, "missing output", str(installed / min(missing)))
    files = [(n, f"{staging}/{n}") for n in staged] + [(n, f"{installed}/{n}") for n in carried]
    removed = tuple(sorted(in_place - carried - staged))
    return _Kept(frozenset(carried), removed, files)


def _template_cache(folder: Path) -> BytecodeCache:
    """Jinja keeps the theme's compiled templates (by name and source checksum) for next time."""
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def _usable_state(plan: CachePlan) -> CacheState:
    if plan.full:
        raise NoCache("--full asked for one")
    state = load_state(plan.folder, plan.fingerprint)
    if not plan.installed.is_dir():
        raise NoCache(f"there is no output in {plan.installed} to carry pages over from")
    return state


def _full(engine: SiteEngine, conf: dict[str, Any], plan: CachePlan, note: str) -> CachedRun:
    engine.run(conf, render_all=True, changed=())  # the cache keeps each file's time and size
    return CachedRun(note, _save(engine, plan))


def _save(engine: SiteEngine, plan: CachePlan, *, checked_serial: int = 0) -> Path:
    """The cache this run leaves, written by a process of its own while the build goes on."""

    def state() -> CacheState:  # in that process: a full run's keys are made there
        engine.settle()
        return CacheState(plan.fingerprint, engine.caches, engine.keys, serials.last)

    return save_later(plan.folder, state, checked_serial=checked_serial)


def _capture(contents: list[Any]):
    def capture(generators: list[Any]) -> None:
        for generator in generators:
            for name in CONTENT_LISTS:
                contents.extend(getattr(generator, name, None) or [])

    return capture


def _empty(staging: Path, keep: tuple[str, ...]) -> None:
    """Remove what a failed incremental attempt wrote, but other sites' folders."""
    for path in staging.iterdir():
        if path.name in keep:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()

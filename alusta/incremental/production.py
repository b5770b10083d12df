"""One site's production build with its cache: render what changed, carry the rest over.

Runs in the build's worker process. The engine writes into the build's staging folder,
which starts empty; every output it did not render this time (its content is what the
installed output shows) is then hard-linked from the installed output. Nothing is written
into a file the installed output uses, so a failed build still changes nothing, and the
staging folder ends up holding exactly what a full build writes.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, FileSystemBytecodeCache
from pelican import signals

from alusta.images import VARIANT_FOLDER, variant_names
from alusta.incremental.fingerprint import CachePlan
from alusta.incremental.state import CacheState, NoCache, load_state, save_pending
from alusta.preview.engine import CONTENT_LISTS, SiteEngine
from alusta.preview.writer import serials

log = logging.getLogger(__name__)
TEMPLATE_CACHE_FOLDER = "templates"  # beside state.pickle: Jinja's compiled templates


@dataclass
class CachedRun:
    """How a cached run went: a line for the build's report, the cache to commit."""

    note: str
    pending: Path
    carried: frozenset[str] = frozenset()  # outputs linked unchanged from the installed ones


class StagingEngine(SiteEngine):
    """The engine writing into an empty staging folder: a gone output is not carried over.

    Nothing is deleted there: the file at a gone output's address is this run's (a 410 page).
    """

    def __init__(self, templates: BytecodeCache) -> None:
        super().__init__()
        self.templates = templates  # the engine's in-memory one dies with the worker

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
    try:
        engine.run(conf)
    finally:
        signals.all_generators_finalized.disconnect(capture)
    variants = {f"{VARIANT_FOLDER}/{n}" for c in contents for n in variant_names(c._content or "")}
    try:
        carried = carry_over([*engine.keys, *sorted(variants)], plan.installed, staging)
    except FileNotFoundError as error:
        log.info("build cache: %s is gone from the output; building in full", error.filename)
        _empty(staging, keep)
        return _full(
            StagingEngine(templates), conf, plan, "full build: the output in place was incomplete"
        )
    rendered = len(engine.keys) - len(carried & engine.keys.keys())
    note = f"incremental: {rendered} of {len(engine.keys)} pages and feeds rendered"
    return CachedRun(note, _save(engine, plan, checked_serial=state.last_serial), carried)


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
    engine.run(conf, render_all=True)
    return CachedRun(note, _save(engine, plan))


def _save(engine: SiteEngine, plan: CachePlan, *, checked_serial: int = 0) -> Path:
    state = CacheState(plan.fingerprint, engine.caches, engine.keys, serials.last)
    return save_pending(plan.folder, state, checked_serial=checked_serial)


def _capture(contents: list[Any]):
    def capture(generators: list[Any]) -> None:
        for generator in generators:
            for name in CONTENT_LISTS:
                contents.extend(getattr(generator, name, None) or [])

    return capture


def carry_over(names: Iterable[str], installed: Path, staging: Path) -> frozenset[str]:
    """Hard-link each output the run did not write from the installed output into staging.

    Thousands of files: plain strings and one system call per file and folder.
    """
    carried, folders = set(), set()
    staging_text, installed_text = f"{staging}{os.sep}", f"{installed}{os.sep}"
    for name in names:
        target = staging_text + name
        folder = target.rpartition(os.sep)[0]
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)  # noqa: PTH103 - strings: no Path per file
            folders.add(folder)
        try:
            os.link(installed_text + name, target)
        except FileExistsError:
            continue  # written by this run
        except FileNotFoundError:
            if os.path.lexists(target):  # a new output: written by this run, none before
                continue
            raise
        carried.add(name)
    return frozenset(carried)


def _empty(staging: Path, keep: tuple[str, ...]) -> None:
    """Remove what a failed incremental attempt wrote, but other sites' folders."""
    for path in staging.iterdir():
        if path.name in keep:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()

"""Building every site with Pelican: validated, in parallel, swapped in only on success.

Each site builds in its own process (Pelican keeps module-level state, and the machine
has cores to spare). Sites are written into staging folders beside their final place and
put in place only when every requested site built, so a failed build never leaves a
half-written output folder: a whole output by renaming its folder, an incremental one (a
few files) by renaming each file under a journal (alusta.incremental.install).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alusta.build_pages import Written, page_scope, site_pages, written_contents
from alusta.build_record import BuildRecord, Page, SiteBuild, load_record, merged, write_record
from alusta.db import connect, create_or_migrate
from alusta.errors import BuildError, ContentError, Problem
from alusta.files import remove_later
from alusta.gone_maps import write_gone_maps
from alusta.heap import few_full_collections
from alusta.incremental.fingerprint import BUILD_CACHE_FOLDER, CachePlan, cache_plans
from alusta.incremental.install import Patch, carry_over, install, journal_of, recover
from alusta.incremental.sources import problems_with_kept_sources
from alusta.incremental.state import STATE_FILE, commit, discard_pending
from alusta.pelican_conf import pelican_settings
from alusta.published import record_build
from alusta.redirects import server_configs, write_redirect_pages
from alusta.settings import Settings
from alusta.sites import Site

if TYPE_CHECKING:
    from alusta.incremental.production import CachedRun

MAX_WORKERS = 2
TRASH_FOLDER = "trash"  # var/build-cache/trash: replaced outputs, deleted in the background
LOG_LEVEL_COLLECTED = logging.WARNING
PILOTS = ("pilots",)  # the main site's output folder of the in-tree pilots
log = logging.getLogger(__name__)


@dataclass
class SiteResult:
    """How one site's Pelican run went."""

    name: str
    output: Path
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: tuple[Page, ...] = ()
    cache_note: str = ""  # incremental, or why the build was a full one
    pending_cache: Path | None = None  # the cache this build leaves, once it is installed
    removed: tuple[str, ...] | None = None  # incremental: see alusta.incremental.install


@dataclass
class BuildReport:
    """What a build did: per-site results and the content problems it skipped."""

    sites: list[SiteResult]
    skipped: list[Problem] = field(default_factory=list)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=LOG_LEVEL_COLLECTED)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@few_full_collections()
def run_pelican(
    name: str, conf: dict[str, Any], previous: tuple[Page, ...], plan: CachePlan
) -> SiteResult:
    """Build one site with Pelican in this process and list its pages; errors are collected.

    The site's build cache (`plan`) lets Pelican render only what changed since the last build.
    """
    from pelican import signals  # noqa: PLC0415 - imported in the worker process only

    from alusta.incremental.production import run_cached  # noqa: PLC0415 - imports pelican

    result = SiteResult(name=name, output=Path(conf["OUTPUT_PATH"]))
    written: list[Written] = []

    def capture(generators: list[Any]) -> None:
        written.extend(written_contents(generators, Path(conf["ALUSTA"]["root"])))

    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    signals.all_generators_finalized.connect(capture)
    started = time.perf_counter()
    try:  # Pelican prints a summary to stdout; the CLI says what was built itself
        with contextlib.redirect_stdout(io.StringIO()):
            cached = run_cached(conf, plan, keep=page_scope(conf)[2])
        result.cache_note, result.pending_cache = cached.note, cached.pending
        result.removed = cached.removed
        result.pages = _pages(conf, result.output, written, previous, cached)
    except Exception as error:
        result.errors.append(f"{type(error).__name__}: {error}")
    finally:
        signals.all_generators_finalized.disconnect(capture)
        root.removeHandler(collector)
    result.seconds = time.perf_counter() - started
    for record in collector.records:
        target = result.errors if record.levelno >= logging.ERROR else result.warnings
        target.append(record.getMessage())
    return result


def _pages(
    conf: dict[str, Any],
    output: Path,
    written: list[Written],
    previous: tuple[Page, ...],
    cached: CachedRun,
) -> tuple[Page, ...]:
    """The site's pages; those carried over unchanged keep their entries of the last build."""
    siteurl, lang, exclude = page_scope(conf)
    before = {page.path: page for page in previous}
    return site_pages(
        siteurl,
        output,
        written,
        lang=lang,
        exclude=exclude,
        previous=before,
        carried=cached.carried,
        files=cached.files,
    )


def _staging(final: Path) -> Path:
    return final.parent / f".{final.name}.new-{uuid.uuid4().hex[:8]}"


def _swap_in(staging: Path, final: Path, trash: Path) -> None:
    """Replace `final` by `staging` with two renames; the old tree is removed afterwards."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.parent / f".{final.name}.old-{uuid.uuid4().hex[:8]}"
    if final.exists():
        final.rename(old)
    staging.rename(final)
    remove_later(old, trash)


def _validate(
    settings: Settings, sites: list[Site], keep_going: bool, *, full: bool = False
) -> list[Problem]:
    """The checks of `check` (links aside), on the files as the last build read them if
    they did not change since (but under `full`)."""
    problems = problems_with_kept_sources(settings, sites, full=full)
    if problems and not keep_going:
        raise ContentError(problems)
    return problems


def _plan(settings: Settings, sites: list[Site]) -> dict[str, Path]:
    """Where each site is written during the build (its staging folder)."""
    building_main = any(s.is_main for s in sites)
    main_staging = _staging(settings.output_dir) if building_main else None
    plan = {}
    for site in sites:
        if site.is_main:
            plan[site.name] = main_staging
        elif main_staging is not None and not site.own_domain:
            plan[site.name] = main_staging / "pilots" / site.name
        else:
            plan[site.name] = _staging(settings.site_output(site))
    return plan


def _carry_over_pilots(settings: Settings, built: set[str], main_staging: Path) -> None:
    """Pilots not rebuilt this time keep their last output inside the new main tree."""
    for site in settings.sites[1:]:
        current = settings.output_dir / "pilots" / site.name
        if site.name not in built and not site.own_domain and current.is_dir():
            target = main_staging / "pilots" / site.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(current, target, copy_function=os.link)  # nothing writes into it


@few_full_collections()
def build_sites(
    settings: Settings,
    *,
    site_names: list[str] | None = None,
    keep_going: bool = False,
    workers: int = MAX_WORKERS,
    full: bool = False,
) -> BuildReport:
    """Validate and build the chosen sites (all by default) into their output folders.

    Each site's build cache makes it render only what changed; `full` ignores the caches.
    With every site's cache the content is validated while the sites build (a second core
    is free then; nothing is installed unless it passes); a full or `keep_going` build
    validates first.
    """
    sites = [settings.site(n) for n in site_names] if site_names else list(settings.sites)
    if recover(journal_of(settings.var_dir)):
        log.warning("build: an interrupted install was rolled back; the output is the last one")
    first = keep_going or full or not _cached(settings, sites)
    skipped = _validate(settings, sites, keep_going, full=full) if first else []
    excluded = tuple(sorted({str(p.path) for p in skipped}))
    plan = _plan(settings, sites)
    jobs = {
        s.name: pelican_settings(settings, s, plan[s.name], exclude_sources=excluded) for s in sites
    }
    previous = load_record(settings.var_dir)
    create_or_migrate(settings.database_path)  # the site builds only read it
    caches = cache_plans(settings, sites, jobs, full=full)
    meanwhile = _nothing if first else partial(_validate, settings, sites, keep_going=False)
    try:
        results = _run_all(jobs, workers, previous, caches, meanwhile)
        failed = [r for r in results if r.errors and not (keep_going and _only_skipped(r))]
        if failed:
            raise BuildError("\n".join(f"{r.name}: {e}" for r in failed for e in r.errors))
        write_redirects(settings, sites, plan)
        _install(settings, sites, plan, results)
        built = [site_build(settings, r.name, r.pages, complete=not excluded) for r in results]
        record = merged(previous, built)
        write_record(settings.var_dir, record)
        record_published(settings, record, [s.name for s in sites], mark_gone=not excluded)
        for result in results:
            if result.pending_cache:
                commit(result.pending_cache)
    finally:
        for cache in caches.values():
            discard_pending(cache.folder)
        for staging in plan.values():
            if staging.name.startswith(".") and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return BuildReport(sites=results, skipped=skipped)


def _cached(settings: Settings, sites: list[Site]) -> bool:
    """Whether every site has a build cache (its build is then most likely incremental)."""
    folder = settings.var_dir / BUILD_CACHE_FOLDER
    return all((folder / site.name / STATE_FILE).is_file() for site in sites)


def _nothing() -> None:
    """What a build that validated first does while its sites build."""


def write_redirects(settings: Settings, sites: list[Site], plan: dict[str, Path]) -> None:
    """Old addresses (content/redirects.toml): pages in the output, server configs in var/
    (serve's: var/serve/)."""
    for site in sites:
        write_redirect_pages(site, plan[site.name])
        server_configs(site, settings.var_dir / "redirects")


def site_build(
    settings: Settings, name: str, pages: tuple[Page, ...], *, complete: bool
) -> SiteBuild:
    """The record of one site just installed at its final place (also serve's, per run)."""
    site = settings.site(name)
    return SiteBuild(
        name=site.name,
        siteurl=site.siteurl,
        output=str(settings.site_output(site)),
        lang=site.lang,
        endpoint_url=settings.endpoint_url,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        complete=complete,
        pages=pages,
    )


def record_published(
    settings: Settings, record: BuildRecord, built: list[str], *, mark_gone: bool
) -> None:
    """Record the posts each site published, once the new output is in place (sending
    state), and write the web servers' 410 maps of the gone ones (var/gone/)."""
    connection = connect(settings.database_path)
    try:
        for name in built:
            site = record.sites[name]
            posts = {site.relative_url(p): p.path for p in site.posts}
            gone = record_build(connection, name, posts, now=time.time(), mark_gone=mark_gone)
            write_gone_maps(site, gone, settings.var_dir)
    finally:
        connection.close()


def _only_skipped(result: SiteResult) -> bool:
    """Under --keep-going, Pelican's complaints about the files we skipped are expected."""
    return all("Could not process" in e or "Skipping" in e for e in result.errors)


def _run_all(
    jobs: dict[str, dict[str, Any]],
    workers: int,
    previous: BuildRecord,
    caches: dict[str, CachePlan],
    meanwhile: Callable[[], object],
) -> list[SiteResult]:
    """Build the sites in worker processes, calling `meanwhile` while they build.

    Even one site builds in a child process: Pelican and its plugins keep module state.
    When `meanwhile` raises, the sites are waited for before that is passed on.
    """
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        futures = [
            pool.submit(
                run_pelican, name, conf, _previous_pages(previous, name, conf), caches[name]
            )
            for name, conf in jobs.items()
        ]
        meanwhile()
        return [f.result() for f in futures]


def _previous_pages(record: BuildRecord, name: str, conf: dict[str, Any]) -> tuple[Page, ...]:
    """The site's pages in the last record, when it was built for the same address."""
    site = record.sites.get(name)
    return site.pages if site and site.siteurl == conf["SITEURL"] else ()


def _install(
    settings: Settings, sites: list[Site], plan: dict[str, Path], results: list[SiteResult]
) -> None:
    """Put every built site in place: an incremental output's few files by renames (all or
    nothing, alusta.incremental.install), a whole output by swapping folders."""
    built = {s.name for s in sites}
    removed = {r.name: r.removed for r in results}
    main, trash = settings.main, settings.var_dir / BUILD_CACHE_FOLDER / TRASH_FOLDER
    nested = [s for s in sites if not s.is_main and not plan[s.name].name.startswith(".")]
    patches = [
        Patch(settings.site_output(s), plan[s.name], removed[s.name])
        for s in sites
        if not s.is_main and s not in nested and removed[s.name] is not None
    ]
    main_patched = main.name in built and removed[main.name] is not None
    if main_patched:
        patches.append(Patch(settings.output_dir, plan[main.name], removed[main.name], PILOTS))
        patches += [Patch(settings.site_output(s), plan[s.name], removed[s.name]) for s in nested]
    install(patches, journal_of(settings.var_dir), trash)
    if main.name in built and not main_patched:
        for site in nested:
            if removed[site.name] is not None:
                carry_over(Patch(settings.site_output(site), plan[site.name], removed[site.name]))
        _carry_over_pilots(settings, built, plan[main.name])
        _swap_in(plan[main.name], settings.output_dir, trash)
    for site in sites:
        if not site.is_main and site not in nested and removed[site.name] is None:
            _swap_in(plan[site.name], settings.site_output(site), trash)

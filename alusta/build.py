"""Building every site with Pelican: validated first, in parallel, swapped in only on success.

Each site builds in its own process (Pelican keeps module-level state, and the machine
has cores to spare). Sites are written into staging folders beside their final place and
renamed into place only when every requested site built, so a failed build never leaves a
half-written output folder.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import shutil
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alusta.check import check_site
from alusta.db import connect
from alusta.errors import BuildError, ContentError
from alusta.manifest import update_manifest
from alusta.pelican_conf import pelican_settings
from alusta.send.state import record_build
from alusta.settings import Settings
from alusta.sites import Site

MAX_WORKERS = 2
LOG_LEVEL_COLLECTED = logging.WARNING


@dataclass
class SiteResult:
    """How one site's Pelican run went."""

    name: str
    output: Path
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    """What a build did: per-site results and the content problems it skipped."""

    sites: list[SiteResult]
    skipped: list[str] = field(default_factory=list)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=LOG_LEVEL_COLLECTED)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def run_pelican(name: str, conf: dict[str, Any]) -> SiteResult:
    """Build one site with Pelican in this process; errors are collected, not raised."""
    from pelican import Pelican  # noqa: PLC0415 - imported in the worker process only
    from pelican.settings import read_settings  # noqa: PLC0415

    result = SiteResult(name=name, output=Path(conf["OUTPUT_PATH"]))
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    started = time.perf_counter()
    try:  # Pelican prints a summary to stdout; the CLI says what was built itself
        with contextlib.redirect_stdout(io.StringIO()):
            Pelican(read_settings(None, override=conf)).run()
    except Exception as error:
        result.errors.append(f"{type(error).__name__}: {error}")
    finally:
        root.removeHandler(collector)
    result.seconds = time.perf_counter() - started
    for record in collector.records:
        target = result.errors if record.levelno >= logging.ERROR else result.warnings
        target.append(record.getMessage())
    return result


def _staging(final: Path) -> Path:
    return final.parent / f".{final.name}.new-{uuid.uuid4().hex[:8]}"


def _swap_in(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with two renames; the old tree is removed afterwards."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.parent / f".{final.name}.old-{uuid.uuid4().hex[:8]}"
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _validate(settings: Settings, sites: list[Site], keep_going: bool) -> list[str]:
    pilot_names = {s.name for s in settings.sites if not s.is_main}
    problems = [p for site in sites for p in check_site(site, pilot_names, links=False)[1]]
    if problems and not keep_going:
        raise ContentError([str(p) for p in problems])
    return [str(p) for p in problems]


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
            shutil.copytree(current, target)


def build_sites(
    settings: Settings,
    *,
    site_names: list[str] | None = None,
    keep_going: bool = False,
    workers: int = MAX_WORKERS,
) -> BuildReport:
    """Validate and build the chosen sites (all by default) into their output folders."""
    sites = [settings.site(n) for n in site_names] if site_names else list(settings.sites)
    skipped = _validate(settings, sites, keep_going)
    excluded = tuple(p.split(":", 1)[0] for p in skipped)
    plan = _plan(settings, sites)
    records = settings.var_dir / "builds" / uuid.uuid4().hex[:12]
    jobs = {
        s.name: pelican_settings(
            settings,
            s,
            plan[s.name],
            exclude_sources=excluded,
            published_record=records / f"{s.name}.json",
        )
        for s in sites
    }
    try:
        results = _run_all(jobs, workers)
        failed = [r for r in results if r.errors and not (keep_going and _only_skipped(r))]
        if failed:
            raise BuildError("\n".join(f"{r.name}: {e}" for r in failed for e in r.errors))
        _install(settings, sites, plan)
        record_published(settings, records, mark_gone=not excluded)
    finally:
        for staging in plan.values():
            if staging.name.startswith(".") and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(records, ignore_errors=True)
    update_manifest(settings, [s.name for s in sites])
    return BuildReport(sites=results, skipped=skipped)


def record_published(settings: Settings, records: Path, *, mark_gone: bool) -> None:
    """Record the posts each site published, once the new output is in place (sending state)."""
    connection = connect(settings.database_path)
    try:
        for record in sorted(records.glob("*.json")):
            posts = json.loads(record.read_text(encoding="utf-8"))
            record_build(connection, record.stem, posts, now=time.time(), mark_gone=mark_gone)
    finally:
        connection.close()


def _only_skipped(result: SiteResult) -> bool:
    """Under --keep-going, Pelican's complaints about the files we skipped are expected."""
    return all("Could not process" in e or "Skipping" in e for e in result.errors)


def _run_all(jobs: dict[str, dict[str, Any]], workers: int) -> list[SiteResult]:
    # Even one site builds in a child process: Pelican and its plugins keep module state.
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        futures = [pool.submit(run_pelican, name, conf) for name, conf in jobs.items()]
        return [f.result() for f in futures]


def _install(settings: Settings, sites: list[Site], plan: dict[str, Path]) -> None:
    built = {s.name for s in sites}
    main = settings.main
    if main.name in built:
        _carry_over_pilots(settings, built, plan[main.name])
        _swap_in(plan[main.name], settings.output_dir)
    for site in sites:
        if not site.is_main and plan[site.name].name.startswith("."):
            _swap_in(plan[site.name], settings.site_output(site))

"""The preview's builds: one long-lived process per site, each holding a SiteEngine.

Content is validated first (alusta.check, the same rules as `publish.py build`), so a broken
file is reported before anything is written and the last good pages stay served. The sites
a change affects are rebuilt in their processes at the same time.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from alusta.build import site_build, write_redirects
from alusta.build_record import Page, load_record, merged, write_record
from alusta.check import check_site
from alusta.errors import BuildError, ContentError
from alusta.pelican_conf import pelican_settings
from alusta.preview.record import PageStamps, run_pages
from alusta.preview.sources import SourceCache
from alusta.settings import Settings
from alusta.sites import Site

LOG_LEVEL_COLLECTED = logging.WARNING


@dataclass
class SiteRun:
    """How one site's preview run went (sent back from its process)."""

    name: str
    seconds: float = 0.0
    first_pass_seconds: float = 0.0  # the edited posts' own pages were written by then
    written: int = 0
    deleted: int = 0
    links_to: list[str] = field(default_factory=list)  # sites its `{site:…}` links name
    pages: tuple[Page, ...] = ()  # for serve's build record
    record_seconds: float = 0.0  # of `seconds`, listing the pages for the record
    warnings: list[str] = field(default_factory=list)
    error: str = ""


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=LOG_LEVEL_COLLECTED)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _site_loop(connection: Connection) -> None:
    """The body of a site's process: run the engine for each request until told to stop."""
    from alusta.preview.engine import SiteEngine  # noqa: PLC0415 - pelican in the child only

    engine, stamps = SiteEngine(), PageStamps()
    collector = _Collector()
    logging.getLogger().addHandler(collector)
    while (request := _next_request(connection)) is not None:
        name, conf, render_all, changed = request
        run, started = SiteRun(name=name), time.perf_counter()
        collector.messages.clear()
        try:
            _run(engine, stamps, run, conf, render_all=render_all, changed=changed)
        except Exception as error:
            run.error = f"{type(error).__name__}: {error}"
        run.seconds = time.perf_counter() - started
        run.warnings = list(collector.messages)
        connection.send(run)


def _next_request(connection: Connection) -> tuple | None:
    """The next build to run; None when told to stop or when serve is gone (its end of
    the pipe closed when it was stopped), so the process ends quietly either way."""
    try:
        return connection.recv()
    except (EOFError, KeyboardInterrupt):
        return None


def _run(
    engine: Any,
    stamps: PageStamps,
    run: SiteRun,
    conf: dict[str, Any],
    *,
    render_all: bool,
    changed: list[str],
) -> None:
    """One engine run, and the site's pages for serve's build record."""
    from alusta.preview.addresses import addresses_kept  # noqa: PLC0415 - pelican in the child

    report = engine.run(conf, render_all=render_all, changed=changed)
    run.written, run.deleted = len(report.written), len(report.deleted)
    run.first_pass_seconds = report.first_pass_seconds
    run.links_to = report.links_to
    started = time.perf_counter()
    with addresses_kept():  # the addresses the run worked out, not formatted again
        rewritten = {*report.written, *report.first_pass}
        run.pages = run_pages(stamps, conf, engine.last.generators, rewritten)
    run.record_seconds = time.perf_counter() - started


class SiteProcess:
    """One site's engine process and the pipe to it."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # no threads of serve in the child
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_site_loop, args=(child,), daemon=True)
        self.process.start()

    def send(self, name: str, conf: dict[str, Any], render_all: bool, changed: list[str]) -> None:
        self.connection.send((name, conf, render_all, changed))

    def receive(self) -> SiteRun:
        self.last: SiteRun = self.connection.recv()
        return self.last

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()


class PreviewBuilder:
    """Keeps a process per site and rebuilds the sites a change affects."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.processes: dict[str, SiteProcess] = {}
        self.sources = SourceCache()
        self.validation_seconds = 0.0  # of the last build

    def validate(self, site_names: list[str], changed: Iterable[Path] = ()) -> None:
        """The checks `publish.py build` makes; ContentError lists what is wrong."""
        pilot_names = {s.name for s in self.settings.sites if not s.is_main}
        self.sources.forget(changed)
        problems = []
        for site in [self.settings.site(name) for name in site_names]:
            sources = self.sources.sources(site)
            problems += check_site(site, pilot_names, links=False, sources=sources)[1]
        if problems:
            raise ContentError([str(p) for p in problems])

    def build(
        self, site_names: list[str], *, render_all: bool = False, changed: Iterable[Path] = ()
    ) -> list[SiteRun]:
        """Validate, then run each site's engine; ContentError/BuildError when it fails.

        `changed`: the files saved since the last build (the engines re-read just those).
        """
        settings = self.settings
        changed = list(changed)
        started = time.perf_counter()
        self.validate(site_names, changed)
        self.validation_seconds = time.perf_counter() - started
        sites = [settings.site(name) for name in site_names]
        saved = [str(path) for path in changed]
        for site in sites:
            conf = pelican_settings(settings, site, settings.site_output(site))
            self._process(site.name).send(site.name, conf, render_all, saved)
        runs = [self.processes[site.name].receive() for site in sites]
        failed = [f"{run.name}: {run.error}" for run in runs if run.error]
        if failed:
            raise BuildError("\n".join(failed))
        self._record(sites, runs)
        return runs

    def _record(self, sites: list[Site], runs: list[SiteRun]) -> None:
        """Serve's build record and old-address pages, as `publish.py build` writes its own.

        Never the production state: no `published_posts`, nothing outside var/serve/.
        """
        settings = self.settings
        write_redirects(settings, sites, {s.name: settings.site_output(s) for s in sites})
        built = [site_build(settings, run.name, run.pages, complete=True) for run in runs]
        write_record(settings.var_dir, merged(load_record(settings.var_dir), built))

    def with_linking_sites(self, names: list[str]) -> list[str]:
        """`names` and the sites whose `{site:…}` links point into them, in settings order."""
        wanted = set(names)
        for name, process in self.processes.items():
            last = getattr(process, "last", None)
            if last is not None and wanted.intersection(last.links_to):
                wanted.add(name)
        return [site.name for site in self.settings.sites if site.name in wanted]

    def _process(self, name: str) -> SiteProcess:
        if name not in self.processes or not self.processes[name].process.is_alive():
            self.processes[name] = SiteProcess()
        return self.processes[name]

    def restart(self, settings: Settings) -> None:
        """New settings or plugin code: start every site's process afresh."""
        self.close()
        self.settings = settings

    def close(self) -> None:
        for process in self.processes.values():
            process.stop()
        self.processes.clear()

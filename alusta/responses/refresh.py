"""Refresh without a rebuild: re-render the responses of a few pages in the built output.

For each page, the fragment between its markers is rendered again (render.py, the same
function the build uses) from the approved mentions and the pages the build record lists
(var/build.json), and spliced into the existing HTML file, which is replaced atomically. Pages
are found by the normalised URL of a mention's target; `refresh_changed` finds the pages
whose shown digest (in the start marker) differs from what the store holds now.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alusta.build_record import BuildRecord, load_record, record_path
from alusta.files import atomic_write
from alusta.models import Mention
from alusta.responses.avatars import AvatarCache
from alusta.responses.model import Response, Responses, by_target, group_responses
from alusta.responses.pages import IndexMissing, PageRecord, SiteIndex, site_index
from alusta.responses.render import (
    FragmentContext,
    FragmentRenderer,
    MarkersMissing,
    shown_digest,
    splice,
)
from alusta.responses.sources import MentionSource
from alusta.settings import Settings
from alusta.urls import NotHttpURL, normalize_url

log = logging.getLogger("alusta.responses")

AVATAR_CACHE_FOLDER = "avatars"
LOCK_FILE = "refresh.lock"


@dataclass
class RefreshReport:
    """Which pages were rewritten, which were already current, what could not be done."""

    refreshed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    written: dict[str, set[str]] = field(default_factory=dict)  # site -> files in its output


class Refresher:
    """Everything a refresh needs, made once (the endpoint keeps one for its lifetime)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.renderer = FragmentRenderer(settings.theme_dir)
        self.avatars = AvatarCache(
            settings.var_dir / AVATAR_CACHE_FOLDER, allow_private=settings.allow_private_addresses
        )
        self.source = MentionSource(
            settings.database_path, settings.mentions_url, settings.allow_private_addresses
        )
        self._thread_lock = threading.Lock()
        self._record: tuple[int | None, BuildRecord] = (None, BuildRecord())
        self._indexes: dict[str, SiteIndex] = {}

    def indexes(self, site_names: list[str] | None = None) -> list[SiteIndex]:
        """The pages of the chosen sites (all by default) that were built."""
        names = site_names or [s.name for s in self.settings.sites]
        record = self.record()
        found = []
        for name in names:
            try:
                if name not in self._indexes:
                    self._indexes[name] = site_index(record, name, self.renderer.catalogs)
                found.append(self._indexes[name])
            except IndexMissing as error:
                if site_names:
                    raise
                log.info("refresh: %s", error)
        return found

    def record(self) -> BuildRecord:
        """The build record, read again (with its page indexes) only when a build rewrote it."""
        try:
            stamp = record_path(self.settings.var_dir).stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if stamp is None or stamp != self._record[0]:
            self._record = (stamp, load_record(self.settings.var_dir))
            self._indexes = {}
        return self._record[1]

    def output_dir(self, index: SiteIndex) -> Path:
        """Where the site's last build was installed (the record says; else the settings)."""
        if index.output:
            return Path(index.output)
        return self.settings.site_output(self.settings.site(index.site))

    def refresh_targets(self, targets: list[str]) -> RefreshReport:
        """Re-render the pages these URLs (any spelling) point at."""
        report = RefreshReport()
        indexes = self.indexes()
        for target in targets:
            try:
                key = normalize_url(target)
            except NotHttpURL as error:
                report.problems.append(str(error))
                continue
            index = next((i for i in indexes if key in i.pages), None)
            if index is None:
                report.problems.append(f"{target}: not a page of the last build")
                continue
            output = self.output_dir(index)
            with self._locked():  # read and write as one step: a newer refresh may be waiting
                responses = self.source.responses(site=index.site, target=target)
                self._refresh_page(index, index.pages[key], responses, output, report, force=True)
        return report

    def refresh_changed(
        self, site_names: list[str] | None = None, *, force: bool = False
    ) -> RefreshReport:
        """Re-render every page whose shown responses differ from the store's (or all)."""
        report = RefreshReport()
        for index in self.indexes(site_names):
            output = self.output_dir(index)
            with self._locked():
                keyed = by_target(self.source.responses(site=index.site))
                for key, page in index.pages.items():
                    self._refresh_page(index, page, keyed.get(key, []), output, report, force=force)
        return report

    def _refresh_page(
        self,
        index: SiteIndex,
        page: PageRecord,
        responses: list[Response],
        output: Path,
        report: RefreshReport,
        *,
        force: bool,
    ) -> None:
        """Rewrite one page's responses; the caller holds the lock since it read them."""
        path = output / page.path
        grouped = group_responses(page.url, responses)
        try:
            html = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            report.problems.append(f"{page.url}: {path} is missing; rebuild")
            return
        if not force and shown_digest(html) == grouped.digest:
            report.unchanged.append(page.url)
            return
        fragment, avatars = self.render(index, page, grouped, output)
        try:
            updated = splice(html, fragment)
        except MarkersMissing as error:
            report.problems.append(f"{page.url}: {error}")
            return
        if updated != html:
            atomic_write(path, updated)
            report.refreshed.append(page.url)
            report.written.setdefault(index.site, set()).update([page.path, *avatars])
        else:
            report.unchanged.append(page.url)

    def render(
        self, index: SiteIndex, page: PageRecord, grouped: Responses, output: Path
    ) -> tuple[str, list[str]]:
        """The marked fragment of one page and the avatar files it shows (published first)."""
        photos = {r.author_photo for r in grouped.all() if r.author_photo}
        self.avatars.fetch_missing(photos)
        published = {p: self.avatars.publish(p, output) for p in photos}
        context = FragmentContext(
            url=page.url,
            lang=page.lang,
            siteurl=index.siteurl,
            endpoint_url=index.endpoint_url,
            avatars={p: path for p, path in published.items() if path},
        )
        return self.renderer.render(grouped, context), sorted(context.avatars.values())

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One refresh reads the store and writes its pages at a time, across threads and
        processes, so an older read never lands over a newer one."""
        lock_path = self.settings.var_dir / LOCK_FILE
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def page_refresher(settings: Settings) -> Callable[[Mention], None]:
    """The endpoint's approval hook: refresh the page a changed mention points at.

    The worker calls it in a thread after the commit (alusta.endpoint.worker).
    """
    refresher = Refresher(settings)

    def on_approved(mention: Mention) -> None:
        report = refresher.refresh_targets([mention.target])
        for problem in report.problems:
            log.warning("refresh: %s", problem)

    return on_approved


def refresher_if_built(settings: Settings) -> Callable[[Mention], None] | None:
    """The approval hook for `publish.py endpoint`: only when a build of this project left
    its record in var/ (the endpoint then runs beside the output folder it updates)."""
    if load_record(settings.var_dir).sites:
        return page_refresher(settings)
    return None

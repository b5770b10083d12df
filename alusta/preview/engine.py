"""One site's Pelican kept alive between rebuilds: re-read changed files, re-render what shows them.

Pelican rebuilds everything on every run (16 s at 5,000 posts). Here the parsed posts stay in
memory (Pelican's own content cache, kept in this process instead of a pickle), so a run
re-reads only the files that changed: those the caller names (the watcher saw them saved;
every other file is then compared by its modification time and size), or, when the caller
cannot say, every file whose SHA-1 differs. The context (lists, categories, tags, feeds) is
then rebuilt from those objects exactly as a full run builds it, and alusta.preview.writer
renders an output only when the content objects it shows differ from the last run's.
Before all that, the edited posts' own pages are rendered against the last run's context
(alusta.preview.first_pass), so the open tab can reload in a fraction of the run.

Runs in its own process (Pelican keeps module state); alusta.preview.worker drives it.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from pelican import Pelican, signals
from pelican.contents import Content
from pelican.generators import CachingGenerator
from pelican.settings import read_settings

from alusta.cross_site import LINKS_ATTRIBUTE
from alusta.preview.addresses import addresses_kept
from alusta.preview.first_pass import SOURCE_SUFFIXES, LastRun, render_first
from alusta.preview.listings import quick
from alusta.preview.writer import KeyMaker, RunReport, SelectiveWriter, settle_keys

log = logging.getLogger(__name__)
# Every list of content objects Pelican's article and page generators keep.
CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)

__all__ = ["RunReport", "SiteEngine"]


def _stat_stamp(path: str) -> tuple[int, int]:
    """A file's modification time and size: enough once saved files are named by the caller."""
    stat = Path(path).stat()
    return stat.st_mtime_ns, stat.st_size


class SiteEngine:
    """A site's Pelican between runs: its parsed content, and what each output showed."""

    def __init__(self) -> None:
        self.caches: dict[str, dict] = {}
        self.keys: dict[str, bytes] = {}
        self.conf: dict[str, Any] | None = None
        self.last: LastRun | None = None
        self.templates = CompiledTemplates()
        self.unsettled: dict[str, KeyMaker] = {}  # keys a run rendering all left to make
        self.keys_later = False  # True: `settle` is called by whoever needs them (a cache)

    def run(
        self,
        conf: dict[str, Any],
        *,
        render_all: bool = False,
        changed: Collection[str | os.PathLike] | None = None,
    ) -> RunReport:
        """One build: re-read changed files; render what changed (everything when asked).

        `changed`: the files saved since the last run, when the caller knows them (the
        preview's watcher); None compares every file's contents instead.
        """
        started = time.perf_counter()
        render_all = render_all or conf != self.conf
        settings = read_settings(None, override={**conf, "CHECK_MODIFIED_METHOD": "sha1"})
        first: list[str] = []
        if changed and not render_all and self.last is not None:
            first = render_first(self.last, [Path(p) for p in changed])
        first_seconds = time.perf_counter() - started
        self.conf, self.last = conf, None
        settings["JINJA_ENVIRONMENT"] = {
            **settings["JINJA_ENVIRONMENT"],
            "bytecode_cache": self.templates,
        }
        pelican = Pelican(settings)
        before = set(self.keys)
        writer = SelectiveWriter(pelican.output_path, settings, self.keys, render_all=render_all)
        with addresses_kept():
            context, generators = self._generate_context(pelican, settings, changed)
            signals.all_generators_finalized.send(generators)
            for generator in generators:
                if hasattr(generator, "generate_output"):
                    generator.generate_output(writer)
            signals.finalized.send(pelican)
        self.unsettled = writer.unsettled
        if not self.keys_later:
            self.settle()
        report = writer.report
        report.deleted = self._delete(before - set(writer.new_keys), pelican.output_path)
        report.first_pass_seconds, report.first_pass = first_seconds, first
        report.links_to = _links_to(generators)
        self.last = LastRun(context, generators)
        return report

    def settle(self) -> None:
        """Make every output's key the last run left for later (it rendered everything)."""
        settle_keys(self.keys, self.unsettled)

    def _delete(self, gone: set[str], output_path: str) -> list[str]:
        """Remove the outputs this run no longer produces."""
        for name in sorted(gone):
            self.keys.pop(name, None)
            (Path(output_path) / name).unlink(missing_ok=True)
        return sorted(gone)

    def _generate_context(
        self, pelican: Pelican, settings: dict, changed: Collection[str | os.PathLike] | None
    ) -> tuple[dict, list]:
        context = settings.copy()
        context.update(
            generated_content={},
            static_links=set(),
            static_content={},
            localsiteurl=settings["SITEURL"],
        )
        generators = [
            quick(cls)(
                context=context,
                settings=settings,
                path=pelican.path,
                theme=pelican.theme,
                output_path=pelican.output_path,
            )
            for cls in pelican._get_generator_classes()
        ]
        for generator in generators:
            if isinstance(generator, CachingGenerator):
                self._use_cache(generator, changed)
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
        _forget_rendered_content(context)
        return context, generators

    def _use_cache(
        self, generator: CachingGenerator, changed: Collection[str | os.PathLike] | None
    ) -> None:
        """Give the generator this process's cache of its parsed files, minus what changed."""
        cache = self.caches.setdefault(type(generator).__name__, {})
        generator._cache = cache
        generator._cache_data_policy = True
        generator.save_cache = _nothing  # kept in memory, never pickled
        generator.readers.save_cache = _nothing
        for name, (_stamp, item) in list(cache.items()):
            if getattr(item, LINKS_ATTRIBUTE, None):
                del cache[name]  # links to another site, which may have changed since
        if changed is None:
            return
        generator._filestamp_func = _stat_stamp
        base = Path(generator.path).resolve()
        paths = [Path(p).resolve() for p in changed]
        if any(p.is_relative_to(base) and p.suffix.lower() not in SOURCE_SUFFIXES for p in paths):
            cache.clear()  # an image or other file a post shows: read every post again
        for path in paths:
            if path.is_relative_to(base):
                cache.pop(os.path.relpath(path, base), None)


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates kept between runs (a new Pelican compiles them again).

    Jinja checks each template's source checksum, so an edited template is compiled anew.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _links_to(generators: list) -> list[str]:
    """The other sites this site's content links to with `{site:…}` references."""
    names: set[str] = set()
    for generator in generators:
        for name in CONTENT_LISTS:
            for item in getattr(generator, name, None) or []:
                names.update(getattr(item, LINKS_ATTRIBUTE, None) or ())
    return sorted(names)


def _nothing(*_args: object, **_kwargs: object) -> None:
    return None


def _forget_rendered_content(context: dict) -> None:
    """Reused objects render their links against this run's context, not a past one's."""
    memo = Content.__dict__["get_content"]
    getattr(memo, "cache", {}).clear()
    for item in context["generated_content"].values():
        if item is not None:  # Pelican's mark of a file it could not read
            item._context = context

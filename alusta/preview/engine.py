"""One site's Pelican kept alive between rebuilds: re-read changed files, re-render what shows them.

Pelican rebuilds everything on every run (16 s at 5,000 posts). Here the parsed posts stay in
memory (Pelican's own content cache, kept in this process instead of a pickle), so a run
re-reads only files whose modification stamp changed. The context (lists, categories, tags,
feeds) is then rebuilt from those objects exactly as a full run builds it, and the writer
renders an output only when the content objects it shows differ from the last run's: each
object gets a serial number when first seen, and an edited file is a new object. Files whose
bytes did not change are not rewritten; outputs the new run no longer produces are deleted.

Runs in its own process (Pelican keeps module state); alusta.preview.worker drives it.
"""

from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican, signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, CachingGenerator, PagesGenerator
from pelican.settings import read_settings
from pelican.writers import Writer

log = logging.getLogger(__name__)
SERIAL_ATTRIBUTE = "_alusta_serial"
SEEN_ATTRIBUTE = "_alusta_seen"
OPTIONAL_ARGUMENTS = ("all_articles",)
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
_serials = itertools.count(1)  # per worker process: serials only need to be unique in it


def _serial(item: object) -> int:
    """The serial number of a content object, given on first sight (an edit is a new object)."""
    serial = getattr(item, SERIAL_ATTRIBUTE, None)
    if serial is None:
        serial = next(_serials)
        setattr(item, SERIAL_ATTRIBUTE, serial)
    return serial


def _linked(item: Content) -> tuple[int, ...]:
    """Serials of the content objects a post links to through its attributes.

    Its translations, and whatever plugins attach (the previous and next post): a neighbour
    with a new title is a new object, so the post's page is rendered again.
    """
    linked: list[int] = []
    for value in vars(item).values():
        if isinstance(value, Content):
            linked.append(_serial(value))
        elif isinstance(value, list | tuple) and value and isinstance(value[0], Content):
            linked.extend(_serial(v) for v in value)
    return tuple(linked)


def unused_arguments(theme: Path) -> frozenset[str]:
    """Template arguments Pelican passes that no template of `theme` reads.

    Pelican hands every tag, category and author page `all_articles`; a theme that never
    reads it must not see every such page re-rendered whenever any post changes.
    """
    texts = [p.read_text(encoding="utf-8") for p in (theme / "templates").rglob("*.html")]
    return frozenset(name for name in OPTIONAL_ARGUMENTS if not any(name in t for t in texts))


def _key(kwargs: dict[str, Any], extra: tuple = (), ignored: frozenset[str] = frozenset()) -> tuple:
    """What an output shows: the serials of every content object handed to its template."""
    parts: list[object] = list(extra)
    for name in sorted(kwargs.keys() - ignored):
        value = kwargs[name]
        if isinstance(value, Content):
            parts.append((name, _serial(value), *_linked(value)))
        elif isinstance(value, list | tuple) and value and isinstance(value[0], Content):
            parts.append((name, *(_serial(v) for v in value)))
        elif isinstance(value, str | int | float | bool) or value is None:
            parts.append((name, value))
        else:
            parts.append((name, str(value)))
    return tuple(parts)


@dataclass
class RunReport:
    """What one run wrote and removed (paths relative to the output folder)."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    deleted: list[str] = field(default_factory=list)
    first_pass_seconds: float = 0.0  # until the edited posts' own pages were written


class SelectiveWriter(Writer):
    """Pelican's Writer that renders an output only when what it shows changed.

    `keys` maps each output name to the key it had in the last run; `first` names the outputs
    rendered in the first pass (the changed posts' own pages) so a reload can come early.
    """

    def __init__(
        self, output_path: str, settings: dict, keys: dict[str, tuple], *, render_all: bool
    ) -> None:
        super().__init__(output_path, settings=settings)
        self.keys, self.render_all = keys, render_all
        self.ignored = unused_arguments(Path(settings["THEME"]))
        self.new_keys: dict[str, tuple] = {}
        self.report = RunReport()
        self.only: set[int] | None = None  # serials of the posts of the first pass

    def write_file(  # noqa: PLR0917 - Pelican's own signature
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        if not name:
            return
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            self._write_paginated(
                name,
                template,
                context,
                paginated,
                template_name=template_name,
                url=url,
                kwargs=kwargs,
            )
        else:
            self._write_one(name, template, context, kwargs, _key(kwargs, (), self.ignored))

    def _write_paginated(self, name, template, context, paginated, *, template_name, url, kwargs):
        from pelican.paginator import Paginator  # noqa: PLC0415

        per_page = (
            self.settings["PAGINATED_TEMPLATES"][template_name]
            or self.settings["DEFAULT_PAGINATION"]
        )
        paginators = {
            k: Paginator(name, url, v, self.settings, per_page) for k, v in paginated.items()
        }
        pages = next(iter(paginators.values())).num_pages
        rest = {k: v for k, v in kwargs.items() if k not in paginated}
        for number in range(pages):
            page_kwargs = dict(kwargs)
            shown: list[object] = [number, pages]
            for key, paginator in paginators.items():
                page = paginator.page(number + 1)
                page_kwargs.update(
                    {
                        f"{key}_paginator": paginator,
                        f"{key}_page": page,
                        f"{key}_previous_page": paginator.page(number) if number > 0 else None,
                        f"{key}_next_page": (
                            paginator.page(number + 2) if number + 1 < pages else None
                        ),
                    }
                )
                shown.append((key, *(_serial(a) for a in page.object_list)))
            self._write_one(
                page.save_as, template, context, page_kwargs, _key(rest, tuple(shown), self.ignored)
            )

    def _write_one(self, name, template, context, kwargs, key) -> None:
        self.new_keys[name] = key
        if self.only is not None:
            item = kwargs.get("article") or kwargs.get("page")
            if item is None or _serial(item) not in self.only:
                return
        elif not self.render_all and self.keys.get(name) == key:
            self.report.skipped += 1
            return
        self.keys[name] = key
        local = context.copy()
        local["localsiteurl"] = local.get("localsiteurl")
        local["output_file"] = name
        local.update(kwargs)
        self._save(name, template.render(local))
        signals.content_written.send(str(Path(self.output_path) / name), context=local)

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", **kwargs):
        if not path or self.only is not None:
            return None
        key = ("feed", feed_type, url, *(_serial(e) for e in elements))
        self.new_keys[path] = key
        if not self.render_all and self.keys.get(path) == key:
            self.report.skipped += 1
            return None
        self.keys[path] = key
        return super().write_feed(elements, context, path, url, feed_type, **kwargs)

    def _save(self, name: str, text: str) -> None:
        """Write `text` unless the file already holds exactly these bytes."""
        path = Path(self.output_path) / name
        data = text.encode("utf-8")
        try:
            if path.read_bytes() == data:
                self.report.unchanged += 1
                return
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.report.written.append(name)


class SiteEngine:
    """A site's Pelican between runs: its parsed content, and what each output showed."""

    def __init__(self) -> None:
        self.caches: dict[str, dict] = {}
        self.keys: dict[str, tuple] = {}
        self.conf: dict[str, Any] | None = None

    def run(self, conf: dict[str, Any], *, render_all: bool = False) -> RunReport:
        """One build: re-read changed files; render what changed (everything when asked)."""
        started = time.perf_counter()
        render_all = render_all or conf != self.conf
        self.conf = conf
        # A file saved twice within the clock's tick keeps its mtime: compare contents instead.
        settings = read_settings(None, override={**conf, "CHECK_MODIFIED_METHOD": "sha1"})
        pelican = Pelican(settings)
        context, generators = self._generate_context(pelican, settings)
        before = set(self.keys)
        writer = SelectiveWriter(pelican.output_path, settings, self.keys, render_all=render_all)
        changed = self._changed(generators)
        if changed and not render_all:  # first pass: the edited posts' own pages
            writer.only = changed
            for generator in generators:
                if isinstance(generator, ArticlesGenerator | PagesGenerator):
                    generator.generate_output(writer)
            writer.only = None
        writer.report.first_pass_seconds = time.perf_counter() - started
        for generator in generators:
            if hasattr(generator, "generate_output"):
                generator.generate_output(writer)
        signals.finalized.send(pelican)
        gone = before - set(writer.new_keys)
        for name in sorted(gone):
            self.keys.pop(name, None)
            (Path(pelican.output_path) / name).unlink(missing_ok=True)
        writer.report.deleted = sorted(gone)
        del context
        return writer.report

    def _generate_context(self, pelican: Pelican, settings: dict) -> tuple[dict, list]:
        context = settings.copy()
        context.update(
            generated_content={},
            static_links=set(),
            static_content={},
            localsiteurl=settings["SITEURL"],
        )
        generators = [
            cls(
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
                generator._cache = self.caches.setdefault(type(generator).__name__, {})
                generator._cache_data_policy = True
                generator.save_cache = _nothing  # kept in memory, never pickled
                generator.readers.save_cache = _nothing
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
        _forget_rendered_content(context)
        signals.all_generators_finalized.send(generators)
        return context, generators

    def _changed(self, generators: list) -> set[int]:
        """Serials of the content objects read in this run (new or edited files)."""
        changed = set()
        for generator in generators:
            for name in CONTENT_LISTS:
                for item in getattr(generator, name, None) or []:
                    if not getattr(item, SEEN_ATTRIBUTE, False):
                        setattr(item, SEEN_ATTRIBUTE, True)
                        changed.add(_serial(item))
        return changed


def _nothing(*_args: object, **_kwargs: object) -> None:
    return None


def _forget_rendered_content(context: dict) -> None:
    """Reused objects render their links against this run's context, not a past one's."""
    memo = Content.__dict__["get_content"]
    getattr(memo, "cache", {}).clear()
    for item in context["generated_content"].values():
        item._context = context

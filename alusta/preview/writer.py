"""Pelican's writer for the preview: an output is rendered only when what it shows changed.

Each content object gets a serial number when first seen, and an edited file is a new
object, so an output's key (the serials of every object handed to its template) changes
exactly when it would show something else. Files whose bytes did not change are not
rewritten. A run that renders everything needs no key to decide, so it only notes how to
make each one (`settle_keys` makes them, after the run or in the process saving a cache).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Content
from pelican.writers import FileOverwriteFailedError, Writer

SERIAL_ATTRIBUTE = "_alusta_serial"
OPTIONAL_ARGUMENTS = ("all_articles",)
# What plugins attach to a content object after reading it that its own page shows: the
# same object with another responses fragment must be rendered again.
SHOWN_ATTRIBUTES = ("alusta_responses_html",)


class _Serials:
    """Serial numbers unique in a worker process, or across builds when a cache keeps them."""

    def __init__(self) -> None:
        self.last = 0

    def issue(self) -> int:
        self.last += 1
        return self.last

    def continue_after(self, last: int) -> None:
        """Objects loaded from a build cache carry serials up to `last`; new ones come after."""
        self.last = max(self.last, last)


serials = _Serials()


def serial(item: object) -> int:
    """The serial number of a content object, given on first sight (an edit is a new object)."""
    serial = getattr(item, SERIAL_ATTRIBUTE, None)
    if serial is None:
        serial = serials.issue()
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
            linked.append(serial(value))
        elif isinstance(value, list | tuple) and value and isinstance(value[0], Content):
            linked.extend(serial(v) for v in value)
    return tuple(linked)


def unused_arguments(theme: Path) -> frozenset[str]:
    """Template arguments Pelican passes that no template of `theme` reads.

    Pelican hands every tag, category and author page `all_articles`; a theme that never
    reads it must not see every such page re-rendered whenever any post changes.
    """
    texts = [p.read_text(encoding="utf-8") for p in (theme / "templates").rglob("*.html")]
    return frozenset(name for name in OPTIONAL_ARGUMENTS if not any(name in t for t in texts))


def _serials_of(shown: list[tuple]) -> list[tuple]:
    """A paginated page's lists of posts as (argument, serial, serial, …)."""
    return [(name, *(serial(item) for item in items)) for name, items in shown]


def _key(kwargs: dict[str, Any], extra: tuple = (), ignored: frozenset[str] = frozenset()) -> tuple:
    """What an output shows: the serials of every content object handed to its template."""
    parts: list[object] = list(extra)
    for name in sorted(kwargs.keys() - ignored):
        value = kwargs[name]
        if isinstance(value, Content):
            shown = tuple(getattr(value, a, None) for a in SHOWN_ATTRIBUTES)
            parts.append((name, serial(value), *_linked(value), shown))
        elif isinstance(value, list | tuple) and value and isinstance(value[0], Content):
            parts.append((name, *(serial(v) for v in value)))
        elif isinstance(value, str | int | float | bool) or value is None:
            parts.append((name, value))
        else:
            parts.append((name, str(value)))
    return tuple(parts)


def digest(key: tuple) -> bytes:
    """A key in 16 bytes: a feed's key names every post, and the build cache keeps 9,000 keys."""
    return hashlib.blake2b(repr(key).encode(), digest_size=16).digest()


KeyMaker = Callable[[], tuple]


def settle_keys(keys: dict[str, bytes], makers: dict[str, KeyMaker]) -> None:
    """Make the keys a run that rendered everything left for later (see SelectiveWriter)."""
    for name, make in makers.items():
        keys[name] = digest(make())
    makers.clear()


def _frozen(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Template arguments as they are now: lists copied, for a key made after the run."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}


@dataclass
class RunReport:
    """What one run wrote and removed (paths relative to the output folder)."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    deleted: list[str] = field(default_factory=list)
    first_pass_seconds: float = 0.0  # until the edited posts' own pages were written
    first_pass: list[str] = field(default_factory=list)  # those pages
    links_to: list[str] = field(default_factory=list)  # sites named by `{site:…}` links


class SelectiveWriter(Writer):
    """Pelican's Writer that renders an output only when what it shows changed.

    `keys` maps each output name to the key it had in the last run (updated as it renders).
    When it renders everything, no key is compared: `unsettled` holds how to make each
    output's key, and `settle_keys` puts them in `keys`.
    """

    def __init__(
        self, output_path: str, settings: dict, keys: dict[str, bytes], *, render_all: bool
    ) -> None:
        super().__init__(output_path, settings=settings)
        self.keys, self.render_all = keys, render_all
        self.ignored = unused_arguments(Path(settings["THEME"]))
        self.new_keys: dict[str, bytes] = {}
        self.unsettled: dict[str, KeyMaker] = {}
        self.report = RunReport()
        self.claimed: set[str] = set()  # outputs of this run: two at one name is an error

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
        self._claim(name, override=override_output)
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
            frozen, ignored = _frozen(kwargs), self.ignored
            self._write_one(name, template, context, kwargs, lambda: _key(frozen, (), ignored))

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
        rest = _frozen({k: v for k, v in kwargs.items() if k not in paginated})
        ignored = self.ignored
        for number in range(pages):
            page_kwargs = dict(kwargs)
            shown: list[tuple] = []
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
                shown.append((key, tuple(page.object_list)))
            self._write_one(
                page.save_as,
                template,
                context,
                page_kwargs,
                lambda shown=shown, number=number: _key(
                    rest, (number, pages, *_serials_of(shown)), ignored
                ),
            )

    def _claim(self, name: str, *, override: bool) -> None:
        """Pelican refuses to write one output twice in a run (two posts, one address)."""
        name = os.path.normpath(name)
        if name in self.claimed and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{Path(self.output_path) / name}" as Pelican has '
                "already written to it previously (set `override=True` if intended)"
            )
        self.claimed.add(name)

    def _write_one(self, name, template, context, kwargs, make_key: KeyMaker) -> None:
        if self._unchanged(name, make_key):
            return
        local = context.copy()
        local["localsiteurl"] = local.get("localsiteurl")
        local["output_file"] = name
        local.update(kwargs)
        self._save(name, template.render(local))
        signals.content_written.send(str(Path(self.output_path) / name), context=local)

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", **kwargs):
        if not path:
            return None
        self._claim(path, override=False)
        # Pelican writes the newest FEED_MAX_ITEMS: an edit of an older post leaves the feed.
        shown = tuple(elements[: self.settings["FEED_MAX_ITEMS"]])
        options = tuple(sorted(kwargs.items()))
        if self._unchanged(
            path, lambda: ("feed", feed_type, url, *options, *(serial(e) for e in shown))
        ):
            return None
        return super().write_feed(elements, context, path, url, feed_type, **kwargs)

    def _unchanged(self, name: str, make_key: KeyMaker) -> bool:
        """Whether `name` shows what it showed in the last run (never, when rendering all)."""
        if self.render_all:
            self.new_keys[name] = b""  # made by settle_keys
            self.unsettled[name] = make_key
            return False
        key = self.new_keys[name] = digest(make_key())
        if self.keys.get(name) == key:
            self.report.skipped += 1
            return True
        self.keys[name] = key
        return False

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

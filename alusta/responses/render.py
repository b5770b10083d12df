"""Rendering the responses fragment, the one way both the build and a refresh do it.

The fragment is `theme/templates/partials/responses.html` rendered on its own, with
autoescaping on and only the context `FragmentContext` describes, wrapped in two HTML
comments that mark it in the written page. Because the build and `refresh` call the same
function with the same context, a page refreshed alone gets the bytes a rebuild gives it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from alusta.errors import AlustaError
from alusta.i18n.catalogs import available_languages, load_translations
from alusta.i18n.formats import local_date
from alusta.responses.avatars import Placeholder, placeholder
from alusta.responses.model import Response, Responses
from alusta.times import parse_iso

TEMPLATE = "partials/responses.html"
START = "<!--alusta:responses:start"
START_PATTERN = re.compile(r"<!--alusta:responses:start ([0-9a-f]*)-->")
END = "<!--alusta:responses:end-->"
DEFAULT_LANG = "fi"


class MarkersMissing(AlustaError):
    """The page has no responses markers (built before responses existed): rebuild it."""


@dataclass(frozen=True)
class Avatar:
    """An author's picture: a file on our site, or a placeholder drawn inline."""

    src: str = ""
    placeholder: Placeholder | None = None


@dataclass(frozen=True)
class FragmentContext:
    """Everything the responses fragment of one page depends on (saved by the build)."""

    url: str  # the page's canonical URL: the reply form's target
    lang: str  # UI language of the page (its own, else the site's)
    siteurl: str
    endpoint_url: str
    avatars: dict[str, str] = field(default_factory=dict)  # photo URL -> path on the site


class FragmentRenderer:
    """A Jinja environment over the theme's templates with its gettext catalogs."""

    def __init__(self, theme_dir: Path) -> None:
        translations = theme_dir / "translations"
        self.theme_dir = theme_dir
        self.catalogs = {
            lang: load_translations(translations, lang)
            for lang in available_languages(translations)
        }
        self.env = Environment(
            loader=FileSystemLoader(str(theme_dir / "templates")),
            autoescape=True,  # everything a sender wrote is escaped unless marked safe
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
            keep_trailing_newline=False,
        )
        self.env.install_gettext_callables(  # type: ignore[attr-defined]
            pass_context(lambda c, m: self._catalog(c).gettext(m)),
            pass_context(lambda c, s, p, n: self._catalog(c).ngettext(s, p, n)),
            newstyle=True,
        )
        self.env.filters["localdate"] = pass_context(
            lambda c, v, form="long": _local_date(v, c.get("lang", DEFAULT_LANG), form)
        )
        self.env.filters["isodate"] = lambda v: v.isoformat() if hasattr(v, "isoformat") else v

    @cached_property
    def fingerprint(self) -> str:
        """What the fragments rendered here depend on besides their context (see the build)."""
        return theme_fingerprint(self.theme_dir)

    def _catalog(self, context: Context) -> NullTranslations:
        return self.catalogs.get(context.get("lang", DEFAULT_LANG), NullTranslations())

    def render(self, responses: Responses, context: FragmentContext) -> str:
        """The marked fragment for one page."""

        def avatar(response: Response) -> Avatar:
            path = context.avatars.get(response.author_photo)
            if path:
                return Avatar(src=f"{context.siteurl}/{path}")
            return Avatar(placeholder=placeholder(response.display_name))

        body = self.env.get_template(TEMPLATE).render(
            responses=responses,
            lang=context.lang,
            target_url=context.url,
            siteurl=context.siteurl,
            endpoint_url=context.endpoint_url,
            avatar=avatar,
            parse_time=parse_iso,
        )
        return f"{START} {responses.digest}-->{body.strip()}{END}"


def theme_fingerprint(theme_dir: Path) -> str:
    """A hash of the theme's templates and catalogues: a fragment rendered under another
    fingerprint may read differently."""
    digest = hashlib.sha256()
    for folder in (theme_dir / "templates", theme_dir / "translations"):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                digest.update(path.relative_to(theme_dir).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _local_date(value: Any, lang: str, form: str) -> str:
    return local_date(value, lang, form=form) if isinstance(value, date) else str(value)


def shown_digest(page: str) -> str | None:
    """The digest in a written page's start marker; None when the page has no markers."""
    match = START_PATTERN.search(page)
    return match.group(1) if match else None


def splice(page: str, fragment: str) -> str:
    """`page` with the text between its markers (markers included) replaced by `fragment`."""
    start = page.find(START)
    end = page.find(END, start)
    if start < 0 or end < 0:
        raise MarkersMissing("the page has no responses markers; rebuild the site once")
    return page[:start] + fragment + page[end + len(END) :]


def as_markup(fragment: str) -> Markup:
    """The rendered fragment for the page template (already escaped where it must be)."""
    return Markup(fragment)  # noqa: S704 - rendered by FragmentRenderer with autoescape on

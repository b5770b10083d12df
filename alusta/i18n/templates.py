"""gettext and language-aware filters in a Jinja environment that renders whole pages.

The UI language of a rendered page follows the language of its post or page (Pelican's
`lang` metadata) when the theme has a catalog for it, else the site's language, so the
`<html lang>` and the words around the content always agree (WCAG 2.1, 3.1.1 and 3.1.2).
plugins/alusta_i18n installs this into every Pelican generator's environment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.ext import InternationalizationExtension
from jinja2.runtime import Context

from alusta.i18n import DEFAULT_LANGUAGE, formats
from alusta.i18n.catalogs import available_languages, load_translations

log = logging.getLogger(__name__)


def site_lang(context: Mapping[str, Any]) -> str:
    """The site's language: ALUSTA["site"]["lang"], else Pelican's DEFAULT_LANG."""
    site = (context.get("ALUSTA") or {}).get("site") or {}
    return site.get("lang") or context.get("DEFAULT_LANG") or DEFAULT_LANGUAGE


def page_lang(context: Mapping[str, Any]) -> str:
    """The language of the rendered page: its article's or page's `lang`, else the site's."""
    for name in ("article", "page"):
        lang = getattr(context.get(name), "lang", None)
        if lang:
            return str(lang)
    return site_lang(context)


def ui_lang(page: str, site: str, catalogued: set[str] | Mapping[str, Any]) -> str:
    """The page's language when it has a catalog, else the site's, else Finnish."""
    for lang in (page, site):
        if lang in catalogued:
            return lang
    return DEFAULT_LANGUAGE


class LanguageCatalogs:
    """The translations of every catalogued language, chosen per rendered page."""

    def __init__(self, directory: Path) -> None:
        languages = available_languages(directory)
        self.by_lang = {lang: load_translations(directory, lang) for lang in languages}
        if not self.by_lang:
            log.warning("alusta_i18n: no catalogs in %s, UI strings stay in English", directory)

    def ui_lang(self, context: Mapping[str, Any]) -> str:
        return ui_lang(page_lang(context), site_lang(context), self.by_lang)

    def gettext(self, context: Context, message: str) -> str:
        catalog = self.by_lang.get(self.ui_lang(context))
        return catalog.gettext(message) if catalog else message

    def ngettext(self, context: Context, singular: str, plural: str, number: int) -> str:
        catalog = self.by_lang.get(self.ui_lang(context))
        if catalog:
            return catalog.ngettext(singular, plural, number)
        return singular if number == 1 else plural


def install(
    env: Environment, catalogs: LanguageCatalogs, *, filters: Mapping[str, Callable] | None = None
) -> None:
    """Add the i18n extension, context-aware gettext callables, filters and globals
    (`filters`: the theme's own, such as readable colours)."""
    if InternationalizationExtension.identifier not in env.extensions:
        env.add_extension(InternationalizationExtension)

    @pass_context
    def gettext(context: Context, message: str) -> str:
        return catalogs.gettext(context, message)

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, number: int) -> str:
        return catalogs.ngettext(context, singular, plural, number)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]

    @pass_context
    def localdate(context: Context, value: Any, form: str = "long") -> str:
        return formats.local_date(value, catalogs.ui_lang(context), form=form)

    @pass_context
    def localperiod(context: Context, period_num: tuple[int, ...]) -> str:
        return formats.local_period(tuple(period_num), catalogs.ui_lang(context))

    env.filters.update(
        localdate=localdate,
        localperiod=localperiod,
        isodate=formats.iso_datetime,
        langname=formats.language_name,
        **(filters or {}),
    )

    @pass_context
    def page_ui_lang(context: Context) -> str:
        return catalogs.ui_lang(context)

    env.globals.update(page_lang=pass_context(page_lang), ui_lang=page_ui_lang)

"""Signal handlers: gettext and language-aware filters in every Pelican Jinja environment.

The UI language of a rendered page follows the language of its post or page (Pelican's
`lang` metadata) when the theme has a catalog for it, else the site's language, so the
`<html lang>` and the words around the content always agree (WCAG 2.1, 3.1.1 and 3.1.2).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.ext import InternationalizationExtension
from jinja2.runtime import Context
from pelican import signals

from alusta import colour
from alusta.i18n import formats
from alusta.i18n.catalogs import available_languages, load_translations

LOG = logging.getLogger(__name__)
PLUGIN_NAME = "alusta_i18n"
SETTINGS_KEY = "ALUSTA_I18N"  # {"translations_dir": "..."}; default <THEME>/translations
DEFAULT_UI_LANG = "fi"


def translations_dir(settings: dict[str, Any]) -> Path:
    """Where the catalogs are: ALUSTA_I18N["translations_dir"] or the theme's translations/."""
    configured = settings.get(SETTINGS_KEY, {}).get("translations_dir")
    return Path(configured or Path(settings["THEME"]) / "translations")


def site_lang(context: Context) -> str:
    """The site's language: ALUSTA_SITE["lang"], else Pelican's DEFAULT_LANG."""
    site = context.get("ALUSTA_SITE") or {}
    return site.get("lang") or context.get("DEFAULT_LANG") or DEFAULT_UI_LANG


def page_lang(context: Context) -> str:
    """The language of the rendered page: its article's or page's `lang`, else the site's."""
    for name in ("article", "page"):
        lang = getattr(context.get(name), "lang", None)
        if lang:
            return str(lang)
    return site_lang(context)


class LanguageCatalogs:
    """The translations of every catalogued language, chosen per rendered page."""

    def __init__(self, directory: Path) -> None:
        languages = available_languages(directory)
        self.by_lang = {lang: load_translations(directory, lang) for lang in languages}
        if not self.by_lang:
            LOG.warning("%s: no catalogs in %s, UI strings stay in English", PLUGIN_NAME, directory)

    def ui_lang(self, context: Context) -> str:
        """The page language when it has a catalog, else the site's, else Finnish."""
        for lang in (page_lang(context), site_lang(context)):
            if lang in self.by_lang:
                return lang
        return DEFAULT_UI_LANG

    def gettext(self, context: Context, message: str) -> str:
        catalog = self.by_lang.get(self.ui_lang(context))
        return catalog.gettext(message) if catalog else message

    def ngettext(self, context: Context, singular: str, plural: str, number: int) -> str:
        catalog = self.by_lang.get(self.ui_lang(context))
        if catalog:
            return catalog.ngettext(singular, plural, number)
        return singular if number == 1 else plural


def install(env: Environment, catalogs: LanguageCatalogs) -> None:
    """Add the i18n extension, context-aware gettext callables, filters and globals."""
    if InternationalizationExtension.identifier not in env.extensions:
        env.add_extension(InternationalizationExtension)

    @pass_context
    def gettext(context: Context, message: str) -> str:
        return catalogs.gettext(context, message)

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, number: int) -> str:
        return catalogs.ngettext(context, singular, plural, number)

    @pass_context
    def ui_lang(context: Context) -> str:
        return catalogs.ui_lang(context)

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
        text_on=colour.text_on,
        readable_on=colour.readable_on,
    )
    env.globals.update(page_lang=pass_context(page_lang), ui_lang=ui_lang)


def on_generator_init(generator: Any) -> None:
    """Install our catalogs into the environment Pelican just made for this generator."""
    install(generator.env, LanguageCatalogs(translations_dir(generator.settings)))


def register() -> None:
    signals.generator_init.connect(on_generator_init)

"""The moderation page's HTML: Jinja2 templates in theme/templates/moderation/, every
sentence from the theme's gettext catalogues, autoescaped (reply texts are strangers')."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from alusta.i18n.catalogs import load_translations
from alusta.settings import Settings

TEMPLATE_FOLDER = "moderation"
STYLESHEETS = ("alusta.css", "moderation.css")  # the theme's look, served at /moderation/


class Renderer:
    """One Jinja2 environment per language, made once per app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.css_dir = settings.theme_dir / "static" / "css"
        self._environments: dict[str, Environment] = {}

    def _environment(self, lang: str) -> Environment:
        if lang not in self._environments:
            environment = Environment(
                loader=FileSystemLoader(self.settings.theme_dir / "templates" / TEMPLATE_FOLDER),
                autoescape=select_autoescape(default=True),
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            translations = load_translations(self.settings.theme_dir / "translations", lang)
            environment.install_gettext_translations(translations, newstyle=True)
            self._environments[lang] = environment
        return self._environments[lang]

    def page(self, template: str, *, lang: str, **context: Any) -> str:
        main = self.settings.main
        return (
            self._environment(lang)
            .get_template(template)
            .render(lang=lang, site_title=main.title, accent=main.accent_color, **context)
        )

    def stylesheet(self, name: str) -> Path | None:
        """One of the theme's stylesheets the page links to (None for any other name)."""
        return self.css_dir / name if name in STYLESHEETS else None

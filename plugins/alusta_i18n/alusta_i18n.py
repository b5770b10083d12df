"""Signal handler: gettext and language-aware filters in every Pelican Jinja environment.

The logic lives in alusta.i18n.templates (which language a page speaks, the catalogs,
the filters); this adapter installs it when Pelican makes a generator's environment,
with the catalogs from ALUSTA["translations_dir"] and the readable-colour filters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from alusta import colour
from alusta.i18n.templates import LanguageCatalogs, install


def on_generator_init(generator: Any) -> None:
    """Install our catalogs into the environment Pelican just made for this generator."""
    settings = generator.settings
    configured = (settings.get("ALUSTA") or {}).get("translations_dir")
    directory = Path(configured or Path(settings["THEME"]) / "translations")
    filters = {"text_on": colour.text_on, "readable_on": colour.readable_on}
    install(generator.env, LanguageCatalogs(directory), filters=filters)


def register() -> None:
    signals.generator_init.connect(on_generator_init)

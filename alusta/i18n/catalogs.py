"""The theme's gettext catalogs, read from .po files and compiled in memory.

No compiled .mo files live in git: the .po files are the only source, so a translator's
edit shows up in the next build without a separate compile step.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

CATALOG_DOMAIN = "messages"


def catalog_path(translations_dir: Path, lang: str) -> Path:
    """Where the .po file of one language lives (the standard gettext layout)."""
    return translations_dir / lang / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"


def available_languages(translations_dir: Path) -> tuple[str, ...]:
    """Every language that has a catalog, in name order."""
    pattern = f"*/LC_MESSAGES/{CATALOG_DOMAIN}.po"
    return tuple(sorted(p.parent.parent.name for p in translations_dir.glob(pattern)))


@functools.lru_cache(maxsize=16)
def _compiled(path: str, mtime_ns: int) -> Translations:
    """Compile one .po file; keyed on its mtime so an edited file is read again."""
    with Path(path).open("rb") as po_file:
        catalog = read_po(po_file, locale=Path(path).parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=CATALOG_DOMAIN)


def load_translations(translations_dir: Path, lang: str) -> NullTranslations:
    """The compiled catalog of `lang`, or untranslated (English msgids) when there is none."""
    path = catalog_path(translations_dir, lang)
    if not path.is_file():
        return NullTranslations()
    return _compiled(str(path), path.stat().st_mtime_ns)

"""The package's own sentences (endpoint pages, feedback forms, 410 pages) in fi, sv and en.

Every sentence a person reads is a gettext message: the source text is English, marked
with `N_` where it is written so that `pybabel extract` (theme/babel.cfg) finds it, and
translated at the moment it is shown from the same catalogues the theme uses
(theme/translations/<lang>/LC_MESSAGES/messages.po). A translator edits one .po file per
language; tests/test_i18n.py fails while any message lacks a translation.
"""

from __future__ import annotations

from pathlib import Path

from alusta.i18n import LANGUAGES
from alusta.i18n.catalogs import load_translations

# The theme beside the package: the project layout fixes it (Settings.theme_dir is the same).
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "theme" / "translations"


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated when shown."""
    return message


def site_language(lang: str) -> str:
    """`lang` when we have it, else Finnish (the first language)."""
    return lang if lang in LANGUAGES else LANGUAGES[0]


def translate(message: str, lang: str) -> str:
    """`message` (an English msgid) in `lang`; Finnish for a language we do not have."""
    return load_translations(TRANSLATIONS_DIR, site_language(lang)).gettext(message)

"""The theme's one font, Atkinson Hyperlegible Next, self-hosted from its npm package.

The Braille Institute drew it for readers with low vision, and its variable Latin subset
is 34 kB, so every site gets the same letters on every device without a request to a font
service. `npm ci` (run by ./dev) installs the package; the build copies only the subsets
the stylesheet names into each site's theme folder. Without node_modules the pages fall
back to the system font and the build says so once.
"""

from __future__ import annotations

import logging
from pathlib import Path

FONT_PACKAGE = Path("node_modules") / "@fontsource-variable" / "atkinson-hyperlegible-next"
FONT_FILES = (  # the first is preloaded; theme/static/css/alusta.css names both
    "atkinson-hyperlegible-next-latin-wght-normal.woff2",
    "atkinson-hyperlegible-next-latin-wght-italic.woff2",
)

log = logging.getLogger(__name__)


def font_files(root: Path) -> list[Path]:
    """The font subsets to copy into the theme folder, or [] when npm has not installed them."""
    files = [root / FONT_PACKAGE / "files" / name for name in FONT_FILES]
    missing = [path for path in files if not path.is_file()]
    if missing:
        log.info("fonts: %s is missing (run npm ci); pages use the system font", missing[0])
        return []
    return files

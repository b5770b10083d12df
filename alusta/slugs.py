"""Slugs: Finnish and Swedish titles become stable ASCII URL parts (ä→a, ö→o, å→a).

We use Pelican's own slugify with Pelican's default substitutions so the slugs we predict
(front-page pilot links, checks, new-post file names) are the ones Pelican writes.
"""

from __future__ import annotations

from functools import lru_cache

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

SLUGS_KEPT = 65536  # `check` and the preview slugify every title of a 5,000-post site
SLUG_REGEX_SUBSTITUTIONS: list[tuple[str, str]] = list(DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


@lru_cache(maxsize=SLUGS_KEPT)
def slugify(text: str) -> str:
    """'Yhteiskehittämisen päivä Åland' → 'yhteiskehittamisen-paiva-aland'."""
    return pelican_slugify(text, regex_subs=SLUG_REGEX_SUBSTITUTIONS)

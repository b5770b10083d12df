"""The title of one of our posts, for a notification about a reply to it.

Read from the last build: the build record says which file shows the URL, and the file's
h-entry name (or its <title>) is what readers saw. Without a build the URL stands in.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bs4 import BeautifulSoup

from alusta.build_record import load_record
from alusta.errors import AlustaError
from alusta.settings import Settings

LOG = logging.getLogger("alusta.notify")
MAX_PAGE_BYTES = 2_000_000


def post_title(settings: Settings, site: str, target: str) -> str:
    """The post's title as built, or the URL when the build does not tell."""
    try:
        found = load_record(settings.var_dir).page(target)
        if found is None or found[0].name != site:
            raise LookupError(f"{target} is not a page of site {site} in the last build")
        with (Path(found[0].output) / found[1].path).open("rb") as page:
            soup = BeautifulSoup(page.read(MAX_PAGE_BYTES), "html.parser")
    except (OSError, LookupError, ValueError, AlustaError) as error:
        LOG.debug("notify: no title for %s: %s", target, error)
        return target
    heading = soup.select_one(".h-entry .p-name") or soup.title
    return heading.get_text(" ", strip=True) if heading else target

"""The title of one of our posts, for a notification about a reply to it.

Read from the last build: the page index says which file shows the URL, and the file's
h-entry name (or its <title>) is what readers saw. Without a build the URL stands in.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bs4 import BeautifulSoup

from alusta.errors import AlustaError
from alusta.manifest import load_manifest
from alusta.responses.pages import load_index
from alusta.settings import Settings
from alusta.urls import normalize_url

LOG = logging.getLogger("alusta.notify")
MAX_PAGE_BYTES = 2_000_000


def post_title(settings: Settings, site: str, target: str) -> str:
    """The post's title as built, or the URL when the build does not tell."""
    try:
        record = load_index(settings.var_dir, site).pages[normalize_url(target)]
        entry = load_manifest(settings).sites.get(site) or {}
        output = Path(entry.get("output") or settings.site_output(settings.site(site)))
        with (output / record.path).open("rb") as page:
            soup = BeautifulSoup(page.read(MAX_PAGE_BYTES), "html.parser")
    except (OSError, LookupError, ValueError, AlustaError) as error:
        LOG.debug("notify: no title for %s: %s", target, error)
        return target
    heading = soup.select_one(".h-entry .p-name") or soup.title
    return heading.get_text(" ", strip=True) if heading else target

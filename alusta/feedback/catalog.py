"""The endpoint's view of the form files: loaded on first use, reloaded when a file changes,
so a maintainer's edit reaches the endpoint without a restart."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from alusta.feedback.definitions import FORM_SUFFIX, forms_folder, site_forms
from alusta.feedback.models import FormDefinition, FormDefinitionError, UnknownForm
from alusta.settings import Settings
from alusta.sites import Site

RECHECK_SECONDS = 2.0
LOG = logging.getLogger("alusta.feedback")


class FormCatalog:
    """Forms by (site, name), checked against the files' modification times."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._forms: dict[str, dict[str, FormDefinition]] = {}
        self._stamps: dict[str, tuple] = {}
        self._checked: dict[str, float] = {}

    def get(self, site_name: str, form_name: str) -> FormDefinition:
        """The form, or UnknownForm (also for an unknown site)."""
        site = next((s for s in self.settings.sites if s.name == site_name), None)
        if site is None:
            raise UnknownForm(f"there is no site {site_name!r}")
        forms = self._site(site)
        if form_name not in forms:
            raise UnknownForm(f"site {site_name!r} has no form {form_name!r}")
        return forms[form_name]

    def _site(self, site: Site) -> dict[str, FormDefinition]:
        now = time.monotonic()
        if now - self._checked.get(site.name, -RECHECK_SECONDS) < RECHECK_SECONDS:
            return self._forms[site.name]
        stamp = _stamp(forms_folder(site))
        if self._stamps.get(site.name) != stamp:
            try:
                self._forms[site.name] = site_forms(site)
            except FormDefinitionError as error:
                if site.name not in self._forms:
                    raise
                LOG.warning("feedback: keeping the last good forms of %s: %s", site.name, error)
            self._stamps[site.name] = stamp
        self._checked[site.name] = now
        return self._forms[site.name]


def _stamp(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob(f"*{FORM_SUFFIX}")))

"""The built sites as one static app, answering an unknown address with its site's 404 page.

Starlette's StaticFiles (html mode) serves `404.html` from the top of the folder for any
miss; a pilot under /pilots/<slug>/ has a 404 page of its own in its language, so a miss
below a pilot's folder gets that one, with status 404 as well.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

NOT_FOUND_PAGE = "404.html"


class SiteFiles(StaticFiles):
    """StaticFiles over the output folder; `site_folders` are the sites' folders inside it."""

    def __init__(self, directory: Path, site_folders: list[Path]) -> None:
        super().__init__(directory=directory, html=True)
        root = Path(directory)
        nested = [f.relative_to(root) for f in site_folders if f != root and f.is_relative_to(root)]
        # Deepest first, so a pilot inside another site's folder still finds its own page.
        self.prefixes = sorted((str(p) for p in nested), key=len, reverse=True)

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404:
                raise
            response = None
        if response is not None and response.status_code != 404:
            return response
        page = self._not_found_page(path)
        if page is None:
            if response is not None:
                return response
            raise HTTPException(status_code=404)
        return FileResponse(page, status_code=404)

    def _not_found_page(self, path: str) -> Path | None:
        """The 404 page of the site that holds `path` (a path inside the folder)."""
        for prefix in self.prefixes:
            if path == prefix or path.startswith(prefix + os.sep):
                page = Path(str(self.directory)) / prefix / NOT_FOUND_PAGE
                if page.is_file():
                    return page
        page = Path(str(self.directory)) / NOT_FOUND_PAGE
        return page if page.is_file() else None

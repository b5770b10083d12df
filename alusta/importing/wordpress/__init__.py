"""Importing a WordPress export (WXR): posts, pages, media, comments and old addresses."""

from alusta.importing.wordpress.job import ImportReport, import_wordpress

__all__ = ["ImportReport", "import_wordpress"]

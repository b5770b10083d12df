"""Drafts never leave the machine: real production and development (serve) builds."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from alusta.build import build_sites
from alusta.settings import load_settings
from tests.project import project_settings

MARKER = "salainenluonnosteksti"


def write_drafts(root: Path) -> None:
    (root / "content/posts/2026-11-21-luonnos.md").write_text(
        f"Title: Keskeneräinen {MARKER}\nDate: 2026-11-21\nCategory: Luonnokset\n"
        f"Tags: {MARKER}tagi\nStatus: draft\nSlug: kesken\n\nTeksti {MARKER}.\n",
        encoding="utf-8",
    )
    (root / "content/pages/suunnitelma.md").write_text(
        f"Title: Suunnitelma\nStatus: draft\n\nSivu {MARKER}.\n", encoding="utf-8"
    )
    (root / "pilots/rajalla/content/posts/2026-11-22-pilottiluonnos.md").write_text(
        f"Title: Pilotin luonnos\nDate: 2026-11-22\nStatus: draft\n\n{MARKER}\n",
        encoding="utf-8",
    )


def test_no_file_of_a_production_build_holds_a_draft(project: Path) -> None:
    write_drafts(project)
    settings = project_settings(project)
    build_sites(settings)
    files = [p for p in settings.output_dir.rglob("*") if p.is_file()]
    assert len(files) > 50
    leaking = [p for p in files if MARKER.encode() in p.read_bytes() or "kesken" in p.parts]
    assert leaking == []
    assert not list(settings.output_dir.rglob("drafts"))


def test_serve_shows_drafts_with_a_banner_and_noindex(project: Path) -> None:
    write_drafts(project)
    settings = load_settings(project, environ={}, development=True)
    build_sites(settings, site_names=["main"])
    page = settings.output_dir / "drafts/kesken/index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".draft-banner strong").get_text() == "Luonnos"
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    assert MARKER in soup.select_one(".entry-content").get_text()
    pages = BeautifulSoup(
        (settings.output_dir / "drafts/pages/suunnitelma/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert pages.select_one(".draft-banner strong").get_text() == "Luonnos"
    published = BeautifulSoup(
        (settings.output_dir / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert published.select_one(".draft-banner") is None
    assert MARKER not in published.get_text()  # drafts are never listed, even in serve

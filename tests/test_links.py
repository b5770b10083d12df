"""A link checker over the whole built output: every internal link resolves to a file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

from alusta.settings import Settings

ENDPOINT_RELS = {"webmention", "pingback"}


def _internal_target(url: str, page_url: str, base: str, output: Path) -> Path | None:
    absolute = urljoin(page_url, url)
    parts = urlsplit(absolute)
    if not absolute.startswith(base + "/") and absolute != base:
        return None
    relative = unquote(parts.path).removeprefix(urlsplit(base).path).lstrip("/")
    target = output / relative
    return target / "index.html" if relative == "" or relative.endswith("/") else target


def broken_links(settings: Settings) -> list[str]:
    base, output = settings.main.siteurl, settings.output_dir
    broken = []
    for page in sorted(output.rglob("*.html")):
        relative = page.relative_to(output).as_posix()
        page_url = f"{base}/{relative}"
        document = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in document.find_all(["a", "link", "img", "script", "source"]):
            if ENDPOINT_RELS & set(element.get("rel") or []):
                continue
            url = element.get("href") or element.get("src")
            if not url or url.startswith(("#", "mailto:")):
                continue
            target = _internal_target(url, page_url, base, output)
            if target is not None and not target.is_file():
                broken.append(f"{relative}: {url}")
    return broken


def test_no_broken_internal_links_in_the_whole_output(built_project: Settings) -> None:
    pages = list(built_project.output_dir.rglob("*.html"))
    assert len(pages) > 40, "the checker must actually see the sites"
    assert broken_links(built_project) == []


def test_the_checker_finds_a_broken_link(built_project: Settings, tmp_path: Path) -> None:
    import shutil  # noqa: PLC0415

    copy = tmp_path / "output"
    shutil.copytree(built_project.output_dir, copy)
    (copy / "2026/09/mita-on-yhteiskehittaminen/index.html").unlink()
    from dataclasses import replace  # noqa: PLC0415

    broken = broken_links(replace(built_project, output_dir=copy))
    assert any(b.endswith("/2026/09/mita-on-yhteiskehittaminen/") for b in broken)

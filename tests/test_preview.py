"""Live preview: a real `publish.py serve` process, real rebuilds and a real Chromium tab.

The tab is never reloaded by the test: each edit saved to a file must reach the open page
by itself (the script serve injects), and a broken file must show as an overlay over the
last good page.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from alusta.preview.app import SCRIPT_PATH
from alusta.preview.changes import affected_sites
from tests.browser import loopback_context
from tests.project import REPO, project_settings
from tests.publish_server import Serve
from tests.waiting import wait_until

POST = "content/posts/2026-11-10-kylatalon-tyopaja.md"
POST_URL = "2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella/"
REBUILD_SECONDS = 60.0


@pytest.fixture
def served(project: Path) -> Iterator[Serve]:
    with Serve(project) as serve:
        yield serve


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_change_rebuilds_only_the_sites_it_affects(project: Path) -> None:
    settings = project_settings(project)
    pilot_post = next((project / "pilots/rajalla/content/posts").glob("*.md"))
    assert affected_sites(settings, [project / POST]) == ["main"]
    assert affected_sites(settings, [pilot_post]) == ["main", "rajalla"]  # main lists it
    assert affected_sites(settings, [project / "theme/templates/base.html"]) == [
        "main",
        "ounasvaara",
        "rajalla",
    ]
    assert affected_sites(settings, [project / "content/posts/.kylatalo.md.swp"]) == []


def test_serve_builds_into_its_own_folder_and_a_production_build_does_not_touch_it(
    served: Serve,
) -> None:
    root = served.root
    preview = root / "var/serve/output"
    assert (preview / POST_URL / "index.html").is_file()
    assert not (root / "output").exists()
    built = subprocess.run(
        [sys.executable, str(REPO / "publish.py"), "--root", str(root), "build"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    production = (root / "output" / POST_URL / "index.html").read_text(encoding="utf-8")
    assert "https://alusta.example/" in production and "127.0.0.1" not in production
    assert SCRIPT_PATH not in production  # the reload script is never in a built file
    page = httpx.get(served.url(POST_URL), timeout=10)
    assert served.base_url in page.text and "https://alusta.example/2026" not in page.text


def test_the_open_tab_shows_a_saved_edit_without_a_manual_reload(browser, served) -> None:
    context, log = loopback_context(browser)
    page = context.new_page()
    page.goto(served.url(POST_URL))
    page.wait_for_function("() => window.__alustaPreviewConnected === true")
    edit(
        served.root / POST,
        "Kolmekymmentä kyläläistä kokoontui",
        "Neljäkymmentä kyläläistä kokoontui",
    )
    page.locator(".entry-content", has_text="Neljäkymmentä kyläläistä").wait_for(
        timeout=REBUILD_SECONDS * 1000
    )
    assert log.foreign() == []
    context.close()


def test_a_content_error_shows_over_the_last_good_page(browser, served) -> None:
    context, _log = loopback_context(browser)
    page = context.new_page()
    page.goto(served.url(POST_URL))
    page.wait_for_function("() => window.__alustaPreviewConnected === true")
    post = served.root / POST
    edit(post, "Category:", "Catgory:")
    overlay = page.locator("#alusta-preview-error")
    overlay.wait_for(timeout=REBUILD_SECONDS * 1000)
    assert "did you mean `Category`?" in overlay.inner_text()
    assert str(post) in served.log.read_text(encoding="utf-8")  # the terminal says it too
    still = BeautifulSoup(httpx.get(served.url(POST_URL), timeout=10).text, "html.parser")
    assert still.select_one("h1.p-name").get_text().startswith("Kylätalon työpaja")
    edit(post, "Catgory:", "Category:")
    overlay.wait_for(state="detached", timeout=REBUILD_SECONDS * 1000)
    context.close()


def test_no_watch_serves_pages_without_the_preview_script(project: Path) -> None:
    with Serve(project, extra_arguments=["--no-watch"]) as quiet:
        page = httpx.get(quiet.url(POST_URL), timeout=10).text
        assert "<html" in page and SCRIPT_PATH not in page
        events = httpx.get(quiet.url("__alusta/preview/events"), timeout=10)
        assert events.status_code == 404


def _children(pid: int) -> set[int]:
    """The processes `pid` started (Linux /proc), e.g. serve's site build processes."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(n) for n in (task / "children").read_text().split())
    return found


def test_stopping_serve_ends_its_build_processes_quietly(project: Path) -> None:
    with Serve(project) as serve:
        builders = _children(serve.process.pid)
        assert builders  # one process per site builds the preview
    wait_until(
        lambda: not any(Path(f"/proc/{pid}").exists() for pid in builders),
        seconds=REBUILD_SECONDS,
        what="serve's build processes to end",
    )
    log = serve.log.read_text(encoding="utf-8")
    assert "serving all sites" in log
    assert "Traceback" not in log and "EOFError" not in log

"""Deploying a real Pelican build, and `publish` (build + deploy + send) end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from alusta.build_record import load_record
from alusta.deploy import deploy
from alusta.pelican_conf import PLUGINS
from alusta.settings import Settings
from tests.deploy_trees import missing_assets, snapshot
from tests.project import copy_project
from tests.servers import SourceServer

REPO = Path(__file__).resolve().parents[1]
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(https?://[^)]+\)")
PUBLISH_TIMEOUT_SECONDS = 300


def test_a_real_build_deploys_whole_and_every_page_has_its_assets(
    built_project: Settings, tmp_path: Path
) -> None:
    www = tmp_path / "www"
    summary = deploy(built_project, target=str(www))

    served = snapshot(www)
    assert served == snapshot(built_project.output_dir)
    assert summary.uploaded == len(served)
    assert not missing_assets(served, built_project.main.siteurl)
    record = load_record(built_project.var_dir)
    pages = [page.url for site in record.sites.values() for page in site.pages]
    assert len(pages) > 10
    for url in pages:
        key = url.removeprefix(built_project.main.siteurl + "/")
        assert (www / key).is_file() or (www / key / "index.html").is_file(), url


def offline_project(root: Path) -> Path:
    """A copy of the project whose posts link nowhere, so that sending stays on this machine."""
    copy_project(root)
    for path in root.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(MARKDOWN_LINK.sub(r"\1", text), encoding="utf-8")
    return root


def publish(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ALUSTA_")}
    environment["ALUSTA_ALLOW_PRIVATE_ADDRESSES"] = "1"  # the linked page is on 127.0.0.1
    return subprocess.run(
        [sys.executable, str(REPO / "publish.py"), "--root", str(root), "publish", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=PUBLISH_TIMEOUT_SECONDS,
        check=False,
    )


@pytest.fixture
def receiver() -> Iterator[SourceServer]:
    """A page on 127.0.0.1 that advertises a Webmention endpoint, and that endpoint."""
    with SourceServer() as server:
        endpoint = server.url("/webmention")
        server.route(
            "/kohde.html", body=b"<p>kohde</p>", headers={"Link": f'<{endpoint}>; rel="webmention"'}
        )
        server.route("/webmention", status=202)
        yield server


def test_publish_builds_deploys_then_sends(tmp_path: Path, receiver: SourceServer) -> None:
    root = offline_project(tmp_path / "project")
    (root / "content" / "posts" / "2026-11-25-linkki.md").write_text(
        f"Title: Linkki\nDate: 2026-11-25 10:00\n\nKatso [kohde]({receiver.url('/kohde.html')}).\n",
        encoding="utf-8",
    )
    www = tmp_path / "www"

    done = publish(root, "--to", str(www))

    assert done.returncode == 0, done.stderr
    assert "built main" in done.stdout
    assert re.search(r"uploaded \d+, unchanged 0, deleted 0", done.stdout)
    assert done.stdout.index("uploaded") < done.stdout.index("notification(s) tried")
    assert snapshot(www) == snapshot(root / "output")
    if "alusta_gone" not in PLUGINS:
        pytest.skip(
            "builds do not record published posts yet (alusta_gone is not in "
            "alusta.pelican_conf.PLUGINS), so `send` finds nothing to send"
        )
    [sent] = [r for r in receiver.requests if r.method == "POST"]
    form = parse_qs(sent.body.decode())
    assert form["target"] == [receiver.url("/kohde.html")]
    assert form["source"][0].startswith("https://alusta.example/2026/11/")
    post = form["source"][0].removeprefix("https://alusta.example/")
    assert (www / post / "index.html").is_file() or (www / post).is_file()


def test_publish_stops_at_the_first_failure(tmp_path: Path, receiver: SourceServer) -> None:
    root = offline_project(tmp_path / "project")
    (root / "content" / "posts" / "2026-11-25-linkki.md").write_text(
        f"Title: Linkki\nDate: 2026-11-25 10:00\n\n[kohde]({receiver.url('/kohde.html')})\n",
        encoding="utf-8",
    )
    refused = publish(root, "--to", str(root / "output" / "www"))
    assert refused.returncode == 1
    assert "publish stopped at the deploy" in refused.stderr
    assert "nothing was sent" in refused.stderr
    assert receiver.total_hits == 0

    broken = root / "content" / "posts" / "2026-12-01-rikki.md"
    broken.write_text("Title: Rikki\nDate: ei päivämäärä\n\nTeksti.\n", encoding="utf-8")
    www = tmp_path / "www"
    failed = publish(root, "--to", str(www))
    assert failed.returncode == 1
    assert "publish stopped at the build" in failed.stderr
    assert "2026-12-01-rikki.md" in failed.stderr
    assert not www.exists()
    assert receiver.total_hits == 0

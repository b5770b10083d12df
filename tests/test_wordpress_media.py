"""Media the import fetches from the old site when there is no --uploads copy.

The old site is a real HTTP server on 127.0.0.1 (tests/servers.py); the fixture export is
rewritten to live there. Fetches go through alusta.http, so loopback is refused unless
ALUSTA_ALLOW_PRIVATE_ADDRESSES=1.
"""

from __future__ import annotations

from pathlib import Path

from tests.servers import SourceServer
from tests.wordpress_project import (
    CLASSIC,
    UPLOADS,
    import_wordpress_cli,
    snapshot,
    with_old_site,
)

ALLOW_LOOPBACK = {"ALUSTA_ALLOW_PRIVATE_ADDRESSES": "1"}
IMAGES = ("2014/05/tunturi.jpg", "2014/05/kyla.jpg")


def serve_uploads(server: SourceServer, names: tuple[str, ...] = IMAGES) -> None:
    for name in names:
        server.route(
            f"/wp-content/uploads/{name}",
            body=(UPLOADS / name).read_bytes(),
            headers={"Content-Type": "image/jpeg"},
        )


def test_media_are_fetched_from_the_old_site(
    project: Path, tmp_path: Path, source_server: SourceServer
) -> None:
    serve_uploads(source_server)
    export = with_old_site(CLASSIC, source_server.url("").rstrip("/"), tmp_path / "x.xml")
    result = import_wordpress_cli(project, export, env=ALLOW_LOOPBACK)
    assert result.exit_code == 0, result.output
    for name in IMAGES:
        copied = project / "content" / "images" / name
        assert copied.read_bytes() == (UPLOADS / name).read_bytes()
        assert source_server.hits[f"/wp-content/uploads/{name}"] == 1
    post = (project / "content" / "posts" / "2014-05-01-kylatalon-talvi.md").read_text("utf-8")
    assert "127.0.0.1" not in post and "{static}/images/2014/05/tunturi.jpg" in post


def test_an_unreachable_media_file_stops_the_import_before_anything_is_written(
    project: Path, tmp_path: Path, source_server: SourceServer
) -> None:
    serve_uploads(source_server, IMAGES[:1])  # kyla.jpg answers 404
    export = with_old_site(CLASSIC, source_server.url("").rstrip("/"), tmp_path / "x.xml")
    before = snapshot(project)
    result = import_wordpress_cli(project, export, env=ALLOW_LOOPBACK)
    assert result.exit_code == 1
    assert "1 media file(s) not reachable:" in result.output
    assert "/wp-content/uploads/2014/05/kyla.jpg answered 404" in result.output
    assert "Nothing was imported" in result.output and "Traceback" not in result.output
    assert snapshot(project) == before
    assert not list((project / "var").glob("import-*"))  # the staging folder is gone


def test_the_old_site_on_a_private_address_is_refused_by_default(
    project: Path, tmp_path: Path, source_server: SourceServer
) -> None:
    serve_uploads(source_server)
    export = with_old_site(CLASSIC, source_server.url("").rstrip("/"), tmp_path / "x.xml")
    before = snapshot(project)
    result = import_wordpress_cli(project, export, env={"ALUSTA_ALLOW_PRIVATE_ADDRESSES": "0"})
    assert result.exit_code == 1
    assert "2 media file(s) not reachable" in result.output
    assert source_server.total_hits == 0
    assert snapshot(project) == before

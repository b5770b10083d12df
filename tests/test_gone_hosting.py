"""A deleted post answers 410 Gone on nginx and Caddy (the examples plus var/gone/), a live
page 200 with the endpoint in `Link` and `X-Pingback`: real builds, real servers."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from alusta.build_record import load_record
from alusta.gone_maps import gone_addresses
from alusta.published import PublishedPost
from alusta.send.gone import GONE_META
from alusta.settings import Settings
from tests.send_project import MAIN_URL, PILOT, make_project
from tests.servers import free_port
from tests.test_deploy_hosting import ENDPOINT_URL, caddy, nginx, serving

HOST = {"Host": "alusta.test"}
GONE = ("/2026/10/eka/", "/2026/10/eka/index.html", f"/pilots/{PILOT}/2026/10/vanha/")


@pytest.fixture(scope="module")
def deleted(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A build with two posts on the main site and one on the pilot, rebuilt after one
    of the main site's and the pilot's were deleted."""
    project = make_project(tmp_path_factory.mktemp("gone") / "project")
    project.write_post("eka", "Poistetaan pian.")
    project.write_post("toka", "Jää paikalleen.", day=2)
    project.write_post("vanha", "Pilotin poistuva kirjoitus.", pilot=True)
    project.build()
    project.delete_post("eka")
    project.delete_post("vanha", pilot=True)
    return project.build()


def test_build_writes_each_sites_gone_addresses(deleted: Settings) -> None:
    gone = deleted.var_dir / "gone"
    main = (gone / "main.nginx.conf").read_text(encoding="utf-8")
    assert '"alusta.test/2026/10/eka/" "/2026/10/eka/index.html";' in main
    assert "toka" not in main
    pilot = (gone / f"{PILOT}.caddy").read_text(encoding="utf-8")
    assert "host alusta.test" in pilot and f'"/pilots/{PILOT}/2026/10/vanha/"' in pilot
    assert sorted(p.name for p in gone.iterdir()) == [
        "main.caddy", "main.nginx.conf", f"{PILOT}.caddy", f"{PILOT}.nginx.conf"
    ]  # fmt: skip


def test_an_address_a_live_page_took_back_is_not_gone(deleted: Settings) -> None:
    site = load_record(deleted.var_dir).sites["main"]
    back = PublishedPost("main", "2026/10/toka/", "2026/10/toka/index.html", gone=True)
    assert gone_addresses(site, [back]) == {}


@pytest.mark.parametrize("server", [nginx, caddy], ids=["nginx", "caddy"])
def test_gone_pages_are_410_and_live_pages_name_the_endpoint(
    server, deleted: Settings, tmp_path: Path
) -> None:
    assert deleted.endpoint_url == MAIN_URL == ENDPOINT_URL
    www = deleted.output_dir
    with (
        serving(server, tmp_path, www, free_port(), var=deleted.var_dir) as base,
        httpx.Client(base_url=base, timeout=10, headers=HOST) as client,
    ):
        for path in GONE:
            gone = client.get(path)
            assert gone.status_code == 410, path
            assert GONE_META in gone.text
            assert gone.headers["content-type"] == "text/html; charset=utf-8"
        live = client.get("/2026/10/toka/")
        other_host = client.get(GONE[0], headers={"Host": "toinen.example"})
    assert live.status_code == 200 and "Jää paikalleen." in live.text
    page = BeautifulSoup(live.text, "html.parser")
    endpoint = page.select_one('link[rel="webmention"]')["href"]
    pingback = page.select_one('link[rel="pingback"]')["href"]
    assert live.headers["link"] == f'<{endpoint}>; rel="webmention"'
    assert live.headers["x-pingback"] == pingback == f"{ENDPOINT_URL}/xmlrpc"
    assert gone.headers["link"] == live.headers["link"]
    assert other_host.status_code == 200  # the map is the gone site's host only

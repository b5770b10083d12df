"""The example nginx and Caddy configurations and systemd units in docs/examples, run for real.

nginx and Caddy serve a deployed folder on 127.0.0.1 and proxy the endpoint's paths to the
real endpoint under uvicorn; systemd-analyze checks the units. Each test is skipped where
its program is not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.endpoint_server import RunningEndpoint
from tests.servers import free_port
from tests.waiting import wait_until

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "docs" / "examples"
START_SECONDS = 15
ENDPOINT_URL = "http://alusta.test"  # the send project's SITEURL, its endpoint too
CSS = "theme/css/style.0a1b2c3d4e.css"
SITE = {
    "index.html": f'<!doctype html><link rel="stylesheet" href="{CSS}"><h1>Etusivu</h1>',
    "2026/11/tyopaja/index.html": "<!doctype html><h1>Työpaja</h1>",
    CSS: "body { color: #123; }",
    "images/kuva.png": "png",
    "feeds/all.atom.xml": "<feed/>",
    "pilots/vaara/index.html": "<!doctype html><h1>Vaara</h1>",
    "404.html": "<!doctype html><h1>Sivua ei löytynyt</h1>",
    "pilots/vaara/404.html": "<!doctype html><h1>Vaara: sivua ei löytynyt</h1>",
}


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    def listening() -> bool:
        if process.poll() is not None:
            errors = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"the server exited with {process.returncode}: {errors}")
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait_until(listening, seconds=START_SECONDS, what="the web server to listen")


@contextmanager
def serving(server, tmp_path: Path, www: Path, endpoint_port: int, **options) -> Iterator[str]:
    """The example configuration of `server` (nginx or caddy) running; its base URL."""
    if shutil.which(server.__name__) is None:
        pytest.skip(f"{server.__name__} is not installed")
    command, port, environment = server(tmp_path, www, endpoint_port, **options)
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **environment},
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def www(tmp_path: Path) -> Path:
    folder = tmp_path / "www"
    for key, text in SITE.items():
        (folder / key).parent.mkdir(parents=True, exist_ok=True)
        (folder / key).write_text(text, encoding="utf-8")
    return folder


def example(name: str, www: Path, var: Path | None, endpoint_url: str) -> str:
    """An example file with the test's folders and endpoint address in place."""
    text = (EXAMPLES / name).read_text(encoding="utf-8").replace("/srv/alusta/www", str(www))
    text = text.replace("/srv/alusta/var", str(var or www.parent / "var"))
    return text.replace("https://alusta.example", endpoint_url)


def nginx(
    tmp_path: Path, www: Path, endpoint_port: int, *, var: Path | None = None
) -> tuple[list[str], int, dict]:
    port = free_port()
    locations = example("nginx-alusta-locations.conf", www, var, ENDPOINT_URL)
    (tmp_path / "locations.conf").write_text(locations)
    site = example("nginx-alusta.conf", www, var, ENDPOINT_URL)
    gone_map = re.search(r"^map_hash_bucket_size .*?^}\n", site, flags=re.M | re.S).group(0)
    temp = "\n".join(
        f"  {kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would switch to a user that cannot read pytest's tmp_path.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
{temp}
  upstream alusta_endpoint {{ server 127.0.0.1:{endpoint_port}; }}
{gone_map}  server {{
    listen 127.0.0.1:{port};
    include {tmp_path}/locations.conf;
  }}
}}
""")
    return ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], port, {}


def caddy(
    tmp_path: Path, www: Path, endpoint_port: int, *, var: Path | None = None
) -> tuple[list[str], int, dict]:
    port = free_port()
    text = example("Caddyfile", www, var, ENDPOINT_URL)
    text = text.replace("alusta.example {", f"http://:{port} {{").replace(
        "127.0.0.1:8080", f"127.0.0.1:{endpoint_port}"
    )  # any Host on the port: the gone pages' matchers name theirs
    config = tmp_path / "Caddyfile"
    config.write_text("{\n\tadmin off\n\tauto_https off\n\tdefault_bind 127.0.0.1\n}\n" + text)
    home = {
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    command = ["caddy", "run", "--config", str(config), "--adapter", "caddyfile"]
    return command, port, home


@pytest.mark.parametrize("server", [nginx, caddy], ids=["nginx", "caddy"])
def test_example_web_server_serves_the_sites_and_proxies_the_endpoint(
    server,
    tmp_path: Path,
    www: Path,
    endpoint: RunningEndpoint,
) -> None:
    with (
        serving(server, tmp_path, www, endpoint.port) as base,
        httpx.Client(base_url=base, timeout=10) as client,
    ):
        check_static(client)
        check_proxied(client)


def check_static(client: httpx.Client) -> None:
    home = client.get("/")
    assert home.status_code == 200 and "Etusivu" in home.text
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.headers["cache-control"] == "public, max-age=300, must-revalidate"
    assert "Työpaja" in client.get("/2026/11/tyopaja/").text
    assert "Vaara" in client.get("/pilots/vaara/").text
    css = client.get(f"/{CSS}")
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/images/kuva.png").headers["cache-control"] == "public, max-age=86400"
    missing = client.get("/nothing-here.html")
    assert missing.status_code == 404 and "<h1>Sivua ei löytynyt</h1>" in missing.text
    missing = client.get("/pilots/vaara/2026/ei-ole/")
    assert missing.status_code == 404 and "Vaara: sivua ei löytynyt" in missing.text


def check_proxied(client: httpx.Client) -> None:
    feed = client.get("/mentions")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/")
    assert "json" in feed.headers["content-type"]
    refused = client.post("/webmention", data={"source": "not a url"})
    assert refused.status_code == 400
    assert "nginx" not in refused.text.lower()
    pingback = client.post(
        "/xmlrpc", content=b"<not-xml-rpc/>", headers={"content-type": "text/xml"}
    )
    assert "methodResponse" in pingback.text
    assert client.get("/webmention/status/no-such-token").status_code == 404
    assert "nginx" not in client.get("/feedback/no-such-form").text.lower()


def test_example_systemd_units_verify(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    units = []
    names = (
        "alusta-endpoint.service",
        "alusta-backup.service",
        "alusta-backup.timer",
        "alusta-refresh.service",
        "alusta-refresh.timer",
    )
    for name in names:
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        assert "publish.py" in text or name.endswith(".timer")
        (tmp_path / name).write_text(
            text.replace("/srv/alusta/app/.venv/bin/python", sys.executable), encoding="utf-8"
        )
        units.append(str(tmp_path / name))
    done = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")

"""The example nginx and Caddy configurations and systemd units in docs/examples, run for real.

nginx and Caddy serve a deployed folder on 127.0.0.1 and proxy the endpoint's paths to the
real endpoint under uvicorn; systemd-analyze checks the units. Each test is skipped where
its program is not installed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.endpoint_server import RunningEndpoint
from tests.servers import free_port

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "docs" / "examples"
START_SECONDS = 15
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
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"the server exited with {process.returncode}: {errors}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("the server did not start listening")


@pytest.fixture
def www(tmp_path: Path) -> Path:
    folder = tmp_path / "www"
    for key, text in SITE.items():
        (folder / key).parent.mkdir(parents=True, exist_ok=True)
        (folder / key).write_text(text, encoding="utf-8")
    return folder


def nginx(tmp_path: Path, www: Path, endpoint_port: int) -> tuple[list[str], int, dict]:
    port = free_port()
    locations = (EXAMPLES / "nginx-alusta-locations.conf").read_text(encoding="utf-8")
    (tmp_path / "locations.conf").write_text(locations.replace("/srv/alusta/www", str(www)))
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
  server {{
    listen 127.0.0.1:{port};
    include {tmp_path}/locations.conf;
  }}
}}
""")
    return ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], port, {}


def caddy(tmp_path: Path, www: Path, endpoint_port: int) -> tuple[list[str], int, dict]:
    port = free_port()
    text = (EXAMPLES / "Caddyfile").read_text(encoding="utf-8")
    text = (
        text.replace("alusta.example {", f"http://127.0.0.1:{port} {{")
        .replace("/srv/alusta/www", str(www))
        .replace("127.0.0.1:8080", f"127.0.0.1:{endpoint_port}")
    )
    config = tmp_path / "Caddyfile"
    config.write_text("{\n\tadmin off\n\tauto_https off\n}\n" + text)
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
    if shutil.which(server.__name__) is None:
        pytest.skip(f"{server.__name__} is not installed")
    command, port, environment = server(tmp_path, www, endpoint.port)
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **environment},
    )
    try:
        wait_for_port(port, process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            check_static(client)
            check_proxied(client)
    finally:
        process.terminate()
        process.wait(timeout=10)


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

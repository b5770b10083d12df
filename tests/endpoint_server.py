"""A tiny project and the real endpoint under a real uvicorn on 127.0.0.1, for tests.

    settings = endpoint_settings(tmp_path)                 # main (auto) + pilot "vaara" (queue)
    with RunningEndpoint(create_app(settings)) as endpoint:
        httpx.post(endpoint.url("/webmention"), data={...})
        endpoint.wait_for(token_or_location, lambda doc: not doc["verifying"])

Sources are served by tests.servers.SourceServer; `reply_page(target)` and friends build
their HTML.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import httpx
import uvicorn
from starlette.applications import Starlette

from alusta.build_record import BuildRecord, Page, PageKind, SiteBuild, write_record
from alusta.settings import Settings, load_settings

MAIN_URL = "https://alusta.example"
PILOT = "vaara"
PILOT_URL = f"{MAIN_URL}/pilots/{PILOT}"
POST = f"{MAIN_URL}/posts/hello.html"
PILOT_POST = f"{PILOT_URL}/posts/tunturi.html"
PAGES = [f"{MAIN_URL}/", f"{MAIN_URL}/index.html", POST, f"{MAIN_URL}/pages/tietoa.html"]
PILOT_PAGES = [f"{PILOT_URL}/", f"{PILOT_URL}/index.html", PILOT_POST]
ADMIN_TOKEN = "test-admin-token-0123456789"
DEADLINE_SECONDS = 20.0

PELICANCONF = f'''
SITENAME = "Testi"
SITEURL = "{MAIN_URL}"
PATH = "content"
ALUSTA_SITE = {{"name": "Testi", "tagline": "", "language": "fi", "moderation": "auto"}}
'''
PILOT_TOML = 'name = "Vaara"\ntagline = ""\nlanguage = "fi"\nmoderation = "queue"\n'


def write_project(root: Path) -> Path:
    """pelicanconf.py, one pilot and a build record listing PAGES and PILOT_PAGES."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    pilot = root / "pilots" / PILOT
    (pilot / "content").mkdir(parents=True, exist_ok=True)
    (pilot / "pilot.toml").write_text(PILOT_TOML, encoding="utf-8")
    sites = [
        site_build("main", MAIN_URL, root / "output", PAGES),
        site_build(PILOT, PILOT_URL, root / "output/pilots/vaara", PILOT_PAGES),
    ]
    write_record(root / "var", BuildRecord(sites={s.name: s for s in sites}))
    return root


def site_build(name: str, siteurl: str, output: Path, urls: Iterable[str]) -> SiteBuild:
    """A site's build record listing these page URLs (as if a build had made them)."""
    pages = []
    for url in urls:
        path = url.removeprefix(siteurl).lstrip("/")
        path += "" if path.endswith(".html") else "index.html"
        pages.append(Page(url=url, path=path, kind=PageKind.PAGE, lang="fi"))
    built_at = "2026-11-27T00:00:00+00:00"
    return SiteBuild(name, siteurl, str(output), "fi", "", built_at, pages=tuple(pages))


def endpoint_settings(
    root: Path, *, allow_private: bool = True, development: bool = False, **environ: str
) -> Settings:
    """Settings of a fresh tiny project; local sources allowed unless told otherwise."""
    write_project(root)
    env = {
        "ALUSTA_ADMIN_TOKEN": ADMIN_TOKEN,
        "ALUSTA_RATE_LIMIT_PER_MINUTE": "1000",
        "ALUSTA_SOURCE_RATE_LIMIT_PER_MINUTE": "1000",
        "ALUSTA_VERIFY_NOT_FOUND_DELAYS_SECONDS": "0.01,0.01",  # a 404 is retried, quickly
    }
    if allow_private:
        env["ALUSTA_ALLOW_PRIVATE_ADDRESSES"] = "1"
    env.update({f"ALUSTA_{k.upper()}": v for k, v in environ.items()})
    return load_settings(root, environ=env, development=development)


class RunningEndpoint:
    """An ASGI app served by uvicorn in a thread on a free port of 127.0.0.1."""

    def __init__(self, app: Starlette) -> None:
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="on",
            access_log=False,
            proxy_headers=False,  # as publish.py endpoint: ALUSTA_TRUSTED_PROXIES decides
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.port = 0

    def __enter__(self) -> RunningEndpoint:
        self.thread.start()
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        self.client = httpx.Client(base_url=self.url(""), timeout=10)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def send(self, source: str, target: str = POST, **headers: str) -> httpx.Response:
        return self.client.post(
            "/webmention", data={"source": source, "target": target}, headers=headers
        )

    def status(self, location: str) -> dict:
        """The status document of a Location (under ALUSTA_ENDPOINT_URL: fetched here)."""
        path = httpx.URL(location).raw_path.decode("ascii")
        response = self.client.get(path, headers={"Accept": "application/json"})
        response.raise_for_status()
        return response.json()

    def wait_for(
        self,
        location: str,
        done: Callable[[dict], bool] = lambda d: not d["verifying"],
        deadline_seconds: float = DEADLINE_SECONDS,
    ) -> dict:
        """Poll a status page until `done` (by default: verification finished)."""
        deadline = time.monotonic() + deadline_seconds
        while True:
            document = self.status(location)
            if done(document):
                return document
            if time.monotonic() > deadline:
                raise AssertionError(f"status page never got there: {document}")
            time.sleep(0.05)

    def feed(self, admin: bool = False, **params: str) -> list[dict]:
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"} if admin else {}
        response = self.client.get("/mentions", params=params, headers=headers)
        response.raise_for_status()
        return response.json()["children"]


def reply_page(
    target: str,
    *,
    content: str = "Hei! Hyvä kirjoitus.",
    prop: str = "in-reply-to",
    name: str = "Aino Esimerkki",
    title: str = "Vastaus",
) -> bytes:
    """An h-entry whose `prop` (in-reply-to, like-of, …) points at `target`."""
    return f"""<!doctype html><html><head><title>{title}</title></head><body>
<article class="h-entry">
  <a class="p-author h-card" href="https://aino.example/">{name}</a>
  <a class="u-{prop}" href="{target}">the post</a>
  <time class="dt-published" datetime="2026-11-20T10:00:00+02:00">20.11.</time>
  <div class="e-content">{content}</div>
</article></body></html>""".encode()


def plain_page(body: str, title: str = "Sivu") -> bytes:
    page = f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"
    return page.encode()

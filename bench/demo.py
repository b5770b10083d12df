"""A demo of every page type for looking at the theme: the project, a thread of replies, served.

    with DemoSite(Path("var/demo")) as demo:        # copies the project, seeds responses,
        demo.url("main", "archives/")                # runs `publish.py serve` on 127.0.0.1

bench/screenshots.py and bench/lighthouse.py open its pages. Responses are written with the
store's own functions, as the endpoint would after verifying them: three replies, two of them
answered (one thread three deep), likes, reposts, a mention and a pingback.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from alusta import store, verification_queue
from alusta.db import connect, iso
from alusta.feedback import store as feedback_store
from alusta.models import Author, MentionKind, MentionRequest, MentionStatus, SourceEntry
from alusta.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("pelicanconf.py", "content", "pilots", "theme", "plugins", "node_modules")
START_SECONDS = 180.0
REPLY_POST = "2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella/"
RECEIVED_START = 1_794_000_000.0


@dataclass(frozen=True)
class DemoReply:
    """One seeded response; `parent` names the source it answers ("" at the top)."""

    slug: str
    author: str
    kind: MentionKind
    text: str = ""
    parent: str = ""


REPLIES = (
    DemoReply(
        "aino",
        "Aino Esimerkki",
        MentionKind.REPLY,
        "Hieno työpaja! Yhteiskuljetus kauppaan auttaisi meitäkin Kolarissa. "
        "Voisiko kokeilun tuloksia jakaa myös naapurikunnille?",
    ),
    DemoReply(
        "mikko",
        "Mikko Niemi",
        MentionKind.REPLY,
        "Kiitos! Tulokset julkaistaan tammikuussa, ja ne saa vapaasti käyttää.",
        parent="aino",
    ),
    DemoReply(
        "aino2",
        "Aino Esimerkki",
        MentionKind.REPLY,
        "Erinomaista, välitän tiedon kunnan kyläasiamiehelle.",
        parent="mikko",
    ),
    DemoReply(
        "sanna",
        "Sanna Lehto",
        MentionKind.REPLY,
        "Latujen ajotiedot puhelimeen olisivat meille tärkein asia. Nyt tieto kulkee "
        "puskaradiossa, ja aamulla lähtiessä ei tiedä, onko latu ajettu.",
    ),
    DemoReply(
        "erik",
        "Erik Lindqvist",
        MentionKind.REPLY,
        "Samma behov finns på svenska sidan av älven – vi följer försöket med intresse.",
    ),
    DemoReply(
        "jukka",
        "Jukka Pohjola",
        MentionKind.REPLY,
        "Meillä Ylläksellä ladut päivittyvät jo karttaan; voin kertoa kokemuksista.",
        parent="sanna",
    ),
    *(
        DemoReply(f"fan{n}", name, MentionKind.LIKE)
        for n, name in enumerate(
            ("Liisa Korhonen", "Olli Mäkinen", "Tiina Virtanen", "Pekka Heikkinen", "1-kylä ry")
        )
    ),
    DemoReply("jakaja", "Kylätoimikunta", MentionKind.REPOST),
    DemoReply(
        "lehti", "Lapin Kansa", MentionKind.MENTION, "Kylät kehittävät talven palveluja yhdessä"
    ),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_project(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if part == "node_modules":  # only the font the build copies, not the test tools
            source = source / "@fontsource-variable"
            if source.is_dir():
                shutil.copytree(source, root / part / "@fontsource-variable")
        elif source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / part)


def seed_responses(settings: Settings, target: str) -> None:
    """The demo responses on `target`, verified and approved through the store."""
    connection = connect(settings.database_path)
    try:
        for number, reply in enumerate(REPLIES):
            source = f"https://{reply.slug}.example/vastaus"
            request = MentionRequest(source=source, target=target, site="main")
            received = RECEIVED_START + number * 3600
            mention = verification_queue.enqueue(connection, request, now=received)
            entry = SourceEntry(
                url=source,
                final_url=source,
                kind=reply.kind,
                author=Author(name=reply.author, url=f"https://{reply.slug}.example/"),
                published="",
                name=reply.text if reply.kind == MentionKind.MENTION else "",
                content_html=f"<p>{reply.text}</p>" if reply.kind == MentionKind.REPLY else "",
                content_text=reply.text if reply.kind == MentionKind.REPLY else "",
                title="",
                excerpt="",
                in_reply_to=f"https://{reply.parent}.example/vastaus" if reply.parent else "",
            )
            store.save_verified(
                connection,
                mention.id,
                entry,
                status=MentionStatus.APPROVED,
                reason="",
                now=received,
            )
        pingback = verification_queue.enqueue(
            connection,
            MentionRequest(
                source="https://blogi.example/talvi",
                target=target,
                site="main",
                protocol="pingback",
            ),
            now=RECEIVED_START,
        )
        entry = SourceEntry(
            url=pingback.source,
            final_url=pingback.source,
            kind=MentionKind.MENTION,
            author=Author(),
            published="",
            name="",
            content_html="",
            content_text="",
            title="Talven palvelut kylissä",
            excerpt="",
        )
        store.save_verified(
            connection,
            pingback.id,
            entry,
            status=MentionStatus.APPROVED,
            reason="",
            now=RECEIVED_START,
        )
    finally:
        connection.close()


def seed_feedback(settings: Settings, *, count: int = 12) -> None:
    """Answers to the ski-track café form, so its results page draws bars."""
    visits = ("kerran", "muutaman", "joka-viikonloppu")
    products = ("kahvi", "gluteeniton", "keitto", "mehu")
    connection = connect(settings.database_path)
    try:
        for number in range(count):
            answers = {
                "arvio": 1 + (number * 7) % 5,
                "kaynti": visits[number % 3],
                "tuotteet": list(products[: 1 + number % 4]),
            }
            feedback_store.insert(
                connection,
                feedback_store.NewSubmission(
                    site="ounasvaara", form="latukahvila", lang="fi", answers=answers,
                    email=None, client_hash="demo", page="",
                    received_at=iso(RECEIVED_START + number * 600),
                ),
            )  # fmt: skip
    finally:
        connection.close()


class DemoSite:
    """The project copied to `root`, responses seeded, served by `publish.py serve`."""

    def __init__(self, root: Path, *, port: int | None = None) -> None:
        self.root = root.resolve()
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> DemoSite:
        copy_project(self.root)
        settings = load_settings(self.root, environ={}).with_siteurl(self.base_url)
        self.settings = settings
        seed_responses(settings, f"{settings.main.siteurl}/{REPLY_POST}")
        seed_feedback(settings)
        log = (self.root / "serve.log").open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(REPO / "publish.py"),
                "--root",
                str(self.root),
                "serve",
                "--port",
                str(self.port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"serve stopped; see {self.root / 'serve.log'}")
            try:
                if httpx.get(self.base_url + "/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"serve did not answer in {START_SECONDS:.0f} s")

    def url(self, site: str, path: str = "") -> str:
        return f"{self.settings.site(site).siteurl}/{path}"

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()

"""After a WordPress import: the real built and served site, and its old addresses.

Two module-scoped projects with the classic export imported: one built for production
(`build_sites`), one run by `publish.py serve` (tests/publish_server.py), which builds for
its own address (drafts too) and answers the old addresses. Pages are read with
BeautifulSoup and mf2py.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import mf2py
import pytest
from bs4 import BeautifulSoup

from alusta.settings import load_settings
from tests.project import copy_project
from tests.publish_server import Serve
from tests.wordpress_project import (
    CLASSIC,
    DRAFT_TEXT,
    SECRETS,
    UPLOADS,
    import_wordpress_cli,
)

POST = "2014/05/kylatalon-talvi/"
PINGBACK_TITLE = (
    "Bencmarkkasimme Living lab “nettialustat”, mitä löytyi? | Elävä Lappi – Living lab"
)


SITE = "https://alusta.example/"


def imported_project(factory: pytest.TempPathFactory) -> Path:
    root = copy_project(factory.mktemp("wordpress") / "project")
    result = import_wordpress_cli(root, CLASSIC, "--uploads", str(UPLOADS))
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The production output folder of the imported project."""
    from alusta.build import build_sites  # noqa: PLC0415 - only this module pays for pelican

    settings = load_settings(imported_project(tmp_path_factory), environ={})
    build_sites(settings)
    return settings.output_dir


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    with Serve(imported_project(tmp_path_factory)) as serve:
        yield serve


def page(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_imported_post_shows_its_text_comments_and_pingbacks(built: Path) -> None:
    soup = page(built, POST)
    assert soup.find("h1").get_text(strip=True) == "Kylätalon talvi & “nettialustat”"
    figure = soup.select_one(".e-content figure")
    assert figure.figcaption.get_text() == "Pallastunturi helmikuussa"
    assert figure.img["src"] == f"{SITE}images/2014/05/tunturi.jpg"
    copied = built / "images/2014/05/tunturi.jpg"
    assert copied.read_bytes() == (UPLOADS / "2014/05/tunturi.jpg").read_bytes()
    replies = [
        li.select_one(".response-content").get_text(" ", strip=True)
        for li in soup.select("li.p-comment")
    ]
    assert replies == [
        "Hyvä kirjoitus! Kuljetukset ovat tärkeitä.",
        "Kiitos Anna, vastaus ketjuun.",
        "Kolmas taso ketjussa.",
    ]
    text = soup.select_one("#responses").get_text(" ", strip=True)
    assert f"Pingback: {PINGBACK_TITLE}" in text
    assert "Pingback: Rajaseudun uutiset" in text  # the trackback
    assert "Pingback: Toinen kirjoitus | Elävä Lappi" in text
    assert not soup.select("#responses script")


def test_internal_links_lead_to_the_new_pages(served: Serve) -> None:
    soup = BeautifulSoup(httpx.get(served.url(POST)).text, "html.parser")
    hrefs = {a.get_text(): a["href"] for a in soup.select(".e-content a")}
    assert hrefs["toiseen kirjoitukseen"] == served.url("2014/06/toinen-kirjoitus/")
    assert hrefs["tietosivulle"] == served.url("tietoa/")
    for href in hrefs.values():
        if href.startswith(served.base_url):
            assert httpx.get(href).status_code == 200, href
    second = BeautifulSoup(httpx.get(served.url("2014/06/toinen-kirjoitus/")).text, "html.parser")
    archive = second.find("a", string="kylät-arkisto")["href"]
    assert archive == served.url("category/kylat/") and httpx.get(archive).status_code == 200


def test_mf2_parsers_read_the_thread_as_nested_comments(built: Path) -> None:
    html = (built / POST / "index.html").read_text(encoding="utf-8")
    parsed = mf2py.parse(doc=html, url=f"{SITE}{POST}")
    entry = next(i for i in parsed["items"] if "h-entry" in i["type"])

    def thread(comments: list[dict]) -> list:
        return [
            (
                c["properties"]["author"][0]["properties"]["name"][0],
                thread(c["properties"].get("comment", [])),
            )
            for c in comments
        ]

    assert thread(entry["properties"]["comment"]) == [
        ("Anna Asukas", [("Maija Meikäläinen", [("Anna Asukas", [])])])
    ]


def test_nothing_private_is_in_any_output_file(built: Path, served: Serve) -> None:
    found = []
    for output in (built, served.root / "var/serve/output"):  # serve builds into var/serve
        for path in (p for p in output.rglob("*") if p.is_file()):
            data = path.read_bytes()
            found += [f"{path}: {s}" for s in SECRETS if s.encode() in data]
        assert not (output / "2014" / "07").exists()
    assert found == []


def test_the_imported_draft_is_in_serve_only(built: Path, served: Serve) -> None:
    leaked = [p for p in built.rglob("*") if p.is_file() and DRAFT_TEXT.encode() in p.read_bytes()]
    assert leaked == [] and not (built / "drafts").exists()
    draft = httpx.get(served.url("drafts/keskenerainen-luonnos/"))
    soup = BeautifulSoup(draft.text, "html.parser")
    assert draft.status_code == 200 and DRAFT_TEXT in soup.select_one(".e-content").get_text()
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("?p=1", POST),
        ("?page_id=3", "tietoa/"),
        ("?p=2", "2014/06/toinen-kirjoitus/"),
        ("2014/05/kylatalon-talvi/kyla/", "images/2014/05/kyla.jpg"),  # an attachment page
        ("wp-content/uploads/2014/05/tunturi.jpg", "images/2014/05/tunturi.jpg"),
        ("author/maija/", "author/maija-meikalainen/"),
        ("author/maija", "author/maija-meikalainen/"),
        ("feed/", "feeds/all.atom.xml"),
        ("category/living-lab/feed/", "feeds/category/living-lab.atom.xml"),
    ],
)
def test_serve_answers_old_addresses_with_301_to_the_new_page(
    served: Serve, old: str, new: str
) -> None:
    response = httpx.get(served.url(old))
    assert response.status_code == 301
    assert response.headers["location"] == served.url(new)
    assert httpx.get(response.headers["location"]).status_code == 200


def test_an_unchanged_permalink_is_the_page_itself(served: Serve) -> None:
    assert httpx.get(served.url(POST)).status_code == 200
    assert httpx.get(served.url("category/kylat/")).status_code == 200


def test_the_build_leaves_redirect_pages_at_old_paths(served: Serve) -> None:
    redirect = served.root / "var/serve/output" / "author" / "maija" / "index.html"
    soup = BeautifulSoup(redirect.read_text(encoding="utf-8"), "html.parser")
    target = served.url("author/maija-meikalainen/")
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
    assert soup.find("link", rel="canonical")["href"] == target
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert not (served.root / "var/serve/output" / "?p=1").exists()
    real = (served.root / "var/serve/output" / POST / "index.html").read_text(encoding="utf-8")
    assert "http-equiv" not in real  # a page of the site is never replaced


def test_nginx_accepts_the_generated_map(served: Serve, tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    generated = served.root / "var" / "serve" / "redirects" / "main.nginx.conf"
    assert f'"/?p=1" "{served.url(POST)}";' in generated.read_text(encoding="utf-8")
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ map $request_uri $alusta_redirect {{ include {generated}; }}\n"
        "server { listen 127.0.0.1:1; "
        "if ($alusta_redirect) { return 301 $alusta_redirect; } } }\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [nginx, "-t", "-c", str(conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_caddy_accepts_the_generated_redirects(served: Serve, tmp_path: Path) -> None:
    caddy = shutil.which("caddy") or "/usr/bin/caddy"
    generated = served.root / "var" / "serve" / "redirects" / "main.caddy"
    text = generated.read_text(encoding="utf-8")
    assert (
        "query p=1" in text
        and f"redir /author/maija/ {served.url('author/maija-meikalainen/')} 301" in text
    )
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(f"http://127.0.0.1:1 {{\n\timport {generated}\n}}\n", encoding="utf-8")
    checked = subprocess.run(
        [caddy, "adapt", "--config", str(caddyfile), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr

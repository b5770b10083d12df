"""Replies to the public site show in serve too.

Replies imported from WordPress or webmention.io, and those sent to the live site, name
the public addresses (https://alusta.example/…); serve builds the sites under
http://127.0.0.1:PORT/. A real `publish.py serve` must show them under the posts they
answer, as the production build does."""

from __future__ import annotations

from pathlib import Path

import httpx
from bs4 import BeautifulSoup

from alusta.models import MentionKind
from alusta.responses.model import by_target, make_response, rebased
from tests.publish_server import Serve
from tests.responses_fixtures import POST_PATH, post_url, responses_project, store_mention

PUBLIC = "https://alusta.example"
HERE = "http://127.0.0.1:8000"


def _keys(targets: list[str], public: str, base: str) -> list[str]:
    responses = [
        make_response(id=n, kind=MentionKind.REPLY, target=t, source=f"https://r{n}.example/")
        for n, t in enumerate(targets)
    ]
    return sorted(rebased(by_target(responses), public, base))


def test_keys_under_the_public_address_move_to_where_the_site_is_built() -> None:
    assert _keys(
        [f"{PUBLIC}/2026/11/x/", f"{PUBLIC}/", "https://muu.example/2026/11/x/"], PUBLIC, HERE
    ) == [
        "https://127.0.0.1:8000/",
        "https://127.0.0.1:8000/2026/11/x",
        "https://muu.example/2026/11/x",
    ]


def test_a_pilot_on_its_own_domain_moves_under_its_serve_folder() -> None:
    assert _keys(
        ["https://rajalla.fi/2026/10/y/"], "https://rajalla.fi", f"{HERE}/pilots/rajalla"
    ) == ["https://127.0.0.1:8000/pilots/rajalla/2026/10/y"]


def test_an_address_that_only_starts_like_the_public_one_stays() -> None:
    assert _keys(["https://alusta.example.org/a/"], PUBLIC, HERE) == [
        "https://alusta.example.org/a"
    ]


def test_serve_shows_a_reply_stored_for_the_public_address(tmp_path: Path) -> None:
    settings = responses_project(tmp_path / "project")
    assert post_url(settings).startswith("https://")  # the production address
    store_mention(settings, source="https://aino.example/r", target=post_url(settings))
    store_mention(
        settings,
        source="https://sven.example/r",
        target=post_url(settings, "rajalla"),
        site="rajalla",
        author="Sven",
    )
    with Serve(settings.root) as serve:
        main = BeautifulSoup(httpx.get(serve.url(POST_PATH)).text, "html.parser")
        pilot = BeautifulSoup(
            httpx.get(serve.url(f"pilots/rajalla/{POST_PATH}")).text, "html.parser"
        )
    assert [n.get_text(strip=True) for n in main.select("ol.replies .p-author .p-name")] == [
        "Aino Esimerkki"
    ]
    assert [n.get_text(strip=True) for n in pilot.select("ol.replies .p-author .p-name")] == [
        "Sven"
    ]

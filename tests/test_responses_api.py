"""A build away from the database reads responses from the endpoint's GET /mentions JF2 API:
the real endpoint under uvicorn, a real build, and a hostile JF2 feed from a local server."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from alusta.app import create_app
from alusta.build import build_sites
from alusta.db import connect
from alusta.errors import BuildError
from tests.endpoint_server import RunningEndpoint
from tests.mention_rows import add_approved
from tests.project import project_settings
from tests.responses_fixtures import (
    RECEIVED_START,
    page_soup,
    post_file,
    post_url,
    responses_project,
    responses_section,
    store_mention,
)
from tests.servers import SourceServer


def api_settings(root: Path, url: str):
    """The same project, built with an empty database of its own and the API at `url`."""
    return project_settings(
        root,
        ALUSTA_MENTIONS_URL=url,
        ALUSTA_ALLOW_PRIVATE_ADDRESSES="1",
        ALUSTA_DATABASE="var/elsewhere.sqlite3",
    )


def test_a_build_from_the_api_shows_what_a_build_from_the_database_shows(tmp_path) -> None:
    settings = responses_project(tmp_path / "project")
    post = post_url(settings)
    store_mention(
        settings,
        source="https://aino.example/r",
        target=post,
        published="2026-11-21T10:00:00+02:00",
        content="<p>Hyvä <em>juttu</em> – in English too</p>",
        lang="en",  # the feed carries it, so the API build marks it too
    )
    store_mention(
        settings,
        source="https://fan.example/l",
        target=post,
        kind="like",
        author="Fani",
        received=RECEIVED_START + 5,
    )
    store_mention(
        settings,
        source="https://blogi.example/k",
        target=post,
        kind="pingback",
        protocol="pingback",
        author="",
        title="Blogin kirjoitus",
        received=RECEIVED_START + 9,
    )
    build_sites(settings)
    from_database = post_file(settings).read_bytes()

    with RunningEndpoint(create_app(settings)) as endpoint:
        elsewhere = api_settings(settings.root, endpoint.url(""))
        assert elsewhere.mentions_url == endpoint.url("")
        build_sites(elsewhere)

    assert not elsewhere.database_path.exists() or elsewhere.database_path != settings.database_path
    section = responses_section(page_soup(elsewhere))
    assert section.h2.get_text(strip=True) == "3 reaktiota"
    assert section.select_one("ol.replies .e-content")["lang"] == "en"
    assert [li.get_text(" ", strip=True) for li in section.select(".pingbacks li")] == [
        "Pingback: Blogin kirjoitus | blogi.example"
    ]
    assert post_file(elsewhere).read_bytes() == from_database


HOSTILE_FEED = {
    "type": "feed",
    "children": [
        {
            "type": "entry",
            "wm-id": 1,
            "wm-property": "in-reply-to",
            "wm-protocol": "webmention",
            "wm-target": "{post}",
            "wm-received": "2026-11-20T10:00:00+00:00",
            "url": "https://paha.example/r",
            "published": "2026-11-20T10:00:00+00:00",
            "author": {
                "type": "card",
                "name": "<script>alert(1)</script>Paha",
                "url": "javascript:alert(1)",
                "photo": "data:image/png;base64,AAAA",
            },
            "content": {
                "html": "<p onclick=alert(1)>Moi<script>alert(2)</script>"
                "<a href='javascript:alert(3)'>linkki</a></p>",
                "text": "Moi",
            },
        },
        {
            "type": "entry",
            "wm-id": "2",
            "wm-property": "in-reply-to",
            "wm-target": "{post}",
            "url": "https://paha.example/no-int-id",
        },
        {
            "type": "entry",
            "wm-id": 3,
            "wm-property": "rsvp",
            "wm-target": "{post}",
            "url": "https://paha.example/unknown-kind",
        },
        {
            "type": "entry",
            "wm-id": 4,
            "wm-property": "like-of",
            "wm-target": "{post}",
            "url": "javascript:alert(4)",
        },
        "not an object",
    ],
}


def test_a_hostile_feed_is_sanitised_and_its_unusable_entries_dropped(tmp_path) -> None:
    settings = responses_project(tmp_path / "project")
    feed = json.dumps(HOSTILE_FEED).replace("{post}", post_url(settings)).encode()
    with SourceServer() as api:
        api.route("/mentions", body=feed, content_type="application/json")
        build_sites(api_settings(settings.root, api.url("")))
        assert api.hits["/mentions"] == 3  # one request per site
    section = responses_section(page_soup(settings))
    assert section.h2.get_text(strip=True) == "1 reaktio"
    reply = section.select_one("ol.replies li")
    assert reply.find("script") is None and reply.find(attrs={"onclick": True}) is None
    assert reply.select_one(".p-author .p-name").get_text() == "<script>alert(1)</script>Paha"
    assert reply.select_one(".p-author a") is None
    assert [a.get("href") for a in reply.select(".e-content a")] == [None]
    assert reply.img is None  # a data: photo is never fetched nor shown


def test_an_unreachable_api_fails_the_build_and_keeps_the_output(tmp_path) -> None:
    settings = responses_project(tmp_path / "project")
    build_sites(settings)
    before = post_file(settings).read_bytes()
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(BuildError, match="mentions API"):
        build_sites(api_settings(settings.root, f"http://127.0.0.1:{port}"))
    assert post_file(settings).read_bytes() == before


def test_a_build_reads_every_page_of_a_long_feed(tmp_path) -> None:
    settings = responses_project(tmp_path / "project")
    connection = connect(settings.database_path)
    try:
        add_approved(connection, target=post_url(settings), count=230, kind="like")
    finally:
        connection.close()
    build_sites(settings)
    from_database = post_file(settings).read_bytes()
    with RunningEndpoint(create_app(settings)) as endpoint:  # pages of at most 100
        build_sites(api_settings(settings.root, endpoint.url("")))
    assert post_file(settings).read_bytes() == from_database
    assert "230" in responses_section(page_soup(settings)).h2.get_text()

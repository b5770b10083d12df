"""GET /mentions as webmention.io's JF2 API: pages, sorting, size cap, ETag cache, CORS,
`/api/mentions.jf2`, the entry keys, `target[]`, fragments and 400s (issue 11, items 3 and 8).

Mentions are written straight into the endpoint's real SQLite file (tests/mention_rows.py);
the endpoint runs under a real uvicorn.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from alusta import store
from alusta.app import create_app
from alusta.db import applied_migrations, apply_migrations, connect, migrations
from alusta.models import MentionStatus
from tests.endpoint_server import (
    ADMIN_TOKEN,
    MAIN_URL,
    POST,
    RunningEndpoint,
    endpoint_settings,
    reply_page,
)
from tests.mention_rows import add_approved

OTHER = f"{MAIN_URL}/pages/tietoa.html"
JF2 = "application/jf2feed+json"


@dataclass
class Feed:
    endpoint: RunningEndpoint
    connection: sqlite3.Connection

    def get(self, path: str = "/mentions", **params: str | list[str]):
        headers = {}
        if "if_none_match" in params:
            headers["If-None-Match"] = params.pop("if_none_match")
        return self.endpoint.client.get(path, params=params, headers=headers)

    def ids(self, **params: str | list[str]) -> list[int]:
        response = self.get(**params)
        assert response.status_code == 200, response.text
        return [entry["wm-id"] for entry in response.json()["children"]]


@pytest.fixture
def feed(tmp_path) -> Iterator[Feed]:
    settings = endpoint_settings(tmp_path / "project", read_rate_limit_per_minute="100000")
    with RunningEndpoint(create_app(settings)) as endpoint:
        connection = connect(settings.database_path)
        try:
            yield Feed(endpoint, connection)
        finally:
            connection.close()


# --- item 3: bounded reads ----------------------------------------------------------------


def test_pages_of_20_newest_first_as_webmention_io(feed):
    ids = add_approved(feed.connection, target=POST, count=45)
    newest_first = ids[::-1]
    assert feed.ids(target=POST) == newest_first[:20]
    assert feed.ids(target=POST, page="1") == newest_first[20:40]
    assert feed.ids(target=POST, page="2") == newest_first[40:]
    assert feed.ids(target=POST, page="3") == []
    assert feed.ids(target=POST, **{"per-page": "100"}) == newest_first
    assert feed.ids(target=POST, **{"per-page": "10", "sort-dir": "up"}) == ids[:10]
    assert feed.ids(target=POST, perPage="5") == newest_first[:5]


def test_since_since_id_and_sort_by(feed):
    ids = add_approved(feed.connection, target=POST, count=5)
    assert feed.ids(target=POST, since_id=str(ids[2]), **{"sort-dir": "up"}) == ids[3:]
    assert feed.ids(target=POST, since="2026-11-01T00:00:02Z", **{"sort-dir": "up"}) == ids[3:]
    assert feed.ids(target=POST, since="2026-11-01T02:00:01+0200") == ids[:1:-1]
    feed.connection.execute("UPDATE mentions SET published = '2026-12-24T00:00:00+00:00' "
                            "WHERE id = ?", (ids[1],))  # fmt: skip
    feed.connection.execute("UPDATE mentions SET updated = '2027-01-01T00:00:00+00:00' "
                            "WHERE id = ?", (ids[3],))  # fmt: skip
    assert feed.ids(target=POST, **{"sort-by": "published"})[0] == ids[1]
    assert feed.ids(target=POST, **{"sort-by": "updated"})[0] == ids[3]
    assert feed.ids(target=POST, **{"sort-by": "created"})[0] == ids[4]


def test_a_page_is_capped_however_big_the_mentions(feed):
    add_approved(feed.connection, target=POST, count=300, content_chars=50_000)
    first = feed.get(target=POST)
    assert len(first.json()["children"]) == 20
    assert len(first.content) < 2_500_000
    widest = feed.get(target=POST, **{"per-page": "100"})
    assert len(widest.json()["children"]) == 100
    assert len(widest.content) < 12_000_000
    assert feed.get(target=POST, **{"per-page": "101"}).status_code == 400


def test_repeated_reads_get_an_etag_and_304_until_moderation_changes_the_target(feed):
    ids = add_approved(feed.connection, target=POST, count=3)
    add_approved(feed.connection, target=OTHER, count=2, host="other.example")
    first = feed.get(target=POST)
    etag = first.headers["ETag"]
    other_etag = feed.get(target=OTHER).headers["ETag"]
    again = feed.get(target=POST, if_none_match=etag)
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["ETag"] == etag
    store.moderate(feed.connection, [ids[0]], MentionStatus.REJECTED, now=1.8e9)  # as the CLI
    changed = feed.get(target=POST, if_none_match=etag)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert [e["wm-id"] for e in changed.json()["children"]] == ids[:0:-1]
    assert feed.get(target=OTHER, if_none_match=other_etag).status_code == 304
    store.moderate(feed.connection, [ids[0]], MentionStatus.APPROVED, now=1.8e9)
    back = feed.get(target=POST, if_none_match=changed.headers["ETag"])
    assert [e["wm-id"] for e in back.json()["children"]] == ids[::-1]


def test_reads_are_rate_limited_per_client(tmp_path):
    settings = endpoint_settings(tmp_path / "project", read_rate_limit_per_minute="3")
    with RunningEndpoint(create_app(settings)) as endpoint:
        codes = [endpoint.client.get("/mentions").status_code for _ in range(4)]
        limited = endpoint.client.get("/api/mentions.jf2")
    assert codes == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.headers["Access-Control-Allow-Origin"] == "*"


# --- interop ------------------------------------------------------------------------------


def test_cors_and_the_webmention_io_address(feed):
    ids = add_approved(feed.connection, target=POST, count=2)
    for path in ("/mentions", "/api/mentions.jf2"):
        response = feed.get(path, target=POST)
        assert response.headers["content-type"].startswith(JF2)
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert [e["wm-id"] for e in response.json()["children"]] == ids[::-1]
        preflight = feed.endpoint.client.options(
            path,
            headers={
                "Origin": "https://lukija.example",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "if-none-match",
            },
        )
        assert preflight.status_code in (200, 204)
        assert preflight.headers["Access-Control-Allow-Origin"] == "*"
        assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
        assert "if-none-match" in preflight.headers["Access-Control-Allow-Headers"].lower()
    refused = feed.get(target="ftp://x")
    assert refused.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("kind", "key"),
    [("reply", "in-reply-to"), ("like", "like-of"), ("repost", "repost-of"),
     ("bookmark", "bookmark-of"), ("mention", "mention-of")],
)  # fmt: skip
def test_each_entry_carries_its_property_private_flag_and_rfc3339_published(feed, kind, key):
    add_approved(feed.connection, target=POST, count=1, kind=kind)
    (entry,) = feed.get(target=POST).json()["children"]
    assert entry[key] == POST
    assert entry["wm-property"] == key
    assert entry["wm-private"] is False
    assert entry["published"] == "2026-11-20T10:00:00+02:00"
    for field in ("wm-id", "wm-source", "wm-target", "wm-received"):
        assert field in entry


def test_target_list_selects_those_targets_only(feed):
    post = add_approved(feed.connection, target=POST, count=2)
    other = add_approved(feed.connection, target=OTHER, count=2, host="other.example")
    add_approved(feed.connection, target=f"{MAIN_URL}/", count=2, host="front.example")
    both = {"target[]": [POST, OTHER], "per-page": "100"}
    assert sorted(feed.ids(**both)) == sorted(post + other)
    assert sorted(feed.ids(**{"target[]": [OTHER]})) == sorted(other)
    assert sorted(feed.ids(target=f"{MAIN_URL}/posts/hello.html?utm_source=x")) == sorted(post)
    assert len(feed.ids(domain="alusta.example", **{"per-page": "100"})) == 6
    assert feed.ids(domain="muu.example") == []
    assert sorted(feed.ids(target=POST, **{"wm-property": "in-reply-to"})) == sorted(post)
    assert feed.ids(target=POST, **{"wm-property[]": ["like-of", "repost-of"]}) == []


def test_the_token_parameter_is_the_admin_token_as_in_webmention_io(feed):
    add_approved(feed.connection, target=POST, count=1)
    feed.connection.execute("UPDATE mentions SET status = 'pending'")
    assert feed.ids(target=POST) == []
    assert len(feed.ids(target=POST, token=ADMIN_TOKEN)) == 1
    assert feed.ids(target=POST, token="webmention-io-token") == []


# --- fragments ----------------------------------------------------------------------------


def test_a_fragment_target_is_stored_and_found_as_the_page(feed, source_server):
    source = source_server.route("/ok", body=reply_page(POST))
    sent = feed.endpoint.send(source, target=f"{POST}#vastaukset")
    assert sent.status_code == 201
    assert feed.endpoint.wait_for(sent.headers["Location"])["status"] == "approved"
    (entry,) = feed.get(target=f"{POST}#vastaukset").json()["children"]
    assert entry["wm-target"] == POST
    assert entry["in-reply-to"] == POST
    (row,) = feed.connection.execute("SELECT target FROM mentions").fetchall()
    assert row[0] == POST


# --- item 8: every bad query is a 400 with a reason ---------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"target": "ftp://x"},
        {"target": "http://a.example:99999/"},
        {"target[]": ["https://alusta.example/", "javascript:alert(1)"]},
        {"since": "eilen"},
        {"since": "0001-01-01T00:00:00+23:59"},
        {"since_id": "-1"},
        {"since_id": "x"},
        {"per-page": "0"},
        {"per-page": "1000"},
        {"perPage": "kaksi"},
        {"page": "-1"},
        {"page": "1.5"},
        {"sort-by": "rsvp"},
        {"sort-by": "nimi"},
        {"sort-dir": "sideways"},
        {"domain": "http://alusta.example/"},
        {"wm-property": "rsvp-of"},
        {"limit": "0"},
    ],
)
def test_every_bad_query_is_a_400_with_a_reason(feed, params):
    response = feed.get(**params)
    assert response.status_code == 400, params
    document = response.json()
    assert document["error"] == "invalid_input"
    reason = document["error_description"]
    assert reason and "\n" not in reason
    assert any(name.removesuffix("[]") in reason for name in params), reason


def test_migration_0070_strips_fragments_from_stored_targets(tmp_path):
    connection = connect(tmp_path / "old.sqlite3", migrate=False)
    applied_migrations(connection)  # creates schema_migrations
    for migration in migrations():
        if migration.name < "0070":
            connection.executescript(migration.sql)
            connection.execute("INSERT INTO schema_migrations (name) VALUES (?)", (migration.name,))
    add_approved(connection, target=f"{POST}#vastaukset", count=2)
    assert "0070_mention_feed" in apply_migrations(connection)
    targets = {row[0] for row in connection.execute("SELECT target FROM mentions")}
    assert targets == {POST}
    connection.close()

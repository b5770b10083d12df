"""Property tests of the JF2 API's query (Hypothesis): any query string is a page, a 304 or a
400 with a reason, never a 500 or a dropped connection (issue 11, item 8).

The parser and the SQL run on every example; a smaller share goes over HTTP to the real
endpoint under uvicorn, with approved mentions in its real SQLite file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from starlette.datastructures import QueryParams

from alusta.app import create_app
from alusta.db import connect
from alusta.endpoint.feed_query import BadQuery, parse_feed_query
from alusta.mention_feed import feed_page
from tests.endpoint_server import POST, RunningEndpoint, endpoint_settings
from tests.mention_rows import add_approved

NAMES = [
    "target", "target[]", "domain", "site", "since", "since_id", "wm-property",
    "wm-property[]", "sort-by", "sort-dir", "per-page", "perPage", "limit", "page", "token",
]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(
        [POST, f"{POST}#vastaukset", "//alusta.example/posts/hello.html", "ftp://x",
         "http://a.example:99999/", "http://xn--localhost:8000/", "2026-11-01T00:00:00+0200",
         "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "eilen", "published",
         "updated", "up", "down", "like-of", "rsvp", "alusta.example", "ä.fi", "[::1]", "100",
         "0", "-1", "٣", "1e3", " 5"]
    ),
)  # fmt: skip
PAIRS = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=8)), VALUES))
QUERIES = st.one_of(PAIRS.map(urlencode), st.text(max_size=80))
HTTP_EXAMPLES = 150
QUERY_SAFE = "=&+%/:@[],;"  # the rest (controls, spaces, '#', non-ASCII) as a client encodes


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Iterator[tuple[RunningEndpoint, sqlite3.Connection]]:
    root = tmp_path_factory.mktemp("feed") / "project"
    endpoint_settings_ = endpoint_settings(root, read_rate_limit_per_minute="1000000")
    with RunningEndpoint(create_app(endpoint_settings_)) as endpoint:
        connection = connect(endpoint_settings_.database_path)
        add_approved(connection, target=POST, count=30)
        try:
            yield endpoint, connection
        finally:
            connection.close()


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUERIES)
@example("per-page=٣")  # an Arabic-Indic digit passes str.isdigit but is no page size
@example("since=0001-01-01T00:00:00%2B23:59")  # before year 1 in UTC
@example("page=100000&per-page=100")
def test_any_query_parses_or_is_refused_in_one_sentence(text):
    for public in (True, False):
        try:
            query = parse_feed_query(QueryParams(text), public=public)
        except BadQuery as error:
            assert str(error) and "\n" not in str(error)
            continue
        assert 1 <= query.per_page <= 100
        assert query.page >= 0


@settings(
    max_examples=HTTP_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(QUERIES)
@example("target=ftp://x")
@example("target=http://a.example:99999/")
@example("since=eilen")
@example("since=0001-01-01T00:00:00%2B23:59")
def test_any_query_string_is_a_page_or_a_400_never_a_500(seeded, text):
    endpoint, connection = seeded
    response = endpoint.client.get("/mentions?" + quote(text, safe=QUERY_SAFE))  # as sent
    assert response.status_code in (200, 304, 400), (text, response.text)
    document = response.json()
    if response.status_code == 400:
        assert document["error"] == "invalid_input"
        assert document["error_description"]
    else:
        assert document["type"] == "feed"
        assert len(document["children"]) <= 100
    try:  # the same query straight against the SQLite file
        query = parse_feed_query(QueryParams(text), public=True)
    except BadQuery:
        return
    assert len(feed_page(connection, query)) <= query.per_page

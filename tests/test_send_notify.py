"""Posting one Webmention or Pingback, against real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
import xmlrpc.client

import pytest

from alusta.send.client import SendClient
from alusta.send.notify import EXCERPT_CHARS, Outcome, pingback_answer, send_one
from tests.send_servers import PingbackServer, Response, TargetServer

ENDPOINT_PAGE = '<!doctype html><link rel="webmention" href="/webmention?token=x"><p>post</p>'


def notify(server: TargetServer, target_path: str, **client: object):
    client.setdefault("allow_private", True)
    return asyncio.run(
        send_one(server.url("/source"), server.url(target_path), SendClient(**client))
    )


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_any_2xx_is_accepted(status):
    with TargetServer() as server:
        server.add_page("/post", ENDPOINT_PAGE)
        server.script_posts("/webmention", Response(status, [], "" if status == 204 else "ok"))

        attempt = notify(server, "/post")

    assert attempt.outcome is Outcome.ACCEPTED and attempt.status == status
    assert attempt.endpoint == server.url("/webmention?token=x")


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(400, Outcome.REJECTED), (404, Outcome.REJECTED), (429, Outcome.RETRY),
     (500, Outcome.RETRY), (503, Outcome.RETRY)],
)  # fmt: skip
def test_errors_are_rejections_or_retries(status, outcome):
    with TargetServer() as server:
        server.add_page("/post", ENDPOINT_PAGE)
        server.script_posts("/webmention", Response(status, [], "source does not link to target"))

        attempt = notify(server, "/post")

    assert attempt.outcome is outcome
    assert attempt.excerpt == "source does not link to target"


def test_the_webmention_is_form_encoded_with_the_endpoint_query_kept():
    with TargetServer() as server:
        server.add_page("/post", ENDPOINT_PAGE)
        notify(server, "/post")
        (post,) = server.posted()

    assert post.path == "/webmention?token=x"
    assert post.content_type == "application/x-www-form-urlencoded"
    assert post.form == {"source": [server.url("/source")], "target": [server.url("/post")]}


def test_the_response_excerpt_is_capped():
    with TargetServer() as server:
        server.add_page("/post", ENDPOINT_PAGE)
        server.script_posts("/webmention", Response(202, [], "x" * 3_000_000))

        attempt = notify(server, "/post", max_bytes=100_000)

    assert attempt.outcome is Outcome.ACCEPTED and len(attempt.excerpt) == EXCERPT_CHARS


def test_a_target_without_endpoints_gets_nothing():
    with TargetServer() as server:
        server.add_page("/post", "<p>no endpoint here</p>")
        attempt = notify(server, "/post")

        assert attempt.outcome is Outcome.NO_ENDPOINT and server.posted() == []


def test_a_failing_target_is_retried_and_a_missing_one_is_not():
    with TargetServer() as server:
        server.add_page("/broken", ENDPOINT_PAGE, status=502)
        assert notify(server, "/broken").outcome is Outcome.RETRY
        assert notify(server, "/missing").outcome is Outcome.NO_ENDPOINT
        assert server.posted() == []


def test_a_slow_endpoint_times_out_as_a_retry():
    with TargetServer() as server:
        server.add_page("/post", ENDPOINT_PAGE)
        server.script_posts("/webmention", Response(202, [], "late", delay_seconds=2))
        started = time.monotonic()

        attempt = notify(server, "/post", timeout_seconds=0.5)

    assert attempt.outcome is Outcome.RETRY and time.monotonic() - started < 1.8


@pytest.mark.parametrize("advertised", ["header", "link"])
def test_a_pingback_server_is_called_when_there_is_no_webmention_endpoint(advertised):
    with PingbackServer() as xmlrpc_server, TargetServer() as server:
        if advertised == "header":
            server.add_page("/post", "<p>old blog</p>", headers=[("X-Pingback", xmlrpc_server.url)])
        else:
            server.add_page("/post", f'<link rel="pingback" href="{xmlrpc_server.url}"><p>old</p>')

        attempt = notify(server, "/post")

    assert attempt.protocol == "pingback" and attempt.outcome is Outcome.ACCEPTED
    assert attempt.excerpt == "Pingback registered"
    assert xmlrpc_server.calls == [(server.url("/source"), server.url("/post"))]


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [(0x11, Outcome.REJECTED), (0x21, Outcome.REJECTED), (0x30, Outcome.ACCEPTED),
     (0x32, Outcome.RETRY)],
)  # fmt: skip
def test_pingback_faults(fault, outcome):
    with PingbackServer(fault=fault) as xmlrpc_server, TargetServer() as server:
        server.add_page("/post", "<p>old</p>", headers=[("X-Pingback", xmlrpc_server.url)])
        attempt = notify(server, "/post")

    assert attempt.outcome is outcome and attempt.excerpt.startswith(f"fault {fault}:")


def test_a_hostile_pingback_answer_is_refused_without_expanding_entities():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<methodResponse><params><param><value><string>&c;</string></value></param></params>"
        b"</methodResponse>"
    )

    outcome, text = pingback_answer(bomb)

    assert outcome is Outcome.REJECTED and "unreadable" in text


def test_a_pingback_success_answer_is_read():
    answer = xmlrpc.client.dumps(("Thanks!",), methodresponse=True).encode()

    assert pingback_answer(answer) == (Outcome.ACCEPTED, "Thanks!")

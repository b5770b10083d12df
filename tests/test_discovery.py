"""Endpoint discovery (Webmention §3.1.2, Pingback fallback) against real servers on 127.0.0.1.

Each scenario file in tests/data/discovery/ is served by a real HTTP server; the sender
notifies the scenario's target and the server records which endpoint got the POST.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from alusta.send.client import SendClient
from alusta.send.discover import Protocol, discover, find_endpoint, parse_link_headers
from alusta.send.notify import send_one
from tests.send_servers import Scenario, TargetServer, load_scenarios

SCENARIOS = load_scenarios()


def observed(server: TargetServer) -> str:
    """What the server received, in the scenario files' `expect` notation."""
    posts = server.posted()
    if not posts:
        return "none"
    assert len(posts) == 1, f"expected one notification, got {len(posts)}"
    post = posts[0]
    if "xml" in post.content_type and b"pingback.ping" in post.body:
        return f"pingback {post.path}"
    assert post.content_type == "application/x-www-form-urlencoded"
    return f"webmention {post.path}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_expected_endpoint_gets_the_notification(scenario: Scenario):
    with TargetServer() as server:
        target = server.add_scenario(scenario)
        source = server.url("/source")
        asyncio.run(send_one(source, target, SendClient(allow_private=True)))

        assert observed(server) == scenario.expect, scenario.description
        for post in server.posted():
            if post.form:
                assert post.form == {"source": [source], "target": [target]}


def test_discovery_reports_the_final_url_after_redirects():
    scenario = next(s for s in SCENARIOS if s.name == "redirect-twice-html-endpoint")
    with TargetServer() as server:
        target = server.add_scenario(scenario)
        found = asyncio.run(discover(target, SendClient(allow_private=True)))

    assert found.final_url == server.url("/final/page")
    assert found.endpoint.url == server.url("/final/endpoint/redirect-twice-html-endpoint")


def test_discovery_refuses_loopback_targets_unless_private_addresses_are_allowed():
    scenario = next(s for s in SCENARIOS if s.name == "link-header-relative")
    with TargetServer() as server:
        target = server.add_scenario(scenario)
        attempt = asyncio.run(send_one(server.url("/s"), target, SendClient(allow_private=False)))

        assert attempt.outcome == "refused"
        assert server.posted() == [] and server.max_active == 0


def test_link_header_values_with_commas_and_semicolons_inside_quotes():
    links = parse_link_headers(['<https://a.example/x>; title="a, <b>; c"; rel="next webmention"'])

    assert [(link.url, sorted(link.rels)) for link in links] == [
        ("https://a.example/x", ["next", "webmention"])
    ]


def test_a_link_header_without_rel_is_not_an_endpoint():
    headers = httpx.Headers([("link", '</endpoint>; anchor="webmention"')])

    assert find_endpoint("https://a.example/post", headers, "<p>no endpoint</p>") is None


def test_a_javascript_endpoint_is_ignored():
    html = '<link rel="webmention" href="javascript:alert(1)">'

    assert find_endpoint("https://a.example/post", httpx.Headers(), html) is None


def test_an_endpoint_inside_a_script_is_not_markup():
    html = (
        '<script>document.write(\'<link rel="webmention" href="/wrong">\')</script>'
        '<a rel="webmention" href="/right">wm</a>'
    )

    endpoint = find_endpoint("https://a.example/post", httpx.Headers(), html)

    assert endpoint.protocol is Protocol.WEBMENTION
    assert endpoint.url == "https://a.example/right"

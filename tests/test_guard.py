"""Rate limits that hold (alusta/web/guard, buckets, clients): IPv6 /64 clients, shared
buckets across processes on one SQLite file, expiry without scans, trusted proxies.

Real uvicorn on 127.0.0.1, a real `publish.py endpoint --workers 2`, real SQLite files."""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest
from bs4 import BeautifulSoup

from alusta.app import create_app
from alusta.errors import ConfigError
from alusta.i18n.texts import translate
from alusta.web.buckets import BUCKETS_FILE, SharedBuckets
from alusta.web.clients import client_address, client_key
from alusta.web.guard import Limits, RateLimited, Scope
from alusta.web.pages import TEXTS
from tests.endpoint_server import POST, RunningEndpoint, endpoint_settings
from tests.feedback_project import FORM, VALID, feedback_settings
from tests.publish_server import Serve

SAME_64 = [f"2001:db8:1:2:{n:x}:{n:x}:0:{n:x}" for n in range(1, 41)]


def proxied(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


# --- who the client is -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("", ""),
    ],
)
def test_client_key_is_the_ipv4_address_or_the_ipv6_64(address, key):
    assert client_key(address) == key


def test_forwarded_for_counts_only_from_a_trusted_proxy(tmp_path):
    settings = endpoint_settings(tmp_path / "project", trusted_proxies="10.0.0.0/24,::1")
    proxies = settings.trusted_proxies
    assert client_address("203.0.113.9", "198.51.100.1", proxies) == "203.0.113.9"
    assert client_address("10.0.0.7", "198.51.100.1", proxies) == "198.51.100.1"
    # the right-most address that is not a proxy: the left part is the client's own say
    assert client_address("10.0.0.7", "6.6.6.6, 198.51.100.1, 10.0.0.8", proxies) == (
        "198.51.100.1"
    )
    assert client_address("::1", "garbage", proxies) == "::1"
    assert client_address("10.0.0.7", "198.51.100.1", ()) == "10.0.0.7"


def test_a_trusted_proxy_that_is_not_an_address_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"TRUSTED_PROXIES: 'proxy\.example' is not an IP"):
        endpoint_settings(tmp_path / "project", trusted_proxies="127.0.0.1, proxy.example")


# --- buckets -----------------------------------------------------------------------------


def test_rate_limited_says_whole_seconds_to_wait(tmp_path):
    limits = Limits(endpoint_settings(tmp_path / "project", rate_limit_per_minute="2"))
    limits.check_key("203.0.113.5", Scope.MENTIONS, now=0.0)
    limits.check_key("203.0.113.5", Scope.MENTIONS, now=0.0)
    with pytest.raises(RateLimited, match="address") as caught:
        limits.check_key("203.0.113.5", Scope.MENTIONS, now=0.0)
    assert caught.value.retry_after == 30
    limits.check_key("203.0.113.5", Scope.MENTIONS, now=30.0)  # a token back in 30 s


def test_scopes_have_their_own_buckets_and_the_source_host_its_own(tmp_path):
    settings = endpoint_settings(
        tmp_path / "project",
        rate_limit_per_minute="1",
        read_rate_limit_per_minute="3",
        source_rate_limit_per_minute="1",
    )
    limits = Limits(settings)
    limits.check_key("a", Scope.MENTIONS, source_host="spam.example", now=0.0)
    for _ in range(3):  # reads do not spend what a sender may send, and have more
        limits.check_key("a", Scope.READ, now=0.0)
    with pytest.raises(RateLimited):
        limits.check_key("a", Scope.READ, now=0.0)
    with pytest.raises(RateLimited, match="source host"):
        limits.check_key("b", Scope.MENTIONS, source_host="spam.example", now=0.0)
    limits.check_key("c", Scope.MENTIONS, source_host="friend.example", now=0.0)


def test_two_limits_on_one_file_share_the_buckets(tmp_path):
    settings = endpoint_settings(tmp_path / "project", rate_limit_per_minute="4")
    first, second = Limits(settings), Limits(settings)
    for limits in (first, second, first, second):
        limits.check_key("203.0.113.5", Scope.MENTIONS, now=0.0)
    for limits in (first, second):
        with pytest.raises(RateLimited):
            limits.check_key("203.0.113.5", Scope.MENTIONS, now=0.0)


def test_buckets_unused_for_a_minute_are_deleted_by_later_requests(tmp_path):
    buckets = SharedBuckets(tmp_path / BUCKETS_FILE)
    for number in range(5000):
        buckets.take({f"old-{number}": 10}, now=0.0)
    assert buckets.held() == 5000
    for number in range(20_000):  # a sweep over every slice of the key space
        buckets.take({f"new-{number % 100}": 10**6}, now=61.0)
    assert buckets.held() == 100


def test_a_bucket_file_locked_by_a_stuck_process_lets_requests_through(tmp_path, caplog):
    buckets = SharedBuckets(tmp_path / BUCKETS_FILE)
    buckets.take({"a": 1}, now=0.0)
    stuck = sqlite3.connect(tmp_path / BUCKETS_FILE, isolation_level=None)
    stuck.execute("BEGIN IMMEDIATE")  # a worker stopped in the middle of its UPSERT
    try:
        began = time.monotonic()
        assert buckets.take({"a": 1}, now=0.0) == {}  # over the limit, yet let through
        assert time.monotonic() - began < 1.0
    finally:
        stuck.execute("ROLLBACK")
        stuck.close()
    assert "let through" in caplog.text
    assert buckets.take({"a": 1}, now=0.0) == {"a": pytest.approx(60.0)}


def test_keys_are_stored_as_keyed_hashes_not_addresses(tmp_path):
    settings = endpoint_settings(tmp_path / "project")
    Limits(settings).check_key("203.0.113.5", Scope.MENTIONS, source_host="a.example")
    path = settings.var_dir / BUCKETS_FILE
    stored = b"".join(p.read_bytes() for p in path.parent.glob(BUCKETS_FILE + "*"))
    assert b"203.0.113.5" not in stored and b"a.example" not in stored


# --- through a real server ---------------------------------------------------------------


def test_forty_addresses_of_one_ipv6_64_share_one_limit(tmp_path):
    settings = endpoint_settings(
        tmp_path / "project", rate_limit_per_minute="10", trusted_proxies="127.0.0.1"
    )
    with RunningEndpoint(create_app(settings)) as endpoint:
        codes = [
            endpoint.send(f"https://blog{n}.example/p", **proxied(address)).status_code
            for n, address in enumerate(SAME_64)
        ]
        other_64 = endpoint.send("https://x.example/p", **proxied("2001:db8:1:3::1"))
    assert codes == [201] * 10 + [429] * 30
    assert other_64.status_code == 201


def test_feedback_limit_holds_for_one_ipv6_64(tmp_path):
    settings = feedback_settings(
        tmp_path / "project", feedback_rate_limit_per_minute="10", trusted_proxies="127.0.0.1"
    )
    path = f"/feedback/main/{FORM}"
    with RunningEndpoint(create_app(settings)) as endpoint:
        codes = [
            endpoint.client.post(
                path, data=VALID, headers={"Accept": "application/json", **proxied(address)}
            ).status_code
            for address in SAME_64[:15]
        ]
    assert codes == [201] * 10 + [429] * 5


def test_reads_have_their_own_higher_limit(tmp_path):
    settings = endpoint_settings(
        tmp_path / "project", rate_limit_per_minute="1", read_rate_limit_per_minute="3"
    )
    with RunningEndpoint(create_app(settings)) as endpoint:
        reads = [endpoint.client.get("/mentions").status_code for _ in range(4)]
        send = endpoint.send("https://blog.example/p")
        second = endpoint.send("https://blog.example/q")
    assert reads == [200, 200, 200, 429]
    assert (send.status_code, second.status_code) == (201, 429)


def test_forged_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(tmp_path):
    untrusted = endpoint_settings(tmp_path / "off", rate_limit_per_minute="2")
    with RunningEndpoint(create_app(untrusted)) as endpoint:
        codes = [
            endpoint.send(f"https://b{n}.example/p", **proxied(f"198.51.100.{n}")).status_code
            for n in range(3)
        ]
    assert codes == [201, 201, 429]
    trusted = endpoint_settings(
        tmp_path / "on", rate_limit_per_minute="2", trusted_proxies="127.0.0.0/8"
    )
    with RunningEndpoint(create_app(trusted)) as endpoint:
        codes = [
            endpoint.send(f"https://b{n}.example/p", **proxied(f"198.51.100.{n}")).status_code
            for n in range(3)
        ]
        again = [
            endpoint.send(f"https://c{n}.example/p", **proxied("198.51.100.7")).status_code
            for n in range(3)
        ]
    assert codes == [201, 201, 201]
    assert again == [201, 201, 429]


def test_two_apps_on_one_project_share_the_limit(tmp_path):
    settings = endpoint_settings(tmp_path / "project", rate_limit_per_minute="4")
    with (
        RunningEndpoint(create_app(settings)) as first,
        RunningEndpoint(create_app(settings)) as second,
    ):
        codes = [
            server.send(f"https://b{n}.example/p").status_code
            for n, server in enumerate([first, second] * 4)
        ]
    assert codes == [201] * 4 + [429] * 4


def test_endpoint_with_two_workers_shares_the_limit_and_ignores_forged_headers(tmp_path):
    settings = endpoint_settings(tmp_path / "project")
    environ = {
        "ALUSTA_ALLOW_PRIVATE_ADDRESSES": "1",
        "ALUSTA_RATE_LIMIT_PER_MINUTE": "6",
        "ALUSTA_READ_RATE_LIMIT_PER_MINUTE": "1000",
    }
    with Serve(
        settings.root,
        command="endpoint",
        environ=environ,
        ready_path="/mentions",
        extra_arguments=["--workers", "2"],
    ) as endpoint:
        codes = []
        for number in range(16):  # a new connection each: the workers take turns
            with httpx.Client(timeout=10) as client:
                response = client.post(
                    endpoint.url("webmention"),
                    data={"source": f"https://b{number}.example/p", "target": POST},
                    headers=proxied(f"198.51.100.{number}"),
                )
                codes.append(response.status_code)
    assert codes == [201] * 6 + [429] * 10


def test_a_person_over_the_limit_gets_a_page_in_the_sites_language_saying_to_wait(tmp_path):
    """The reply form's sender is a person: a 429 is a page (the target site's frame and
    language) with Retry-After, not the text software gets."""
    settings = endpoint_settings(tmp_path / "project", rate_limit_per_minute="1")
    browser = {"Accept": "text/html,application/xhtml+xml", "Accept-Language": "en-GB,en"}
    with RunningEndpoint(create_app(settings)) as endpoint:
        first = endpoint.send("https://lukija.example/a", **browser)
        limited = endpoint.send("https://lukija.example/b", **browser)
    soup = BeautifulSoup(limited.text, "html.parser")

    assert (first.status_code, limited.status_code) == (201, 429)
    assert limited.headers["content-type"].startswith("text/html")
    assert int(limited.headers["Retry-After"]) >= 1
    assert soup.html["lang"] == "fi"  # the site's language, not the browser's
    assert soup.main.h1.get_text() == translate(TEXTS["limited_title"], "fi") != "Too many requests"
    assert soup.main.select_one("p.lead").get_text() == translate(TEXTS["limited"], "fi")

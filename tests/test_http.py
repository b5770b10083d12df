"""The outbound client against real servers on loopback: redirects, address checks, caps."""

from __future__ import annotations

import asyncio
import gzip
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from ipaddress import ip_address

import pytest

from alusta.addresses import is_public_address
from alusta.http import (
    USER_AGENT,
    AddressRefused,
    BadURL,
    FetchTimeout,
    NetworkError,
    TooManyRedirects,
    fetch,
)
from tests.servers import SourceServer
from tests.waiting import wait_until

RECORDERS: list[list[object]] = []


def _record_connects(event: str, args: tuple) -> None:
    if event == "socket.connect" and RECORDERS:
        for recorder in RECORDERS:
            recorder.append(args[1])


sys.addaudithook(_record_connects)  # audit hooks stay for the process: idle unless recording


@contextmanager
def connects_recorded() -> Iterator[list[object]]:
    """Every address a socket of this process tries to connect to inside the block."""
    recorder: list[object] = []
    RECORDERS.append(recorder)
    try:
        yield recorder
    finally:
        RECORDERS.remove(recorder)


def run_fetch(url: str, **options):
    options.setdefault("allow_private", True)
    return asyncio.run(fetch(url, **options))


def only_port(port: int):
    """An address policy that lets a fetch reach one local server and nothing else."""
    return lambda ip, candidate_port: ip.is_loopback and candidate_port == port


def test_fetch_returns_body_headers_and_sends_user_agent(source_server):
    url = source_server.route(
        "/page",
        body="<p>hyvää päivää</p>".encode(),
        headers=[("Link", "<https://a.example/wm>; rel=webmention"), ("Link", "<x>; rel=me")],
    )
    result = run_fetch(url)
    assert (result.status, result.final_url, result.truncated) == (200, url, False)
    assert result.headers.get_list("link") == [
        "<https://a.example/wm>; rel=webmention",
        "<x>; rel=me",
    ]
    assert (result.content_type, result.encoding) == ("text/html", "utf-8")
    assert result.text == "<p>hyvää päivää</p>"
    assert source_server.requests[0].headers["User-Agent"] == USER_AGENT


def test_text_uses_meta_charset_when_header_has_none(source_server):
    body = '<meta charset="iso-8859-1"><p>hyvää</p>'.encode("iso-8859-1")
    url = source_server.route("/latin", body=body, content_type="text/html")
    result = run_fetch(url)
    assert result.encoding is None
    assert "hyvää" in result.text


def test_fetch_posts_form_data(source_server):
    url = source_server.route("/endpoint", status=201, headers={"Location": "/status/1"})
    result = run_fetch(url, method="POST", data={"source": "a", "target": "b"})
    received = source_server.requests[0]
    assert result.status == 201
    assert received.body == b"source=a&target=b"
    assert received.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_fetch_follows_redirect_chain_to_final_url(source_server):
    source_server.redirect("/a", "/b", status=301)
    source_server.redirect("/b", source_server.url("/c"), status=307)
    final = source_server.route("/c", body=b"here")
    result = run_fetch(source_server.url("/a"))
    assert (result.final_url, result.content) == (final, b"here")
    assert [source_server.hits[p] for p in ("/a", "/b", "/c")] == [1, 1, 1]


def test_fetch_without_following_returns_the_redirect(source_server):
    url = source_server.redirect("/a", "/b")
    result = run_fetch(url, follow_redirects=False)
    assert (result.status, result.headers["location"]) == (302, "/b")
    assert source_server.hits["/b"] == 0


def test_fetch_refuses_a_sixth_redirect(source_server):
    for hop in range(6):
        source_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    source_server.route("/r6", body=b"too far")
    with pytest.raises(TooManyRedirects):
        run_fetch(source_server.url("/r0"))
    assert source_server.total_hits == 6  # the first request and five redirects


def test_fetch_follows_exactly_five_redirects(source_server):
    for hop in range(5):
        source_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    source_server.route("/r5", body=b"arrived")
    assert run_fetch(source_server.url("/r0")).content == b"arrived"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "127.1"])
def test_fetch_refuses_loopback_before_any_request(source_server, host):
    with pytest.raises(AddressRefused):
        run_fetch(f"http://{host}:{source_server.port}/", allow_private=False)
    assert source_server.total_hits == 0


def test_fetch_refuses_ipv6_loopback_before_any_request():
    try:
        server = SourceServer("::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    with server:
        server.route("/", body=b"secret")
        with pytest.raises(AddressRefused):
            run_fetch(server.url("/"), allow_private=False)
        assert server.total_hits == 0
        assert run_fetch(server.url("/"), allow_private=True).content == b"secret"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://224.0.0.1/",
    ],
)
def test_fetch_refuses_non_public_addresses_without_connecting(url):
    with connects_recorded() as connects, pytest.raises(AddressRefused) as caught:
        run_fetch(url, allow_private=False, timeout_seconds=5)
    assert not caught.value.retryable
    assert connects == []  # refused before any socket tried to connect


def test_redirect_to_refused_address_is_refused_at_that_hop(source_server):
    with SourceServer() as internal:
        internal.route("/secret", body=b"internal")
        source_server.redirect("/start", internal.url("/secret"))
        with pytest.raises(AddressRefused):
            run_fetch(
                source_server.url("/start"),
                allow_private=False,
                address_allowed=only_port(source_server.port),
            )
        assert source_server.hits["/start"] == 1
        assert internal.total_hits == 0


def test_fetch_connects_to_the_address_the_resolver_returned(source_server):
    lookups: list[str] = []

    async def resolver(host: str, port: int):
        lookups.append(host)
        return [ip_address("127.0.0.1")]

    source_server.route("/p", body=b"pinned")
    url = f"http://source.invalid:{source_server.port}/p"  # .invalid never resolves in DNS
    result = run_fetch(url, resolver=resolver)
    assert result.content == b"pinned"
    assert lookups == ["source.invalid"]
    assert source_server.requests[0].headers["Host"] == f"source.invalid:{source_server.port}"


def test_fetch_refuses_a_host_when_any_of_its_addresses_is_refused(source_server):
    async def resolver(host: str, port: int):
        return [ip_address("127.0.0.1"), ip_address("10.1.2.3")]

    policy = lambda ip, port: is_public_address(ip) or ip.is_loopback  # noqa: E731
    with pytest.raises(AddressRefused):
        run_fetch(
            f"http://mixed.invalid:{source_server.port}/",
            resolver=resolver,
            allow_private=False,
            address_allowed=policy,
        )
    assert source_server.total_hits == 0


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://x/",
        "http://user:pw@127.0.0.1/",
        "http:///path",
        "not a url",
        "",
    ],
)
def test_fetch_refuses_urls_it_must_not_fetch(url):
    with pytest.raises(BadURL):
        run_fetch(url)


def test_redirect_to_non_http_scheme_is_refused(source_server):
    url = source_server.redirect("/a", "file:///etc/passwd")
    with pytest.raises(BadURL):
        run_fetch(url)


def test_slow_source_times_out_within_budget(source_server):
    url = source_server.route("/slow", body=b"late", delay_seconds=3)
    with pytest.raises(FetchTimeout) as caught:
        run_fetch(url, timeout_seconds=0.5)
    assert caught.value.retryable
    assert source_server.hits["/slow"] == 1
    assert source_server.finished["/slow"] == 0  # given up before the server even answered


def test_dripping_body_is_cut_by_the_total_budget(source_server):
    url = source_server.route("/drip", body=b"x" * 100, drip_seconds=0.05)
    with pytest.raises(FetchTimeout):
        run_fetch(url, timeout_seconds=0.6)  # each byte arrives long before a read timeout
    assert source_server.finished["/drip"] == 0  # cut mid-body: 100 bytes take 5 s to drip


class ShiftedClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock a test moves forward: asyncio.timeout reads this clock."""

    shifted_seconds = 0.0

    def time(self) -> float:
        return super().time() + self.shifted_seconds


def fetch_with_slow_hops(url: str, hop_seconds: float, **options):
    """Fetch `url` while every redirect hop costs `hop_seconds` of the loop's clock."""
    loop = ShiftedClockLoop()

    def slow_hop(_url: str) -> None:
        loop.shifted_seconds += hop_seconds

    with asyncio.Runner(loop_factory=lambda: loop) as runner:
        return runner.run(fetch(url, allow_private=True, before_hop=slow_hop, **options))


@pytest.mark.parametrize(("budget", "reached_end"), [(0.8, False), (2.0, True)])
def test_budget_covers_the_whole_redirect_chain(source_server, budget, reached_end):
    """Four hops of 0.3 s each fit in a budget per hop of 0.8 s, but not in one for the chain."""
    for hop in range(4):
        source_server.redirect(f"/h{hop}", f"/h{hop + 1}")
    source_server.route("/h4", body=b"end")
    url = source_server.url("/h0")
    if reached_end:
        assert fetch_with_slow_hops(url, 0.3, timeout_seconds=budget).content == b"end"
    else:
        with pytest.raises(FetchTimeout):
            fetch_with_slow_hops(url, 0.3, timeout_seconds=budget)
    assert source_server.hits["/h4"] == int(reached_end)


def test_connection_refused_is_a_retryable_network_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError) as caught:
        run_fetch(f"http://127.0.0.1:{port}/")
    assert caught.value.retryable


def test_twenty_megabyte_body_is_cut_at_the_cap_and_never_drained(source_server):
    """The client stops reading at the cap and hangs up: the server never sends it all.
    (How little memory that takes is measured by bench/http_fetch.py.)"""
    url = source_server.route("/big", stream_bytes=20_000_000)
    result = run_fetch(url)
    wait_until(lambda: source_server.ended["/big"], what="the server's reply to end")
    assert (len(result.content), result.truncated) == (1_000_000, True)
    assert source_server.finished["/big"] == 0


def test_gzip_bomb_is_inflated_only_up_to_the_cap(source_server):
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    url = source_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    result = run_fetch(url, max_bytes=100_000)
    assert (len(result.content), result.truncated) == (100_000, True)


def test_small_gzip_body_is_inflated_whole(source_server):
    url = source_server.route(
        "/gz", body=gzip.compress(b"hello"), headers={"Content-Encoding": "gzip"}
    )
    result = run_fetch(url)
    assert (result.content, result.truncated) == (b"hello", False)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("1.1.1.1", True),
        ("2a00:1450:4001:82a::200e", True),
        ("127.0.0.1", False),
        ("127.255.255.254", False),
        ("::1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("fe80::1", False),
        ("100.64.0.1", False),
        ("100.100.100.200", False),
        ("0.0.0.0", False),
        ("::", False),
        ("224.0.0.1", False),
        ("ff02::1", False),
        ("255.255.255.255", False),
        ("240.0.0.1", False),
        ("192.0.2.1", False),
        ("198.18.0.1", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("2001:db8::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        ("::127.0.0.1", False),
        ("2002:7f00:1::", False),
        ("2002:0808:0808::1", True),
        ("64:ff9b::7f00:1", False),
        ("64:ff9b::808:808", True),
        ("2001::1", False),
        ("fec0::1", False),
        ("64:ff9b:1::1", False),
    ],
)
def test_is_public_address(address, public):
    assert is_public_address(ip_address(address)) is public


def test_budget_covers_name_resolution():
    cancelled: list[str] = []

    async def hanging_resolver(host: str, port: int):
        try:
            await asyncio.Event().wait()  # an answer that never comes
        except asyncio.CancelledError:
            cancelled.append(host)
            raise
        return [ip_address("127.0.0.1")]

    with pytest.raises(FetchTimeout):
        run_fetch("http://slow-dns.invalid/", resolver=hanging_resolver, timeout_seconds=0.3)
    assert cancelled == ["slow-dns.invalid"]  # the budget ended the lookup itself

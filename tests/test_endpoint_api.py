"""The JF2 API, the guard, development mode, retries and the static mount of `serve`."""

from __future__ import annotations

import threading
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from alusta.app import create_app
from alusta.build_record import load_record, merged, write_record
from alusta.errors import ConfigError
from publish import cli
from tests.endpoint_server import (
    ADMIN_TOKEN,
    DEADLINE_SECONDS,
    PILOT_POST,
    POST,
    RunningEndpoint,
    endpoint_settings,
    plain_page,
    reply_page,
    site_build,
)
from tests.servers import Reply
from tests.waiting import wait_until


def verified(endpoint: RunningEndpoint, source: str, target: str = POST) -> dict:
    return endpoint.wait_for(endpoint.send(source, target=target).headers["Location"])


@pytest.fixture
def retrying_endpoint(tmp_path) -> Iterator[RunningEndpoint]:
    """The endpoint with two immediate retries instead of the production delays."""
    settings = endpoint_settings(tmp_path / "project", verify_retry_delays_seconds="0,0")
    with RunningEndpoint(create_app(settings)) as running:
        yield running


# --- JF2 ---------------------------------------------------------------------------------


def test_public_feed_shows_approved_only_and_admin_sees_all_with_status(endpoint, source_server):
    approved = source_server.route("/ok", body=reply_page(POST))
    held = source_server.route("/held", body=reply_page(PILOT_POST))
    rejected = source_server.route("/nolink", body=plain_page("<p>none</p>"))
    verified(endpoint, approved)
    verified(endpoint, held, PILOT_POST)
    verified(endpoint, rejected)
    response = endpoint.client.get("/mentions")
    assert response.headers["content-type"].startswith("application/jf2feed+json")
    document = response.json()
    assert document["type"] == "feed"
    assert [e["wm-source"] for e in document["children"]] == [approved]
    assert "wm-status" not in document["children"][0]
    everything = {e["wm-source"]: e["wm-status"] for e in endpoint.feed(admin=True)}
    assert everything == {approved: "approved", held: "pending", rejected: "rejected"}
    wrong = endpoint.client.get("/mentions", headers={"Authorization": "Bearer wrong"})
    assert [e["wm-source"] for e in wrong.json()["children"]] == [approved]


def test_feed_entry_has_the_webmention_io_fields(endpoint, source_server):
    source = source_server.route("/ok", body=reply_page(POST))
    verified(endpoint, source)
    (entry,) = endpoint.feed(site="main")
    for field in (
        "type",
        "author",
        "url",
        "published",
        "name",
        "content",
        "wm-property",
        "wm-protocol",
        "wm-source",
        "wm-target",
        "wm-received",
        "wm-id",
    ):
        assert field in entry, field
    assert entry["type"] == "entry"
    assert entry["author"]["type"] == "card"
    assert set(entry["content"]) == {"html", "text"}
    assert isinstance(entry["wm-id"], int)
    assert endpoint.feed(site="vaara") == []


def test_since_filters_and_bad_parameters_are_400(endpoint, source_server):
    source = source_server.route("/ok", body=reply_page(POST))
    verified(endpoint, source)
    (entry,) = endpoint.feed()
    assert endpoint.feed(since="2000-01-01T00:00:00Z") == [entry]
    assert endpoint.feed(since=entry["wm-received"]) == []
    for params in ({"since": "yesterday"}, {"limit": "0"}, {"limit": "many"}):
        response = endpoint.client.get("/mentions", params=params)
        assert response.status_code == 400, params


# --- the guard ---------------------------------------------------------------------------


def test_rate_limit_per_client_answers_429_with_retry_after(tmp_path):
    settings = endpoint_settings(tmp_path / "project", rate_limit_per_minute="3")
    with RunningEndpoint(create_app(settings)) as endpoint:
        codes = [endpoint.send(f"https://blog{i}.example/post").status_code for i in range(3)]
        limited = endpoint.send("https://blog9.example/post")
        pingback = httpx.post(
            endpoint.url("/xmlrpc"),
            content=xmlrpc.client.dumps(("https://blog8.example/post", POST), "pingback.ping"),
        )
    assert codes == [201, 201, 201]
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 20
    assert pingback.status_code == 429


def test_rate_limit_per_source_host(tmp_path):
    settings = endpoint_settings(tmp_path / "project", source_rate_limit_per_minute="2")
    with RunningEndpoint(create_app(settings)) as endpoint:
        codes = [endpoint.send(f"https://spam.example/{i}").status_code for i in range(3)]
        other = endpoint.send("https://friend.example/post")
    assert codes == [201, 201, 429]
    assert other.status_code == 201


def test_development_mode_does_not_limit_loopback_and_approves_queue_sites(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project", development=True, rate_limit_per_minute="1")
    source = source_server.route("/ok", body=reply_page(PILOT_POST))
    with RunningEndpoint(create_app(settings)) as endpoint:
        codes = {endpoint.send(f"https://blog{i}.example/p").status_code for i in range(5)}
        assert verified(endpoint, source, PILOT_POST)["status"] == "approved"
    assert codes == {201}


# --- slow, big and flaky sources --------------------------------------------------------


def test_a_slow_source_does_not_hold_up_intake(endpoint, source_server):
    opened = threading.Event()
    slow = source_server.route("/slow", body=reply_page(POST), gate=opened)
    fast = source_server.route("/fast", body=reply_page(POST, name="Nopea"))
    try:
        slow_location = endpoint.send(slow).headers["Location"]
        wait_until(
            seconds=DEADLINE_SECONDS, condition=lambda: source_server.hits["/slow"] == 1
        )  # its verification hangs now
        assert endpoint.send(fast).status_code == 201
        assert endpoint.wait_for(endpoint.send(fast).headers["Location"])["status"] == "approved"
        assert endpoint.status(slow_location)["verifying"]
    finally:
        opened.set()
    assert endpoint.wait_for(slow_location)["status"] == "approved"


def test_a_20_mb_source_is_read_only_up_to_the_cap(endpoint, source_server):
    big = source_server.route("/big", stream_bytes=20_000_000)
    document = verified(endpoint, big)
    assert document["status"] == "rejected"
    assert "link" in document["reason"]


def test_server_errors_are_retried_and_then_verified(retrying_endpoint, source_server):
    endpoint = retrying_endpoint
    source = source_server.sequence(
        "/flaky", [Reply(status=503), Reply(status=502), Reply(body=reply_page(POST))]
    )
    document = verified(endpoint, source)
    assert document["status"] == "approved"
    assert source_server.hits["/flaky"] == 3


def test_client_errors_are_not_retried(retrying_endpoint, source_server):
    source = source_server.route("/forbidden", status=403, body=b"no")
    document = verified(retrying_endpoint, source)  # done: no retry is queued
    assert (document["status"], document["verifying"]) == ("rejected", False)
    assert source_server.hits["/forbidden"] == 1


def test_retries_give_up_after_the_last_delay(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project", verify_retry_delays_seconds="0")
    source = source_server.route("/down", status=503, body=b"down")
    with RunningEndpoint(create_app(settings)) as endpoint:
        document = verified(endpoint, source)
    assert document["status"] == "rejected"
    assert "503" in document["reason"]
    assert source_server.hits["/down"] == 2


@pytest.mark.parametrize(
    ("value", "delays"),
    [("10,60,300,1800", (10.0, 60.0, 300.0, 1800.0)), ("0.5, 2", (0.5, 2.0)), ("", ())],
)
def test_retry_delays_are_a_setting(tmp_path, value, delays):
    settings = endpoint_settings(tmp_path / "project", verify_retry_delays_seconds=value)
    assert settings.verify_retry_delays_seconds == delays


@pytest.mark.parametrize("value", ["ten", "-1", "1,,x", "nan", "inf"])
def test_unusable_retry_delays_are_refused_in_one_sentence(tmp_path, value):
    with pytest.raises(ConfigError) as caught:
        endpoint_settings(tmp_path / "project", verify_retry_delays_seconds=value)
    assert str(caught.value).startswith("ALUSTA_VERIFY_RETRY_DELAYS_SECONDS=")
    assert "\n" not in str(caught.value)


# --- CLI and serve -----------------------------------------------------------------------


def test_cli_lists_by_site_and_deletes(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project")
    source = source_server.route("/ok", body=reply_page(POST))
    with RunningEndpoint(create_app(settings)) as endpoint:
        verified(endpoint, source)
        (entry,) = endpoint.feed()
    root = ["--root", str(settings.root)]
    runner = CliRunner()
    assert source in runner.invoke(cli, [*root, "mentions", "list", "--site", "main"]).output
    assert source not in runner.invoke(cli, [*root, "mentions", "list", "--site", "vaara"]).output
    deleted = runner.invoke(cli, [*root, "mentions", "delete", str(entry["wm-id"])])
    assert deleted.exit_code == 0 and "deleted" in deleted.output
    assert source not in runner.invoke(cli, [*root, "mentions", "list"]).output
    bad = runner.invoke(cli, [*root, "mentions", "block", "http://x.example/"])
    assert bad.exit_code != 0 and "not a domain name" in bad.output


def test_static_files_are_served_after_the_endpoint_routes(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project")
    output = tmp_path / "output"
    (output / "posts").mkdir(parents=True)
    (output / "index.html").write_text("<h1>Etusivu</h1>", encoding="utf-8")
    (output / "posts" / "hello.html").write_text("<h1>Hei</h1>", encoding="utf-8")
    with RunningEndpoint(create_app(settings, static_dir=output)) as endpoint:
        assert "Etusivu" in endpoint.client.get("/").text
        assert "Hei" in endpoint.client.get("/posts/hello.html").text
        assert endpoint.client.get("/nope.html").status_code == 404
        assert endpoint.send("https://blog.example/x").status_code == 201
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        assert endpoint.client.get("/mentions", headers=headers).json()["type"] == "feed"


def test_a_new_build_is_noticed_without_a_restart(tmp_path):
    settings = endpoint_settings(tmp_path / "project")
    new_post = "https://alusta.example/posts/uusi.html"
    with RunningEndpoint(create_app(settings)) as endpoint:
        assert endpoint.send("https://blog.example/a", target=new_post).status_code == 400
        record = load_record(settings.var_dir)
        main = record.sites["main"]
        rebuilt = site_build(
            "main", main.siteurl, Path(main.output), [*(p.url for p in main.pages), new_post]
        )
        write_record(settings.var_dir, merged(record, [rebuilt]))
        wait_until(
            lambda: endpoint.send("https://blog.example/a", target=new_post).status_code == 201,
            seconds=DEADLINE_SECONDS,
            interval=0.2,
            what="the new page to be accepted",
        )

"""POST /webmention end to end: real uvicorn, real source servers, real SQLite."""

from __future__ import annotations

import contextlib
import time

import httpx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from starlette.requests import Request

from alusta.app import create_app
from alusta.db import connect
from alusta.i18n.texts import translate
from alusta.models import Mention
from alusta.store import mention_by_id
from alusta.web.pages import OTHER_REASON, REASONS, TEXTS, reason_text
from publish import cli
from tests.endpoint_server import (
    MAIN_URL,
    PILOT_POST,
    POST,
    RunningEndpoint,
    endpoint_settings,
    plain_page,
    reply_page,
)
from tests.servers import Reply

# --- synchronous checks (Webmention 3.2.1) ---------------------------------------------


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"target": POST}, "source is missing"),
        ({"source": "https://blog.example/x"}, "target is missing"),
        ({"source": "ftp://blog.example/x", "target": POST}, "source is not an absolute"),
        (
            {"source": "https://blog.example/x", "target": "/posts/hello.html"},
            "target is not an absolute",
        ),
        ({"source": POST, "target": POST.replace("https", "http")}, "same URL"),
        (
            {"source": "https://blog.example/x", "target": "https://other.example/post"},
            "not on one of our sites",
        ),
        (
            {"source": "https://blog.example/x", "target": f"{MAIN_URL}/posts/missing.html"},
            "not a page of our sites",
        ),
    ],
)
def test_invalid_requests_get_400_with_a_short_reason(endpoint, form, reason):
    response = endpoint.client.post("/webmention", data=form)
    assert response.status_code == 400
    assert reason in response.text
    assert "Location" not in response.headers
    assert endpoint.feed(admin=True) == []  # nothing stored


def test_other_body_types_and_oversized_bodies_are_refused(endpoint):
    assert endpoint.client.post("/webmention", json={"source": "x"}).status_code == 415
    huge = {"source": "https://blog.example/" + "a" * 20_000, "target": POST}
    assert endpoint.client.post("/webmention", data=huge).status_code == 413
    assert endpoint.client.get("/webmention").status_code == 405


# --- accepted, verified, stored ---------------------------------------------------------


def test_status_location_comes_from_the_endpoint_url_not_the_host_header(tmp_path):
    settings = endpoint_settings(tmp_path / "project", endpoint_url="https://in.alusta.example/")
    with RunningEndpoint(create_app(settings)) as endpoint:
        answer = endpoint.send("https://blog.example/p", Host="evil.example")
        page = endpoint.send("https://blog.example/q", Host="evil.example", Accept="text/html")
        assert endpoint.status(answer.headers["Location"])["status"] in ("queued", "rejected")
    assert answer.headers["Location"].startswith("https://in.alusta.example/webmention/status/")
    assert page.headers["Location"].startswith("https://in.alusta.example/webmention/status/")
    assert "evil.example" not in answer.text + page.text


def test_reply_is_accepted_with_status_page_then_verified_and_sanitised(endpoint, source_server):
    hostile = 'Kiitos! <script>alert(1)</script><b onclick="x()">tärkeää</b>'
    source = source_server.route("/reply", body=reply_page(POST, content=hostile))
    response = endpoint.send(source)
    assert response.status_code == 201
    location = response.headers["Location"]
    assert location.startswith(MAIN_URL + "/webmention/status/")  # ALUSTA_ENDPOINT_URL
    assert endpoint.status(location)["status"] in ("queued", "approved")
    document = endpoint.wait_for(location)
    assert document["status"] == "approved"
    (entry,) = endpoint.feed(target=POST)
    assert entry["wm-property"] == "in-reply-to"
    assert entry["wm-protocol"] == "webmention"
    assert entry["wm-source"] == source
    assert entry["wm-target"] == POST
    assert entry["author"] == {
        "type": "card",
        "name": "Aino Esimerkki",
        "url": "https://aino.example/",
        "photo": "",
    }
    assert entry["published"].startswith("2026-11-20T10:00:00+02")
    html = entry["content"]["html"]
    assert "<script" not in html and "onclick" not in html and "alert" not in html
    assert "<b>tärkeää</b>" in html
    assert "tärkeää" in entry["content"]["text"]


@pytest.mark.parametrize(
    ("prop", "expected"),
    [
        ("like-of", "like-of"),
        ("repost-of", "repost-of"),
        ("bookmark-of", "bookmark-of"),
    ],
)
def test_kind_comes_from_the_property_that_points_at_the_target(
    endpoint,
    source_server,
    prop,
    expected,
):
    source = source_server.route(f"/{prop}", body=reply_page(POST, prop=prop))
    endpoint.wait_for(endpoint.send(source).headers["Location"])
    (entry,) = endpoint.feed(target=POST)
    assert entry["wm-property"] == expected


def test_plain_link_is_a_mention_and_any_spelling_of_the_target_finds_it(
    endpoint,
    source_server,
):
    source = source_server.route("/links", body=plain_page(f'<p><a href="{POST}">x</a></p>'))
    endpoint.wait_for(endpoint.send(source).headers["Location"])
    (entry,) = endpoint.feed(target=POST.replace("https://", "http://") + "?utm_source=feed")
    assert entry["wm-property"] == "mention-of"


@pytest.mark.parametrize(
    ("path", "reply", "reason", "finnish"),
    [
        (
            "/nolink",
            Reply(body=plain_page("<p>no link here</p>")),
            "link",
            "Sivusi ei linkitä tähän kirjoitukseen.",
        ),
        (
            "/comment",
            Reply(body=plain_page(f"<!-- <a href='{POST}'>x</a> -->")),
            "link",
            "Sivusi ei linkitä tähän kirjoitukseen.",
        ),
        ("/missing", Reply(status=404, body=b"not found"), "404", "Sivuasi ei löytynyt."),
        ("/gone", Reply(status=410, body=b"gone"), "410", "Sivusi on poistettu (410 Gone)."),
    ],
)
def test_sources_that_do_not_verify_are_rejected_with_a_reason(
    endpoint, source_server, path, reply, reason, finnish
):
    source_server.sequence(path, [reply])
    response = endpoint.send(source_server.url(path))
    assert response.status_code == 201  # verification is asynchronous
    document = endpoint.wait_for(response.headers["Location"])
    assert document["status"] == "rejected"
    assert reason in document["reason"]
    assert endpoint.feed(target=POST) == []
    status_page = endpoint.client.get(
        httpx.URL(response.headers["Location"]).path,
        headers={"Accept": "text/html", "Accept-Language": "fi"},
    )
    main = BeautifulSoup(status_page.text, "html.parser").main.get_text()
    assert "Hylätty." in main and finnish in main
    assert document["reason"] not in main  # the technical reason stays in the JSON


def test_redirected_source_is_verified_at_its_final_url(endpoint, source_server):
    final = source_server.route("/new", body=reply_page(POST))
    source = source_server.redirect("/old", "/new", status=301)
    endpoint.wait_for(endpoint.send(source).headers["Location"])
    (entry,) = endpoint.feed(target=POST)
    assert (entry["wm-source"], entry["url"]) == (source, final)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_production_mode_refuses_a_source_on_loopback(tmp_path, source_server, host):
    settings = endpoint_settings(tmp_path / "project", allow_private=False)
    source = source_server.route("/reply", body=reply_page(POST)).replace("127.0.0.1", host)
    with RunningEndpoint(create_app(settings)) as endpoint:
        document = endpoint.wait_for(endpoint.send(source).headers["Location"])
    assert document["status"] == "rejected"
    assert "address" in document["reason"]
    assert source_server.total_hits == 0  # refused before connecting


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", f'{{"type": "entry", "in-reply-to": "{POST}"}}'.encode()),
        ("text/plain; charset=utf-8", f"Luin tämän: {POST} – hyvä!".encode()),
    ],
)
def test_json_and_text_sources_that_contain_the_url_verify(
    endpoint, source_server, content_type, body
):
    source = source_server.route("/doc", body=body, content_type=content_type)
    assert endpoint.wait_for(endpoint.send(source).headers["Location"])["status"] == "approved"
    (entry,) = endpoint.feed(target=POST)
    assert entry["wm-source"] == source


# --- updates and deletes (Webmention 3.2.4) ---------------------------------------------


def test_sending_again_replaces_the_stored_mention(endpoint, source_server):
    source = source_server.route("/reply", body=reply_page(POST, content="Ensimmäinen"))
    endpoint.wait_for(endpoint.send(source).headers["Location"])
    source_server.route("/reply", body=reply_page(POST, content="Korjattu versio"))
    endpoint.wait_for(endpoint.send(source).headers["Location"])
    (entry,) = endpoint.feed(target=POST)
    assert entry["content"]["text"] == "Korjattu versio"


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        (Reply(status=410, body=b"gone"), "deleted"),
        (
            Reply(body=plain_page('<meta http-equiv="Status" content="410 Gone"><p>removed</p>')),
            "deleted",
        ),
        (Reply(body=plain_page("<p>link removed</p>")), "deleted"),
        (Reply(status=404, body=b"oops"), "approved"),
    ],
)
def test_gone_or_unlinked_source_deletes_but_404_keeps(endpoint, source_server, reply, status):
    source = source_server.route("/reply", body=reply_page(POST))
    location = endpoint.send(source).headers["Location"]
    assert endpoint.wait_for(location)["status"] == "approved"
    source_server.sequence("/reply", [reply])
    document = endpoint.wait_for(endpoint.send(source).headers["Location"])
    assert document["status"] == status
    assert len(endpoint.feed(target=POST)) == (1 if status == "approved" else 0)


# --- browsers ---------------------------------------------------------------------------


@pytest.mark.parametrize("accept_language", ["", "sv-FI,sv;q=0.9,en;q=0.5", "en-GB"])
def test_browsers_get_a_short_page_in_the_target_sites_language(
    endpoint,
    source_server,
    accept_language,
):
    """The page belongs to the site replied to (its frame, its language: Finnish here);
    the browser's Accept-Language only chooses when no site is known (test_endpoint_pages)."""
    source = source_server.route("/reply", body=reply_page(POST))
    response = endpoint.send(
        source, Accept="text/html,*/*;q=0.8", **{"Accept-Language": accept_language}
    )
    assert response.status_code == 201
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["lang"] == "fi"
    assert "Kiitos" in page.h1.get_text()
    links = [a["href"] for a in page.find_all("a")]
    assert response.headers["Location"] in links
    assert POST in links


def test_browsers_get_the_reason_of_a_refusal_on_a_page(endpoint):
    response = endpoint.client.post(
        "/webmention", data={"target": POST}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["lang"] == "fi"
    assert "Kirjoita lomakkeeseen oman kirjoituksesi koko osoite" in page.main.get_text()
    assert "source is missing" not in page.main.get_text()  # English is for software


def test_every_page_text_is_translated_to_finnish_and_swedish():
    for message in [*TEXTS.values(), *(m for _pattern, m in REASONS), OTHER_REASON]:
        finnish, swedish = translate(message, "fi"), translate(message, "sv")
        assert finnish != message and swedish != message and finnish != swedish
        assert translate(message, "en") == message


@pytest.mark.parametrize(
    ("reason", "finnish"),
    [
        ("source does not link to target (read 12 kB)", "Sivusi ei linkitä tähän kirjoitukseen."),
        ("source https://a.example/x is gone (410)", "Sivusi on poistettu (410 Gone)."),
        ("source https://a.example/x answered 404", "Sivuasi ei löytynyt."),
        ("source https://a.example/x answered 503", "Sivuasi ei voitu lukea juuri nyt."),
        ("rejected by a moderator", "Ylläpitäjä poisti sen."),
        ("something nobody foresaw", "Vastaustasi ei voitu tarkistaa."),
    ],
)
def test_technical_reasons_are_told_to_people_in_their_language(reason, finnish):
    request = Request({"type": "http", "headers": [(b"accept-language", b"fi")]})
    assert reason_text(request, reason) == finnish


def test_unknown_status_page_is_404(endpoint):
    assert endpoint.client.get("/webmention/status/nope").status_code == 404


# --- moderation -------------------------------------------------------------------------


def test_pilot_with_queue_policy_holds_mentions_until_approved(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project")
    source = source_server.route("/reply", body=reply_page(PILOT_POST))
    with RunningEndpoint(create_app(settings)) as endpoint:
        location = endpoint.send(source, target=PILOT_POST).headers["Location"]
        assert endpoint.wait_for(location)["status"] == "pending"
        assert endpoint.feed(target=PILOT_POST) == []
        (held,) = endpoint.feed(admin=True, site="vaara")
        assert held["wm-status"] == "pending"
        runner = CliRunner()
        root = ["--root", str(settings.root)]
        listed = runner.invoke(cli, [*root, "mentions", "list", "--pending"])
        assert listed.exit_code == 0 and source in listed.output
        approved = runner.invoke(cli, [*root, "mentions", "approve", str(held["wm-id"])])
        assert approved.exit_code == 0, approved.output
        assert [e["wm-source"] for e in endpoint.feed(target=PILOT_POST)] == [source]
        missing = runner.invoke(cli, [*root, "mentions", "reject", "999"])
        assert missing.exit_code != 0 and "no mention with id 999" in missing.output


def test_blocked_domain_is_accepted_then_rejected_silently(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project")
    blocked = CliRunner().invoke(
        cli, ["--root", str(settings.root), "mentions", "block", "127.0.0.1"]
    )
    assert blocked.exit_code == 0, blocked.output
    source = source_server.route("/spam", body=reply_page(POST))
    with RunningEndpoint(create_app(settings)) as endpoint:
        response = endpoint.send(source)
        assert response.status_code == 201
        assert endpoint.wait_for(response.headers["Location"])["status"] == "pending"  # silence
        assert [e["wm-status"] for e in endpoint.feed(admin=True)] == ["rejected"]
        assert endpoint.feed(target=POST) == []
    assert source_server.total_hits == 0  # not even fetched


def test_allowlisted_domain_skips_the_queue(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project")
    result = CliRunner().invoke(
        cli, ["--root", str(settings.root), "mentions", "allow", "127.0.0.1"]
    )
    assert result.exit_code == 0
    source = source_server.route("/friend", body=reply_page(PILOT_POST))
    with RunningEndpoint(create_app(settings)) as endpoint:
        location = endpoint.send(source, target=PILOT_POST).headers["Location"]
        assert endpoint.wait_for(location)["status"] == "approved"


def test_approval_hook_hears_of_approved_mentions_after_commit(tmp_path, source_server):
    heard = []
    settings = endpoint_settings(tmp_path / "project")

    def hear(mention: Mention) -> None:
        """Read the mention back through a connection of its own: only what was
        committed is visible there."""
        with contextlib.closing(connect(settings.database_path, migrate=False)) as connection:
            heard.append(mention_by_id(connection, mention.id))

    source = source_server.route("/reply", body=reply_page(POST))
    with RunningEndpoint(create_app(settings, on_approved=hear)) as endpoint:
        endpoint.wait_for(endpoint.send(source).headers["Location"])
        deadline = time.monotonic() + 10
        while not heard and time.monotonic() < deadline:
            time.sleep(0.02)
    (mention,) = heard
    assert (mention.source, mention.status) == (source, "approved")
    assert mention.entry.author.name == "Aino Esimerkki"

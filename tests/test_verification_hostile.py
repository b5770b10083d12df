"""Verification under hostile sources (issue 11): the block list at every redirect hop,
silence towards a blocked sender, and a source that is not deployed yet (404).

Real uvicorn, real SQLite, real local source servers; the block list is set through the
CLI as a moderator would. A second hostname for the loopback server ("localhost" next to
"127.0.0.1") makes one server a different, blockable domain.
"""

from __future__ import annotations

import logging

import httpx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from alusta.app import create_app
from alusta.i18n.texts import translate
from alusta.settings import Settings
from alusta.web.pages import TEXTS
from publish import cli
from tests.endpoint_server import POST, RunningEndpoint, endpoint_settings, reply_page
from tests.servers import Reply, SourceServer
from tests.waiting import wait_until


def moderate(settings: Settings, *command: str) -> None:
    result = CliRunner().invoke(cli, ["--root", str(settings.root), "mentions", *command])
    assert result.exit_code == 0, result.output


def verified(endpoint: RunningEndpoint, location: str) -> dict:
    """The status document once no verification is queued or running."""
    return wait_until(
        lambda: (document := endpoint.status(location)) and not document["verifying"] and document,
        what=f"verification of {location} to finish",
    )


# --- the block list at every hop (issue 11, item 4) ---------------------------------------


@pytest.mark.parametrize("hops", [1, 3])
def test_a_source_redirecting_to_a_blocked_domain_is_not_approved(tmp_path, hops):
    settings = endpoint_settings(tmp_path / "project")
    moderate(settings, "block", "localhost")
    with SourceServer() as spam, SourceServer() as relay:
        spam.route("/spam", body=reply_page(POST))
        location = spam.url("/spam").replace("127.0.0.1", "localhost")
        for hop in range(hops, 0, -1):
            location = relay.redirect(f"/hop{hop}", location)
        with RunningEndpoint(create_app(settings)) as endpoint:
            verified(endpoint, endpoint.send(location).headers["Location"])
            (stored,) = endpoint.feed(admin=True)
            assert endpoint.feed(target=POST) == []
        assert stored["wm-status"] == "rejected"
        assert relay.total_hits == hops
        assert spam.total_hits == 0  # the blocked host is never fetched


def test_a_redirect_between_allowed_hosts_still_verifies(tmp_path):
    settings = endpoint_settings(tmp_path / "project")
    moderate(settings, "block", "spam.example")
    with SourceServer() as final, SourceServer() as relay:
        final.route("/reply", body=reply_page(POST))
        source = relay.redirect("/hop", final.url("/reply").replace("127.0.0.1", "localhost"))
        with RunningEndpoint(create_app(settings)) as endpoint:
            document = verified(endpoint, endpoint.send(source).headers["Location"])
    assert document["status"] == "approved"


def test_a_pingback_redirecting_to_a_blocked_domain_is_answered_and_rejected(tmp_path):
    from tests.test_pingback import linking_page, ping  # noqa: PLC0415 - its helpers

    settings = endpoint_settings(tmp_path / "project")
    moderate(settings, "block", "localhost")
    with SourceServer() as spam, SourceServer() as relay:
        spam.route("/spam", body=linking_page())
        source = relay.redirect("/hop", spam.url("/spam").replace("127.0.0.1", "localhost"))
        with RunningEndpoint(create_app(settings)) as endpoint:
            assert "registered" in ping(endpoint, source)
            (stored,) = wait_until(
                lambda: [e for e in endpoint.feed(admin=True) if e["wm-status"] == "rejected"],
                what="the redirected ping to be rejected",
            )
            assert stored["wm-reason"] == "rejected by moderation"
            assert endpoint.feed(target=POST) == []
        assert spam.total_hits == 0


# --- silence towards a blocked sender (issue 11, item 5) ----------------------------------


def test_a_blocked_sender_sees_its_mention_waiting_for_a_moderator(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project")
    moderate(settings, "block", "127.0.0.1")
    source = source_server.route("/spam", body=reply_page(POST))
    with RunningEndpoint(create_app(settings)) as endpoint:
        location = endpoint.send(source).headers["Location"]
        document = verified(endpoint, location)
        page = endpoint.client.get(httpx.URL(location).path, headers={"Accept": "text/html"})
        (stored,) = endpoint.feed(admin=True)
    assert (document["status"], document["reason"]) == (
        "pending",
        "verified, waiting for a moderator",
    )
    main = BeautifulSoup(page.text, "html.parser").main.get_text()
    assert translate(TEXTS["pending"], "fi") in main
    assert translate(TEXTS["rejected"], "fi") not in main
    assert (stored["wm-status"], stored["wm-reason"]) == ("rejected", "rejected by moderation")


def test_blocking_a_shown_reply_looks_like_moderation_to_its_sender(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project")
    source = source_server.route("/reply", body=reply_page(POST))
    with RunningEndpoint(create_app(settings)) as endpoint:
        location = endpoint.send(source).headers["Location"]
        assert verified(endpoint, location)["status"] == "approved"
        moderate(settings, "block", "127.0.0.1")
        assert endpoint.status(location)["status"] == "pending"
        assert endpoint.feed(target=POST) == []


def test_blocking_the_domain_a_shown_reply_redirected_to_hides_it(tmp_path):
    settings = endpoint_settings(tmp_path / "project")
    with SourceServer() as final, SourceServer() as relay:
        final.route("/reply", body=reply_page(POST))
        source = relay.redirect("/hop", final.url("/reply").replace("127.0.0.1", "localhost"))
        with RunningEndpoint(create_app(settings)) as endpoint:
            location = endpoint.send(source).headers["Location"]
            assert verified(endpoint, location)["status"] == "approved"
            moderate(settings, "block", "localhost")
            assert endpoint.feed(target=POST) == []
            assert endpoint.status(location)["status"] == "pending"


# --- a source that is not deployed yet (issue 11, interop) --------------------------------

NOT_FOUND_DELAYS = "0.05,0.05,0.05"  # the production delays (1, 5, 10, 15 min), made tiny


def test_a_source_answering_404_is_tried_again_until_it_is_deployed(tmp_path, source_server):
    settings = endpoint_settings(
        tmp_path / "project", verify_not_found_delays_seconds=NOT_FOUND_DELAYS
    )
    source = source_server.sequence(
        "/early", [Reply(status=404), Reply(status=404), Reply(body=reply_page(POST))]
    )
    with RunningEndpoint(create_app(settings)) as endpoint:
        document = verified(endpoint, endpoint.send(source).headers["Location"])
        assert [e["wm-source"] for e in endpoint.feed(target=POST)] == [source]
    assert document["status"] == "approved"
    assert source_server.hits["/early"] == 3


def test_a_source_still_404_after_the_last_retry_is_rejected(tmp_path, source_server):
    settings = endpoint_settings(
        tmp_path / "project", verify_not_found_delays_seconds=NOT_FOUND_DELAYS
    )
    source = source_server.route("/never", status=404, body=b"not here")
    with RunningEndpoint(create_app(settings)) as endpoint:
        document = verified(endpoint, endpoint.send(source).headers["Location"])
    assert document["status"] == "rejected"
    assert "404" in document["reason"] and "retrying" not in document["reason"]
    assert source_server.hits["/never"] == 4  # the first attempt and three retries


@pytest.mark.parametrize("status", [410, 403, 400])
def test_other_client_errors_are_final_at_once(tmp_path, source_server, status):
    settings = endpoint_settings(
        tmp_path / "project", verify_not_found_delays_seconds=NOT_FOUND_DELAYS
    )
    source = source_server.route("/gone", status=status, body=b"no")
    with RunningEndpoint(create_app(settings)) as endpoint:
        document = verified(endpoint, endpoint.send(source).headers["Location"])
    assert document["status"] == "rejected"
    assert source_server.hits["/gone"] == 1


# --- sources too costly to read (issue 11, item 1) ----------------------------------------

HOSTILE_SOURCES = 12
NESTED_ENTRIES = 11_000


def nested_entries_page(target: str) -> bytes:
    """11,000 nested h-entries (≈250 kB, inside every size cap) around a reply's link."""
    opening, closing = '<div class="h-entry">' * NESTED_ENTRIES, "</div>" * NESTED_ENTRIES
    link = f'<a class="u-in-reply-to" href="{target}">x</a>'
    return f"<!doctype html><html><body>{opening}{link}{closing}</body></html>".encode()


def test_deeply_nested_sources_are_rejected_once_and_a_normal_reply_still_verifies(
    tmp_path, source_server, caplog, capfd
):
    settings = endpoint_settings(tmp_path / "project")
    hostile = [
        source_server.route(f"/deep{i}", body=nested_entries_page(POST))
        for i in range(HOSTILE_SOURCES)
    ]
    normal = source_server.route("/reply", body=reply_page(POST))
    with caplog.at_level(logging.INFO), RunningEndpoint(create_app(settings)) as endpoint:
        answers = [endpoint.send(source) for source in [*hostile, normal]]
        assert [a.status_code for a in answers] == [201] * (HOSTILE_SOURCES + 1)
        *locations, normal_location = [a.headers["Location"] for a in answers]
        assert verified(endpoint, normal_location)["status"] == "approved"
        documents = [verified(endpoint, location) for location in locations]
        page = endpoint.client.get(httpx.URL(locations[0]).path, headers={"Accept": "text/html"})
    assert {d["status"] for d in documents} == {"rejected"}
    assert all(d["reason"].startswith("source too complex to read") for d in documents)
    assert [source_server.hits[f"/deep{i}"] for i in range(HOSTILE_SOURCES)] == [1] * 12
    ours = [r for r in caplog.records if r.name.startswith("alusta")]
    told = [r for r in ours if any(s in r.getMessage() for s in hostile)]
    assert len(told) == HOSTILE_SOURCES  # one line each
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in told)
    assert "Traceback" not in capfd.readouterr().err  # nor a traceback from a child
    main = BeautifulSoup(page.text, "html.parser").main.get_text()
    assert translate("Your page is too complex to read.", "fi") in main

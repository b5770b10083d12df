"""The `send` job on real Pelican builds, against real receivers on 127.0.0.1."""

from __future__ import annotations

import asyncio

import pytest

from alusta import store
from alusta.build import build_sites
from alusta.db import connect
from alusta.models import MentionStatus
from alusta.send.gone import GONE_META
from alusta.send.job import SendError, SendOptions, SendReport, run_send
from alusta.send.notify import Outcome
from alusta.send.state import NotificationState, unfinished
from tests.send_project import MAIN_URL, SendProject, make_project, post_url
from tests.send_servers import PingbackServer, Response, TargetServer

WEBMENTION_PAGE = '<!doctype html><link rel="webmention" href="/webmention"><p>target</p>'


@pytest.fixture
def receiver() -> TargetServer:
    with TargetServer() as server:
        for name in ("a", "b", "c"):
            server.add_page(f"/{name}", WEBMENTION_PAGE)
        yield server


@pytest.fixture
def site(tmp_path) -> SendProject:
    return make_project(tmp_path / "project")


def send(project: SendProject, *, private: bool = True, **options: object) -> SendReport:
    environ = {"ALUSTA_ALLOW_PRIVATE_ADDRESSES": "1"} if private else {}
    settings = project.settings(**environ)
    options.setdefault("retry_base_seconds", 0)
    return asyncio.run(run_send(settings, options=SendOptions(**options)))


def received(server: TargetServer) -> list[tuple[str, str]]:
    """(source, target) of every webmention the receiver got, in order."""
    return [(p.form["source"][0], p.form["target"][0]) for p in server.posted("/webmention")]


def reasons(report: SendReport) -> dict[str, str]:
    return {o.target: o.reason for o in report.planned}


def test_each_link_is_notified_once_and_a_second_run_sends_nothing(site, receiver):
    site.write_post("eka", f"Katso [a]({receiver.url('/a')}) ja [b]({receiver.url('/b')}).")
    site.build()

    first = send(site)
    second = send(site)

    source = post_url("eka")
    assert sorted(received(receiver)) == [
        (source, receiver.url("/a")),
        (source, receiver.url("/b")),
    ]
    assert [a.outcome for a in first.attempts] == [Outcome.ACCEPTED, Outcome.ACCEPTED]
    assert set(reasons(first).values()) == {"new-link"}
    assert second.planned == [] and second.attempts == []


def test_theme_links_are_not_notified(site, receiver):
    site.write_post("eka", "Ei linkkejä tekstissä.")
    site.build()

    report = send(site)

    assert report.planned == [] and receiver.posted() == []


def test_an_edited_post_notifies_its_links_again(site, receiver):
    site.write_post("eka", f"Katso [a]({receiver.url('/a')}).")
    site.build()
    send(site)

    site.write_post("eka", f"Katso [a]({receiver.url('/a')}). Lisätty kappale.")
    site.build()
    report = send(site)

    assert reasons(report) == {receiver.url("/a"): "content-changed"}
    assert len(received(receiver)) == 2


def test_a_removed_link_is_notified_so_the_receiver_can_drop_it(site, receiver):
    site.write_post("eka", f"Katso [a]({receiver.url('/a')}) ja [b]({receiver.url('/b')}).")
    site.build()
    send(site)

    site.write_post("eka", f"Katso [a]({receiver.url('/a')}).")
    site.build()
    report = send(site)

    assert reasons(report) == {
        receiver.url("/a"): "content-changed",
        receiver.url("/b"): "link-removed",
    }
    assert received(receiver)[-2:].count((post_url("eka"), receiver.url("/b"))) == 1


def test_a_deleted_post_leaves_a_410_page_and_notifies_its_former_targets(site, receiver):
    site.write_post("eka", f"Katso [a]({receiver.url('/a')}).")
    site.write_post("toka", "Toinen kirjoitus.", day=2)
    site.build()
    send(site)

    site.delete_post("eka")
    settings = site.build()
    report = send(site)
    again = send(site)

    page = settings.output_dir / "2026" / "10" / "eka" / "index.html"
    assert GONE_META in page.read_text(encoding="utf-8")
    assert reasons(report) == {receiver.url("/a"): "post-gone"}
    assert received(receiver) == [(post_url("eka"), receiver.url("/a"))] * 2
    assert again.planned == []


def test_the_410_page_stays_in_later_builds_and_a_new_post_at_the_address_wins(site, receiver):
    site.write_post("eka", "Ensimmäinen versio.")
    site.build()
    site.delete_post("eka")
    site.build()
    settings = site.build()
    page = settings.output_dir / "2026" / "10" / "eka" / "index.html"
    assert GONE_META in page.read_text(encoding="utf-8")

    site.write_post("eka", "Palasi takaisin.")
    site.build()

    assert GONE_META not in page.read_text(encoding="utf-8")
    assert "Palasi takaisin." in page.read_text(encoding="utf-8")


def test_drafts_and_hidden_posts_send_nothing(site, receiver):
    site.write_post("luonnos", f"[a]({receiver.url('/a')})", status="draft")
    site.write_post("piilo", f"[b]({receiver.url('/b')})", status="hidden", day=2)
    site.build()

    report = send(site)

    assert report.planned == [] and receiver.posted() == []


def test_dry_run_lists_what_would_be_sent_and_why_without_sending(site, receiver):
    site.write_post("eka", f"Katso [a]({receiver.url('/a')}).")
    site.build()

    dry = send(site, dry_run=True)
    again = send(site, dry_run=True)

    assert reasons(dry) == {receiver.url("/a"): "new-link"}
    assert reasons(again) == reasons(dry)
    assert receiver.posted() == []
    assert [a.outcome for a in send(site).attempts] == [Outcome.ACCEPTED]


def test_server_errors_are_retried_later_and_then_delivered(site, receiver):
    receiver.script_posts("/webmention", Response(503, [], "busy"))
    site.write_post("eka", f"Katso [a]({receiver.url('/a')}).")
    site.build()

    first = send(site)
    second = send(site)

    assert [a.outcome for a in first.attempts] == [Outcome.RETRY]
    assert first.attempts[0].status == 503
    assert [a.outcome for a in second.attempts] == [Outcome.ACCEPTED]
    assert second.planned == []  # the retry came from the outbox, not from a new change


def test_failures_are_given_up_after_max_tries_and_shown(site, receiver):
    receiver.script_posts("/webmention", *[Response(500, [], "broken")] * 5)
    site.write_post("eka", f"Katso [a]({receiver.url('/a')}).")
    settings = site.build()

    outcomes = [[a.outcome for a in send(site, max_tries=3).attempts] for _ in range(4)]

    assert outcomes == [[Outcome.RETRY]] * 3 + [[]]
    connection = connect(settings.database_path)
    (left,) = unfinished(connection)
    assert left.state is NotificationState.GIVEN_UP and left.tries == 3
    attempts = connection.execute("SELECT status, excerpt FROM send_attempts").fetchall()
    assert [tuple(a) for a in attempts] == [(500, "broken")] * 3


def test_timeouts_are_retried(site, receiver):
    receiver.add_page("/slow", WEBMENTION_PAGE, delay_seconds=2)
    site.write_post("eka", f"Katso [hidas]({receiver.url('/slow')}).")
    site.build()

    report = send(site, timeout_seconds=0.5)

    (attempt,) = report.attempts
    assert attempt.outcome is Outcome.RETRY and "0.5 seconds" in attempt.excerpt


def test_requests_to_one_host_are_limited(site, receiver):
    paths = [f"/slow{i}" for i in range(6)]
    for path in paths:
        receiver.add_page(path, WEBMENTION_PAGE, delay_seconds=0.3)
    site.write_post("eka", " ".join(f"[{p}]({receiver.url(p)})" for p in paths))
    site.build()

    report = send(site, per_host=2)

    assert [a.outcome for a in report.attempts] == [Outcome.ACCEPTED] * 6
    assert receiver.max_active == 2


def test_pingback_only_targets_are_pinged(site, receiver):
    with PingbackServer() as xmlrpc:
        receiver.add_page("/old-blog", "<p>old</p>", headers=[("X-Pingback", xmlrpc.url)])
        site.write_post("eka", f"Katso [vanha]({receiver.url('/old-blog')}).")
        site.build()

        (attempt,) = send(site).attempts

    assert attempt.protocol == "pingback" and attempt.outcome is Outcome.ACCEPTED
    assert xmlrpc.calls == [(post_url("eka"), receiver.url("/old-blog"))]


def test_private_addresses_are_refused_unless_allowed(site, receiver):
    site.write_post("eka", f"Katso [a]({receiver.url('/a')}).")
    site.build()

    (attempt,) = send(site, private=False).attempts

    assert attempt.outcome is Outcome.REFUSED and "127.0.0.1" in attempt.excerpt
    assert receiver.posted() == [] and receiver.max_active == 0


def test_links_between_our_sites_become_mentions_without_http(site, receiver):
    main_post = post_url("eka")
    site.write_post("eka", "Pääblogin kirjoitus.")
    site.write_post("toka", f"Katso [pääblogi]({main_post}).", pilot=True, day=2)
    settings = site.build()

    (attempt,) = send(site).attempts

    assert attempt.protocol == "internal" and attempt.outcome is Outcome.ACCEPTED
    connection = connect(settings.database_path)
    (mention,) = store.list_mentions(connection, site="main")
    assert (mention.source, mention.target) == (post_url("toka", pilot=True), main_post)
    assert mention.status is MentionStatus.APPROVED
    assert mention.entry.name == "Post toka"
    assert receiver.posted() == []

    site.write_post("toka", "Linkki poistettu.", pilot=True, day=2)
    site.build()
    send(site)
    assert store.list_mentions(connection, site="main")[0].status is MentionStatus.DELETED


def test_send_refuses_a_site_built_for_another_address(site):
    site.write_post("eka", "Kirjoitus.")
    build_settings = site.settings().with_siteurl("http://127.0.0.1:8000")
    build_sites(build_settings)

    with pytest.raises(SendError, match=f"last built for http://127.0.0.1:8000, not {MAIN_URL}"):
        send(site)


def test_site_option_limits_the_run_to_that_site(site, receiver):
    site.write_post("eka", f"Katso [a]({receiver.url('/a')}).")
    site.write_post("toka", f"Katso [b]({receiver.url('/b')}).", pilot=True, day=2)
    site.build()

    pilot_only = send(site, site_names=("rajalla",))
    rest = send(site)

    assert received(receiver)[0] == (post_url("toka", pilot=True), receiver.url("/b"))
    assert [o.target for o in pilot_only.planned] == [receiver.url("/b")]
    assert [o.target for o in rest.planned] == [receiver.url("/a")]

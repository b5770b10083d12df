"""Refresh without a rebuild: approvals re-render one page in the existing output, with the
bytes a whole rebuild gives it. Real builds, the real CLI, the real endpoint under uvicorn."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from alusta.app import create_app
from alusta.build import build_sites
from alusta.models import MentionStatus
from alusta.responses.refresh import Refresher, page_refresher
from alusta.responses.sources import MentionSource
from alusta.settings import Settings
from publish import cli
from tests.deploy_trees import snapshot
from tests.endpoint_server import RunningEndpoint, reply_page
from tests.responses_fixtures import (
    POST_PATH,
    moderate,
    page_soup,
    post_file,
    post_url,
    responses_project,
    responses_section,
    store_mention,
)
from tests.servers import SourceServer

OTHER_POST = "2026/09/alusta-hanke-kaynnistyy-lapissa/"
DEADLINE_SECONDS = 20.0
PAUSE_SECONDS = 2.0


@pytest.fixture
def built(tmp_path: Path) -> Settings:
    settings = responses_project(tmp_path / "project")
    build_sites(settings)
    return settings


def reply_names(settings: Settings, site: str = "main", path: str | None = None) -> list[str]:
    soup = page_soup(settings, site) if path is None else page_soup(settings, site, path)
    return [
        e.get_text(strip=True)
        for e in responses_section(soup).select("ol.replies .p-author .p-name")
    ]


def run(settings: Settings, *args: str):
    return CliRunner().invoke(cli, ["--root", str(settings.root), *args])


def test_an_approved_mention_refreshes_its_page_to_the_bytes_of_a_rebuild(built) -> None:
    other = post_file(built, "main", OTHER_POST)
    other_before = other.read_bytes()
    mention = store_mention(
        built,
        source="https://aino.example/r",
        target=post_url(built),
        content="<p>Hyvä!</p>",
        status=MentionStatus.PENDING,
    )
    moderate(built, mention.id, MentionStatus.APPROVED)

    report = Refresher(built).refresh_targets([post_url(built)])

    assert report.refreshed == [post_url(built)] and report.problems == []
    assert reply_names(built) == ["Aino Esimerkki"]
    refreshed = post_file(built).read_bytes()
    assert other.read_bytes() == other_before
    build_sites(built)
    assert post_file(built).read_bytes() == refreshed


def test_refresh_of_a_swedish_page_keeps_its_language(built) -> None:
    store_mention(
        built,
        source="https://sv.example/r",
        target=post_url(built, "rajalla"),
        site="rajalla",
        author="Sven",
        content="<p>Bra</p>",
    )
    Refresher(built).refresh_targets([post_url(built, "rajalla")])
    refreshed = post_file(built, "rajalla").read_bytes()
    assert responses_section(page_soup(built, "rajalla")).h2.get_text(strip=True) == "1 reaktion"
    build_sites(built, site_names=["rajalla"])
    assert post_file(built, "rajalla").read_bytes() == refreshed


def test_publish_refresh_rewrites_only_the_pages_whose_mentions_changed(built) -> None:
    other = post_file(built, "main", OTHER_POST)
    other_stat = other.stat()
    store_mention(built, source="https://aino.example/r", target=post_url(built))
    assert reply_names(built) == []

    first = run(built, "refresh")
    again = run(built, "refresh")

    assert first.exit_code == 0, first.output
    assert f"refreshed {post_url(built)}" in first.output
    assert first.output.count("refreshed http") == 1
    assert reply_names(built) == ["Aino Esimerkki"]
    assert other.stat().st_mtime_ns == other_stat.st_mtime_ns
    assert again.exit_code == 0 and "refreshed http" not in again.output


def test_refresh_deploy_sends_just_the_rewritten_page(built: Settings, tmp_path: Path) -> None:
    www = tmp_path / "www"
    conf = built.root / "pelicanconf.py"
    conf.write_text(conf.read_text() + f'\nALUSTA_SITE["deploy"] = {str(www)!r}\n')
    store_mention(built, source="https://aino.example/r", target=post_url(built))

    result = run(built, "refresh", "--deploy")

    assert result.exit_code == 0, result.output
    served = snapshot(www)
    page = f"{POST_PATH}index.html"
    assert served[page] == post_file(built).read_bytes()
    assert "Aino Esimerkki" in served[page].decode()
    assert [key for key in served if key != page and not key.startswith("avatars/")] == []


def test_refresh_all_renders_every_page_and_changes_no_byte_when_current(built) -> None:
    before = post_file(built).read_bytes()
    result = run(built, "refresh", "--all", "--site", "main")
    assert result.exit_code == 0, result.output
    assert "0 page(s) refreshed" in result.output
    assert post_file(built).read_bytes() == before


def test_mentions_approve_and_delete_refresh_the_page(built) -> None:
    mention = store_mention(
        built, source="https://aino.example/r", target=post_url(built), status=MentionStatus.PENDING
    )
    approved = run(built, "mentions", "approve", str(mention.id))
    assert approved.exit_code == 0, approved.output
    assert reply_names(built) == ["Aino Esimerkki"]
    deleted = run(built, "mentions", "delete", str(mention.id))
    assert deleted.exit_code == 0, deleted.output
    assert reply_names(built) == []


def test_a_rejected_mention_leaves_the_page_on_refresh(built) -> None:
    mention = store_mention(built, source="https://aino.example/r", target=post_url(built))
    Refresher(built).refresh_targets([post_url(built)])
    assert reply_names(built) == ["Aino Esimerkki"]
    moderate(built, mention.id, MentionStatus.REJECTED)
    assert run(built, "refresh").exit_code == 0
    assert reply_names(built) == []


def test_a_page_without_markers_is_reported_and_left_alone(built) -> None:
    page = post_file(built)
    text = page.read_text("utf-8").replace("<!--alusta:responses:end-->", "")
    page.write_text(text, "utf-8")
    store_mention(built, source="https://aino.example/r", target=post_url(built))
    result = run(built, "refresh", "--target", post_url(built))
    assert result.exit_code == 1
    assert "no responses markers" in result.output
    assert page.read_text("utf-8") == text


def test_a_target_outside_the_build_is_reported(built) -> None:
    result = run(built, "refresh", "--target", "https://muualla.example/kirjoitus/")
    assert result.exit_code == 1
    assert "not a page of the last build" in result.output


def test_the_endpoint_refreshes_the_page_when_it_approves_a_webmention(tmp_path: Path) -> None:
    settings = responses_project(tmp_path / "project")
    build_sites(settings)
    settings = replace(settings, development=True)  # auto-approve, as `serve` does
    app = create_app(settings, static_dir=settings.output_dir, on_approved=page_refresher(settings))
    with SourceServer() as sources, RunningEndpoint(app) as endpoint:
        source = sources.route("/reply", body=reply_page(post_url(settings), name="Aino Vastaaja"))
        response = endpoint.send(source, post_url(settings))
        assert response.status_code == 201, response.text
        deadline = time.monotonic() + DEADLINE_SECONDS
        while reply_names(settings) != ["Aino Vastaaja"]:
            assert time.monotonic() < deadline, "the page was not refreshed"
            time.sleep(0.05)
        served = endpoint.client.get("/2026/11/teeman-testikirjoitus/")
        assert "Aino Vastaaja" in served.text
    again = Refresher(settings).refresh_changed(["main"])
    assert again.refreshed == [] and again.problems == [], "the endpoint left a page stale"
    assert post_url(settings) in again.unchanged


def test_blocking_a_domain_hides_its_shown_reply_on_the_page_at_once(built) -> None:
    store_mention(built, source="https://spam.example/r", target=post_url(built))
    run(built, "refresh")
    assert reply_names(built) == ["Aino Esimerkki"]

    blocked = run(built, "mentions", "block", "spam.example")

    assert blocked.exit_code == 0, blocked.output
    assert f"refreshed {post_url(built)}" in blocked.output
    assert reply_names(built) == []


class _PausingSource(MentionSource):
    """Reads the real store; the first read then pauses until another refresh has run."""

    def __init__(self, source: MentionSource, read: threading.Event, other_done: threading.Event):
        super().__init__(source.database, source.api_url, source.allow_private)
        object.__setattr__(self, "events", (read, other_done))

    def responses(self, **query):
        found = super().responses(**query)
        read, other_done = self.events
        if not read.is_set():
            read.set()
            # Returns at once if the other refresh was not held back (the race this test
            # is about); with the lock held while reading, it waits out its bound.
            other_done.wait(timeout=PAUSE_SECONDS)
        return found


def test_two_refreshes_at_once_never_leave_the_older_replies_on_the_page(built) -> None:
    """A refresh that read the store before a newer approval must not write over the page
    the newer refresh wrote: reading and writing a page is one step under the lock."""
    target = post_url(built)
    store_mention(built, source="https://aino.example/r", target=target)
    read, other_done = threading.Event(), threading.Event()
    slow = Refresher(built)
    slow.source = _PausingSource(slow.source, read, other_done)
    first = threading.Thread(target=slow.refresh_targets, args=([target],))
    first.start()
    assert read.wait(timeout=DEADLINE_SECONDS)
    store_mention(built, source="https://bertta.example/r", target=target, author="Bertta")

    def newer_refresh() -> None:
        Refresher(built).refresh_targets([target])
        other_done.set()

    second = threading.Thread(target=newer_refresh)
    second.start()
    first.join(timeout=DEADLINE_SECONDS)
    second.join(timeout=DEADLINE_SECONDS)

    assert not first.is_alive() and not second.is_alive()
    assert sorted(reply_names(built)) == ["Aino Esimerkki", "Bertta"]

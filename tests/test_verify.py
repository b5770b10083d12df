"""Verification against a real source server on 127.0.0.1, one scenario file per case."""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

import pytest

from alusta.http import AddressRefused, FetchTimeout, NetworkError, fetch
from alusta.models import Author, MentionKind
from alusta.sanitize import LINK_REL
from alusta.verify import (
    NoLinkToTarget,
    SourceGone,
    SourceMissing,
    SourceNotFound,
    UpstreamError,
    verify_source,
)
from tests.servers import SourceServer

SOURCES = Path(__file__).parent / "data" / "sources"
TARGET = "https://blogi.example.fi/2026/kevat/"


def serve(server: SourceServer, name: str, **reply) -> str:
    """Serve scenario `name` at /name and return its URL."""
    return server.route_file(f"/{name}", SOURCES / name, **reply)


def verify(source: str, target: str = TARGET, **options):
    options.setdefault("allow_private", True)
    return asyncio.run(verify_source(source, target, **options))


class Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def test_reply_reads_author_published_and_sanitised_content(source_server):
    url = serve(source_server, "reply.html")
    entry = verify(url)
    assert (entry.url, entry.final_url, entry.kind) == (url, url, MentionKind.REPLY)
    photo = source_server.url("/kuvat/maija.jpg")
    assert entry.author == Author("Maija Meikäläinen", "https://maija.example/", photo)
    assert entry.published.startswith("2026-11-20T10:00:00")
    assert entry.title == "Vastaus kevään kirjoitukseen | Maijan muistiinpanot"
    assert entry.content_text.startswith("Hyvä kirjoitus! Katso myös edellinen.")
    elements = Elements(entry.content_html).elements
    assert [tag for tag, _ in elements] == ["p", "strong", "a", "p", "a"]
    assert elements[2][1] == {"href": source_server.url("/muistiinpanot/2"), "rel": LINK_REL}
    assert elements[4][1] == {"rel": LINK_REL}  # javascript: href removed
    assert elements[3][1] == {}  # style and onclick removed
    assert "alert" not in entry.content_html
    assert entry.lang == "fi"  # the page's <html lang>, carried to the stored mention


def test_a_page_without_a_language_leaves_the_entry_without_one(source_server):
    assert verify(serve(source_server, "like.html")).lang == ""


def test_like_of_nested_h_cite_borrows_the_page_h_card(source_server):
    entry = verify(serve(source_server, "like.html"))
    assert entry.kind is MentionKind.LIKE
    assert entry.author == Author(
        "Pekka Puupää", "https://pekka.example/", "https://pekka.example/pekka.png"
    )
    assert entry.published == "2026-11-21T08:30:00Z"


def test_repost_matches_target_written_differently(source_server):
    entry = verify(serve(source_server, "repost.html"))  # http, no slash, utm_source
    assert entry.kind is MentionKind.REPOST
    assert entry.author == Author(name="Anna Andersson")


def test_bookmark_keeps_explicit_name(source_server):
    entry = verify(serve(source_server, "bookmark.html"))
    assert entry.kind is MentionKind.BOOKMARK
    assert entry.name == "Luettavaa viikonloppuna"
    assert entry.author == Author(name="Ville")


def test_plain_mention_drops_name_that_repeats_content(source_server):
    entry = verify(serve(source_server, "mention.html"))
    assert entry.kind is MentionKind.MENTION
    assert entry.content_text == "Luin kevätkirjoituksen ja pidin siitä."
    assert entry.name == ""


def test_entry_that_points_at_target_is_chosen_from_a_feed(source_server):
    entry = verify(serve(source_server, "feed-with-reply.html"))
    assert (entry.kind, entry.name) == (MentionKind.REPLY, "Toinen kirjoitus")
    assert entry.content_text == "Vastaus syötteen keskeltä."


def test_page_without_microformats_gives_title_and_excerpt(source_server):
    entry = verify(serve(source_server, "pingback-page.html"))
    assert entry.kind is MentionKind.MENTION
    assert entry.title == "Kevään linkkivinkit & muuta | Vanha blogi"
    assert "yksi niistä oli Kevät tulee, jossa pohditaan" in entry.excerpt
    assert len(entry.excerpt) <= 202
    assert (entry.content_html, entry.author) == ("", Author())


def test_relative_link_resolves_against_base_href(source_server):
    assert verify(serve(source_server, "base-relative.html")).title == "Suhteellinen"


@pytest.mark.parametrize(
    "name", ["no-link.html", "link-in-comment.html", "link-escaped.html", "text-without-link.txt"]
)
def test_verify_rejects_source_without_link(source_server, name):
    with pytest.raises(NoLinkToTarget, match="source does not link to target") as caught:
        verify(serve(source_server, name))
    assert not caught.value.retryable


def test_json_source_links_with_a_string_value(source_server):
    entry = verify(serve(source_server, "source.json"))
    assert entry.kind is MentionKind.MENTION


def test_json_key_is_not_a_link(source_server):
    with pytest.raises(NoLinkToTarget):
        verify(serve(source_server, "key-only.json"))


def test_text_source_links_with_the_url_in_its_body(source_server):
    entry = verify(serve(source_server, "source.txt"))
    assert "lue https://blogi.example.fi/2026/kevat/." in entry.excerpt


def test_image_source_cannot_link(source_server):
    url = source_server.route("/kuva.png", body=TARGET.encode(), content_type="image/png")
    with pytest.raises(NoLinkToTarget, match="image/png"):
        verify(url)


def test_redirected_source_reports_final_url(source_server):
    final = serve(source_server, "reply.html")
    start = source_server.redirect("/vanha-osoite", "/reply.html", status=301)
    entry = verify(start)
    assert (entry.url, entry.final_url, entry.kind) == (start, final, MentionKind.REPLY)


def test_404_is_missing_for_now_and_other_4xx_not_found(source_server):
    """A 404 may be a page not deployed yet: the worker asks again on its own schedule
    (ALUSTA_VERIFY_NOT_FOUND_DELAYS_SECONDS), not the network-error one."""
    with pytest.raises(SourceMissing) as caught:
        verify(serve(source_server, "not-found.html", status=404))
    assert not caught.value.retryable
    with pytest.raises(SourceNotFound) as caught:
        verify(serve(source_server, "not-found.html", status=403))
    assert not isinstance(caught.value, SourceMissing)


def test_410_is_gone(source_server):
    with pytest.raises(SourceGone):
        verify(serve(source_server, "gone.html", status=410))


def test_meta_status_410_is_gone_even_with_the_link(source_server):
    with pytest.raises(SourceGone):
        verify(serve(source_server, "gone-meta.html"))


def test_500_is_a_retryable_upstream_error(source_server):
    with pytest.raises(UpstreamError) as caught:
        verify(serve(source_server, "server-error.html", status=500))
    assert caught.value.retryable


def test_slow_source_times_out(source_server):
    url = serve(source_server, "reply.html", delay_seconds=3)

    async def impatient_fetch(url: str, **options):
        return await fetch(url, timeout_seconds=0.5, **options)

    started = time.monotonic()
    with pytest.raises(FetchTimeout) as caught:
        verify(url, fetch=impatient_fetch)
    assert caught.value.retryable
    assert time.monotonic() - started < 2


def test_unreachable_source_is_a_retryable_network_error():
    with SourceServer() as server:
        url = server.url("/reply.html")
    with pytest.raises(NetworkError) as caught:
        verify(url)
    assert caught.value.retryable


def test_loopback_source_is_refused_in_production(source_server):
    url = serve(source_server, "reply.html")
    with pytest.raises(AddressRefused):
        verify(url, allow_private=False)
    assert source_server.total_hits == 0


def test_twenty_megabyte_source_with_link_first_verifies_in_little_memory(source_server):
    head = (SOURCES / "pingback-page.html").read_bytes().split(b"</body>")[0]
    url = source_server.route("/big", body=head, stream_bytes=20_000_000, tail=b"</body>")
    tracemalloc.start()
    try:
        entry = verify(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert entry.title == "Kevään linkkivinkit & muuta | Vanha blogi"
    assert peak < 12_000_000  # the 1 MB cut, decoded and parsed (~6.5 MB), never 20 MB


def test_twenty_megabyte_source_with_link_at_the_end_is_rejected(source_server):
    link = f'<a href="{TARGET}">Kevät tulee</a></body>'.encode()
    url = source_server.route("/big", body=b"<html><body><p>", stream_bytes=20_000_000, tail=link)
    with pytest.raises(NoLinkToTarget, match="first megabyte"):
        verify(url)


def test_reply_to_a_comment_names_the_comment_as_its_parent(source_server):
    entry = verify(serve(source_server, "reply-to-comment.html"))
    assert (entry.kind, entry.in_reply_to) == (MentionKind.REPLY, "https://aino.example/vastaus")
    assert entry.author == Author(name="Ville", url="https://ville.example/")

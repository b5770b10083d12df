"""Responses on a real build: mentions stored in a real SQLite file through alusta.store,
a real Pelican build of Finnish, Swedish and English sites, HTML read back with
BeautifulSoup and mf2py; avatars fetched from a real local server."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import mf2py
import pytest
from bs4 import BeautifulSoup

from alusta.build import build_sites
from alusta.models import MentionStatus
from alusta.settings import Settings
from tests.responses_fixtures import (
    RECEIVED_START,
    page_soup,
    post_file,
    post_url,
    responses_project,
    responses_section,
    store_mention,
)
from tests.servers import SourceServer


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = png_bytes()
SVG_AVATAR = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@dataclass(frozen=True)
class Built:
    settings: Settings
    avatars: SourceServer


def _mentions(settings: Settings, avatars: SourceServer) -> None:
    post = post_url(settings, "main")
    t = RECEIVED_START
    store_mention(
        settings,
        source="https://aino.example/vastaus",
        target=post,
        author="Aino Esimerkki",
        photo=avatars.url("/aino.png"),
        published="2026-11-21T10:00:00+02:00",
        content="<p>Hyvä <strong>kirjoitus</strong>!</p>",
        received=t + 30,
    )
    store_mention(
        settings,
        source="https://bertta.example/re",
        target=post,
        author="Bertta <img src=x onerror=alert(1)>",
        author_url="javascript:alert(1)",
        photo=avatars.url("/not-an-image.png"),
        published="2026-11-20T09:00:00+02:00",
        content="<p>Samaa mieltä</p><script>alert(1)</script>",
        received=t + 40,
    )
    store_mention(
        settings,
        source="https://cecilia.example/eka",
        target=post,
        author="Cecilia",
        photo=avatars.url("/evil.svg"),
        content="<p>Ensimmäinen</p>",
        lang="fi-FI",  # the page's language: not marked again
        received=t + 10,
    )
    store_mention(
        settings,
        source="https://daniel.example/note",
        received=t + 50,
        target="http://ALUSTA.example/2026/11/teeman-testikirjoitus/index.html"
        "?utm_source=feed#comments",
        author="Daniel",
        published="2026-11-22T08:00:00+00:00",
        content="<p>Neljäs – the fourth, in English</p>",
        lang="en-GB",
    )
    for number, kind in enumerate(["like", "like", "repost", "bookmark"]):
        store_mention(
            settings,
            source=f"https://fan{number}.example/{kind}",
            target=post,
            kind=kind,
            author=f"Fani {number}",
            author_url=f"https://fan{number}.example/",
            photo=avatars.url("/aino.png") if number == 0 else "",
            received=t + 60 + number,
        )
    store_mention(
        settings,
        source="https://lehti.example/juttu",
        target=post,
        kind="mention",
        author="Lehti",
        name="Kylät kehittävät yhdessä",
        received=t + 70,
    )
    store_mention(
        settings,
        source="https://blogi.example/2026/kirjoitus",
        target=post,
        kind="pingback",
        protocol="pingback",
        author="",
        name="",
        title="Lähdeblogin kirjoitus",
        received=t + 80,
    )
    store_mention(
        settings,
        source="https://odottaa.example/r",
        target=post,
        author="Odottaja",
        content="<p>jonossa</p>",
        status=MentionStatus.PENDING,
        received=t + 90,
    )
    sv, en = post_url(settings, "rajalla"), post_url(settings, "ounasvaara")
    store_mention(
        settings,
        source="https://sv.example/svar",
        target=sv,
        site="rajalla",
        author="Sven",
        content="<p>Bra!</p>",
        received=t + 100,
    )
    for number in range(2):
        store_mention(
            settings,
            source=f"https://sv{number}.example/like",
            target=sv,
            site="rajalla",
            kind="like",
            author=f"Gillare {number}",
            received=t + 110,
        )
    store_mention(
        settings,
        source="https://en.example/like",
        target=en,
        site="ounasvaara",
        kind="like",
        author="Emma",
        received=t + 120,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """One build of three sites with a known set of mentions."""
    with SourceServer() as avatars:
        avatars.route("/aino.png", body=PNG, content_type="image/png")
        avatars.route("/not-an-image.png", body=b"<html>nope</html>", content_type="image/png")
        avatars.route("/evil.svg", body=SVG_AVATAR, content_type="image/svg+xml")
        settings = responses_project(tmp_path_factory.mktemp("responses") / "project")
        _mentions(settings, avatars)
        build_sites(settings)
        yield Built(settings=settings, avatars=avatars)


def texts(elements) -> list[str]:
    return [" ".join(e.get_text(" ", strip=True).split()) for e in elements]


def test_heading_counts_every_shown_response_and_groups_count_their_own(built) -> None:
    section = responses_section(page_soup(built.settings, "main"))
    assert section.h2.get_text(strip=True) == "10 reaktiota"
    assert texts(section.find_all("h3"))[:6] == [
        "4 vastausta",
        "2 tykkäystä",
        "1 jako",
        "1 kirjanmerkki",
        "1 maininta",
        "Vastaa omalla sivustollasi",
    ]


@pytest.mark.parametrize(
    ("site", "heading", "groups"),
    [
        ("rajalla", "3 reaktioner", ["1 svar", "2 gillningar"]),
        ("ounasvaara", "1 response", ["1 like"]),
    ],
)
def test_plural_forms_follow_the_site_language(built, site, heading, groups) -> None:
    section = responses_section(page_soup(built.settings, site))
    assert section.h2.get_text(strip=True) == heading
    assert texts(section.find_all("h3"))[: len(groups)] == groups


def test_a_post_without_responses_says_so_and_still_offers_the_form(built) -> None:
    soup = page_soup(built.settings, "ounasvaara", "2026/10/latukahvila-kokeiluun/")
    section = responses_section(soup)
    assert section.h2.get_text(strip=True) == "No responses yet"
    assert section.find("form", class_="reply-form") is not None


def test_replies_in_the_order_written_with_linked_authors_and_sanitised_content(built) -> None:
    replies = responses_section(page_soup(built.settings, "main")).select("ol.replies > li")
    assert [r.select_one(".p-author .p-name").get_text(strip=True) for r in replies] == [
        "Cecilia",
        "Bertta <img src=x onerror=alert(1)>",
        "Aino Esimerkki",
        "Daniel",
    ]
    aino = replies[2]
    assert aino.select_one(".p-author a.u-url")["href"] == "https://aino.example/"
    assert aino.select_one("a.u-url.response-date")["href"] == "https://aino.example/vastaus"
    assert aino.select_one("time.dt-published")["datetime"] == "2026-11-21T10:00:00+02:00"
    assert aino.select_one("time.dt-published").get_text() == "21. marraskuuta 2026"
    assert (
        str(aino.select_one(".e-content").decode_contents())
        == "<p>Hyvä <strong>kirjoitus</strong>!</p>"
    )
    assert aino.select_one(".response-original a")["href"] == "https://aino.example/vastaus"
    bertta = replies[1]
    assert bertta.select_one(".p-author a") is None  # javascript: author URL: no link at all
    assert bertta.find("img", attrs={"onerror": True}) is None
    assert bertta.find("script") is None
    assert bertta.select_one(".e-content").get_text() == "Samaa mieltä"


def test_a_reply_in_another_language_than_the_post_says_so(built) -> None:
    """WCAG 2.1 3.1.2: a screen reader speaks the English reply under a Finnish post in
    English; a reply in the page's own language (any region) carries no `lang` of its own."""
    replies = responses_section(page_soup(built.settings, "main")).select("ol.replies > li")
    by_author = {r.select_one(".p-author .p-name").get_text(strip=True): r for r in replies}
    assert by_author["Daniel"].select_one(".e-content")["lang"] == "en-GB"
    assert not by_author["Cecilia"].select_one(".e-content").has_attr("lang")
    assert not by_author["Aino Esimerkki"].select_one(".e-content").has_attr("lang")


def test_a_mention_of_any_spelling_of_the_post_url_lands_on_it(built) -> None:
    replies = responses_section(page_soup(built.settings, "main")).select("ol.replies > li")
    assert "Neljäs" in replies[-1].get_text()


def test_pending_mentions_are_not_shown(built) -> None:
    assert "Odottaja" not in responses_section(page_soup(built.settings, "main")).get_text()


def test_likes_reposts_and_bookmarks_are_rows_of_avatars(built) -> None:
    section = responses_section(page_soup(built.settings, "main"))
    likes = section.select(".responses-like li.p-like.h-cite")
    assert [li.select_one(".p-name").get_text(strip=True) for li in likes] == ["Fani 0", "Fani 1"]
    assert [li.select_one("a.p-author")["href"] for li in likes] == [
        "https://fan0.example/",
        "https://fan1.example/",
    ]
    assert likes[0].select_one("data.u-url")["value"] == "https://fan0.example/like"
    assert len(section.select(".responses-repost li.p-repost")) == 1
    assert len(section.select(".responses-bookmark li.p-bookmark")) == 1


def test_mentions_link_their_title_and_pingbacks_read_like_a_blog(built) -> None:
    section = responses_section(page_soup(built.settings, "main"))
    mention = section.select_one(".mentions li")
    assert mention.select_one("a.u-url")["href"] == "https://lehti.example/juttu"
    assert mention.select_one("a.u-url").get_text(strip=True) == "Kylät kehittävät yhdessä"
    assert texts(section.select(".pingbacks li")) == [
        "Pingback: Lähdeblogin kirjoitus | blogi.example"
    ]
    assert section.select_one(".pingbacks a")["href"] == "https://blogi.example/2026/kirjoitus"


def test_avatars_are_cached_copies_on_our_own_site(built) -> None:
    settings = built.settings
    soup = page_soup(settings, "main")
    siteurl = settings.main.siteurl
    images = soup.select(".responses img")
    assert images, "no avatar image"
    for image in images:
        assert image["src"].startswith(f"{siteurl}/avatars/"), image["src"]
        copy = settings.output_dir / image["src"].removeprefix(f"{siteurl}/")
        assert copy.read_bytes() == PNG
    assert all(
        not tag.get("src", "").startswith("http://127.0.0.1") for tag in soup.find_all(src=True)
    )


def test_broken_svg_and_missing_avatars_get_initials(built) -> None:
    replies = responses_section(page_soup(built.settings, "main")).select("ol.replies > li")
    cecilia, bertta = replies[0], replies[1]  # an SVG, and HTML served as image/png
    assert cecilia.img is None and cecilia.svg.find("text").get_text() == "C"
    assert bertta.img is None and bertta.svg.find("text").get_text() == "BS"
    assert not list((built.settings.output_dir / "avatars").glob("*.svg"))


def test_a_second_build_does_not_fetch_avatars_again(built) -> None:
    before = built.avatars.total_hits
    build_sites(built.settings, site_names=["main"])
    assert built.avatars.total_hits == before
    assert responses_section(page_soup(built.settings, "main")).select(".responses img")


def test_every_page_advertises_the_endpoints_and_the_form_posts_to_it(built) -> None:
    settings = built.settings
    endpoint = settings.endpoint_url
    soup = page_soup(settings, "main")
    assert soup.head.find("link", rel="webmention")["href"] == f"{endpoint}/webmention"
    assert soup.head.find("link", rel="pingback")["href"] == f"{endpoint}/xmlrpc"
    form = responses_section(soup).find("form", class_="reply-form")
    assert form["method"] == "post" and form["action"] == f"{endpoint}/webmention"
    assert form.find("input", attrs={"name": "target", "type": "hidden"})["value"] == post_url(
        settings, "main"
    )
    source = form.find("input", attrs={"name": "source"})
    assert form.find("label", attrs={"for": source["id"]}) is not None
    assert source["type"] == "url" and source.has_attr("required")
    assert form.find(id=source["aria-describedby"]).get_text(strip=True)


def test_our_post_parses_as_an_h_entry_with_replies_as_comment_children(built) -> None:
    settings = built.settings
    html = post_file(settings, "main").read_text("utf-8")
    parsed = mf2py.parse(doc=html, url=post_url(settings, "main"))
    entries = [i for i in parsed["items"] if "h-entry" in i["type"]]
    assert len(entries) == 1
    properties = entries[0]["properties"]
    comments = properties["comment"]
    assert [c["type"] for c in comments] == [["h-cite"]] * 4
    aino = comments[2]["properties"]
    assert aino["author"][0]["type"] == ["h-card"]
    assert aino["author"][0]["properties"]["name"] == ["Aino Esimerkki"]
    assert aino["author"][0]["properties"]["url"] == ["https://aino.example/"]
    assert aino["url"] == ["https://aino.example/vastaus"]
    assert datetime.fromisoformat(aino["published"][0]) == datetime.fromisoformat(
        "2026-11-21T10:00:00+02:00"
    )
    assert aino["content"][0]["html"] == "<p>Hyvä <strong>kirjoitus</strong>!</p>"
    likes = properties["like"]
    assert [like["properties"]["url"] for like in likes] == [
        ["https://fan0.example/like"],
        ["https://fan1.example/like"],
    ]
    assert [like["properties"]["author"][0]["properties"]["name"] for like in likes] == [
        ["Fani 0"],
        ["Fani 1"],
    ]
    assert len(properties["repost"]) == 1 and len(properties["bookmark"]) == 1


def test_the_build_record_gives_refresh_every_post_and_page(built) -> None:
    from alusta.build_record import load_record  # noqa: PLC0415
    from alusta.responses.pages import site_index  # noqa: PLC0415

    index = site_index(load_record(built.settings.var_dir), "main", {"fi", "sv", "en"})
    urls = {page.url for page in index.pages.values()}
    assert post_url(built.settings, "main") in urls
    assert all(
        BeautifulSoup((built.settings.output_dir / p.path).read_text(), "html.parser").find(
            "section", class_="responses"
        )
        for p in index.pages.values()
    )
    assert not any(p.url.endswith(("/category/", "/tags/")) for p in index.pages.values()), (
        "listings show no responses"
    )

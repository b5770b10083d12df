"""Threaded replies on a real build: a reply to a reply is drawn inside its parent and
parsers read the thread as nested h-cite comments; counts stay per kind."""

from __future__ import annotations

import mf2py
import pytest

from alusta.build import build_sites
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

AINO, BERTTA, CECILIA, DANIEL, EEVA = (
    f"https://{name}.example/vastaus" for name in ("aino", "bertta", "cecilia", "daniel", "eeva")
)


@pytest.fixture(scope="module")
def threaded(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Aino replies; Bertta answers Aino; Cecilia answers Bertta; Eeva answers Cecilia;
    Daniel replies alone; a pingback and a like beside them."""
    settings = responses_project(tmp_path_factory.mktemp("threads") / "project")
    post = post_url(settings, "main")
    replies = [
        (AINO, "Aino", "", "Hyvä kirjoitus!"),
        (BERTTA, "Bertta", AINO, "Samaa mieltä Ainon kanssa."),
        (CECILIA, "Cecilia", BERTTA, "Minä myös."),
        (DANIEL, "Daniel", "", "Oma ajatukseni."),
        (EEVA, "Eeva", CECILIA, "Neljäs taso."),
    ]
    for number, (source, author, parent, text) in enumerate(replies):
        store_mention(
            settings, source=source, target=post, author=author, content=f"<p>{text}</p>",
            in_reply_to=parent, received=RECEIVED_START + number,
        )  # fmt: skip
    store_mention(settings, source="https://fan.example/like", target=post, kind="like")
    store_mention(
        settings, source="https://blogi.example/k", target=post, kind="mention",
        title="Lähdeblogin kirjoitus", protocol="pingback",
    )  # fmt: skip
    build_sites(settings, site_names=["main"])
    return settings


def test_a_reply_to_a_reply_is_shown_inside_its_parent(threaded: Settings) -> None:
    section = responses_section(page_soup(threaded))
    top = section.select("div.responses-replies > ol.replies > li")
    assert [li.select_one(".p-author .p-name").get_text(strip=True) for li in top] == [
        "Aino",
        "Daniel",
    ]
    (bertta,) = top[0].select(":scope > ol.replies > li")
    assert "Samaa mieltä" in bertta.select_one(".e-content").get_text()
    (cecilia,) = bertta.select(":scope > ol.replies > li")
    assert cecilia.select_one(".p-name").get_text(strip=True) == "Cecilia"
    (eeva,) = cecilia.select(":scope > ol.replies > li")
    assert [
        ("replies-deep" in li.find_parent("ol")["class"]) for li in (bertta, cecilia, eeva)
    ] == [
        False,
        False,
        True,  # from the fourth level on the indent stops growing
    ]


def test_counts_stay_per_kind_and_each_reply_links_its_original_once(threaded: Settings) -> None:
    section = responses_section(page_soup(threaded))
    assert section.h2.get_text(strip=True) == "7 reaktiota"
    assert section.select_one(".responses-replies h3").get_text(strip=True) == "5 vastausta"
    for li in section.select("li.response"):
        header = li.select_one(":scope > .response-header")
        originals = li.select(":scope > .response-header .response-original a")
        assert len(originals) == 1 and originals[0].get_text(strip=True).startswith(
            "Lue alkuperäinen"
        )
        assert header is not None
    pingbacks = [li.get_text(" ", strip=True) for li in section.select(".pingbacks li")]
    assert pingbacks == ["Pingback: Lähdeblogin kirjoitus | blogi.example"]


def test_mf2py_reads_the_thread_as_nested_comments(threaded: Settings) -> None:
    html = post_file(threaded).read_text(encoding="utf-8")
    (entry,) = [
        i for i in mf2py.parse(doc=html, url=post_url(threaded))["items"] if "h-entry" in i["type"]
    ]
    comments = entry["properties"]["comment"]
    assert [c["properties"]["url"] for c in comments] == [[AINO], [DANIEL]]
    (bertta,) = comments[0]["properties"]["comment"]
    assert bertta["type"] == ["h-cite"] and bertta["properties"]["url"] == [BERTTA]
    (cecilia,) = bertta["properties"]["comment"]
    assert cecilia["properties"]["author"][0]["properties"]["name"] == ["Cecilia"]
    assert "comment" not in comments[1]["properties"]

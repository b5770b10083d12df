"""The theme's markup on a real build: h-entry, landmarks, head links, taxonomy pages, colours.

Every assertion reads HTML parsed with BeautifulSoup (or mf2py for microformats); the
build is the shared `served_build` (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from pathlib import Path
from urllib.parse import urlsplit

import mf2py
import pytest
from bs4 import BeautifulSoup

from alusta.build import build_sites
from tests.project import THEME_SITE_LANGUAGES, ServedBuild, copy_project, project_settings

REPO = Path(__file__).resolve().parents[1]
THEME_POST_PATH = "2026/11/teeman-testikirjoitus/"
POST_DATE = dt.datetime(2026, 11, 26, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
THEME_POST_TERMS = {"Living Lab", "Sosiaalinen media", "kylät", "yhteiskehittäminen"}

# One page of every kind per site, as URL paths relative to the site.
PAGE_KINDS = {
    "front": "",
    "post": THEME_POST_PATH,
    "category": "category/living-lab/",
    "tag": "tag/kylat/",
    "categories": "categories/",
    "tags": "tags/",
    "archives": "archives/",
    "year": "2026/",
    "month": "2026/11/",
    "author": "author/maija-meikalainen/",
    "authors": "authors/",
}


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def every_page(served_build: ServedBuild) -> list[Path]:
    pages = sorted(served_build.settings.output_dir.rglob("*.html"))
    assert len(pages) > 30, "the build should hold every page type of three sites"
    return pages


@pytest.fixture(scope="module")
def colour():
    """The colour module the theme's filters come from."""
    return importlib.import_module("alusta.colour")


def test_every_site_builds_without_warnings(served_build: ServedBuild) -> None:
    assert {r.name for r in served_build.report.sites} == set(THEME_SITE_LANGUAGES)
    assert [(r.name, r.warnings, r.errors) for r in served_build.report.sites if r.warnings] == []


def test_post_is_an_h_entry_that_mf2py_reads_back(served_build: ServedBuild) -> None:
    url = served_build.site_url("main", THEME_POST_PATH)
    html = served_build.site_file("main", THEME_POST_PATH).read_text(encoding="utf-8")
    entries = [i for i in mf2py.parse(doc=html, url=url)["items"] if "h-entry" in i["type"]]

    assert len(entries) == 1
    props = entries[0]["properties"]
    assert props["name"] == ["Teeman testikirjoitus"]
    content = BeautifulSoup(props["content"][0]["html"], "html.parser")
    assert content.find("strong").get_text() == "suunnittelivat"
    (published,) = props["published"]
    assert dt.datetime.fromisoformat(published) == POST_DATE
    assert props["url"] == [url]
    assert set(props["category"]) == THEME_POST_TERMS
    assert len(props["category"]) == len(THEME_POST_TERMS)
    (author,) = props["author"]
    assert author["type"] == ["h-card"]
    assert author["properties"]["name"] == ["Maija Meikäläinen"]
    assert author["properties"]["url"] == [
        served_build.site_url("main", "author/maija-meikalainen/")
    ]


def test_list_pages_mark_every_listed_post_as_h_entry(served_build: ServedBuild) -> None:
    url = served_build.site_url("main", "category/sosiaalinen-media/")
    html = served_build.site_file("main", "category/sosiaalinen-media/").read_text("utf-8")
    feed = [i for i in mf2py.parse(doc=html, url=url)["items"] if "h-feed" in i["type"]]

    assert len(feed) == 1
    urls = [c["properties"]["url"][0] for c in feed[0]["children"]]
    assert served_build.site_url("main", THEME_POST_PATH) in urls
    assert all(c["type"] == ["h-entry"] for c in feed[0]["children"])


@pytest.mark.parametrize("site", THEME_SITE_LANGUAGES)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_has_landmarks_and_a_working_skip_link(
    served_build: ServedBuild, site: str, kind: str
) -> None:
    soup = parse(served_build.site_file(site, PAGE_KINDS[kind]))
    body = soup.body

    assert [t.name for t in body.find_all(["header", "main", "footer"], recursive=False)] == [
        "header",
        "main",
        "footer",
    ]
    assert body.find("header", recursive=False).find("nav", attrs={"aria-label": True})
    assert len(soup.find_all("main")) == 1
    assert len(soup.find_all("h1")) == 1
    first_link = body.find("a")
    assert "skip-link" in first_link["class"]
    assert soup.find(id=first_link["href"].removeprefix("#")).name == "main"


def test_every_page_links_endpoints_feed_and_local_stylesheet(served_build: ServedBuild) -> None:
    endpoint = served_build.settings.endpoint_url
    for path in every_page(served_build):
        head = parse(path).head
        assert head.find("link", rel="webmention")["href"] == f"{endpoint}/webmention", path
        assert head.find("link", rel="pingback")["href"] == f"{endpoint}/xmlrpc", path
        feeds = head.find_all("link", rel="alternate", type="application/atom+xml")
        assert any(f["href"].endswith("/feeds/all.atom.xml") for f in feeds), path
        assert head.find("meta", attrs={"name": "viewport"}), path


def test_pages_load_nothing_from_other_hosts_and_run_no_scripts(served_build: ServedBuild) -> None:
    local = urlsplit(served_build.base_url).netloc
    for path in every_page(served_build):
        soup = parse(path)
        scripts = soup.find_all("script")
        # The one script allowed: the feedback forms' optional helper, from the site itself.
        assert all(s.get("src", "").endswith("/theme/js/feedback.js") for s in scripts), path
        resources = [t.get("src") for t in soup.find_all(["img", "iframe", "audio", "video"])]
        resources += [s["src"] for s in scripts]
        resources += [t["href"] for t in soup.find_all("link", rel="stylesheet")]
        for resource in resources:
            assert urlsplit(resource).netloc in ("", local), (path, resource)


def test_category_page_lists_its_posts_and_links_its_own_feed(served_build: ServedBuild) -> None:
    soup = parse(served_build.site_file("main", "category/sosiaalinen-media/"))
    feed = "feeds/category/sosiaalinen-media.atom.xml"

    head_feed = soup.head.find("link", href=served_build.site_url("main", feed))
    assert head_feed["type"] == "application/atom+xml"
    assert soup.main.find("a", href=served_build.site_url("main", feed))
    assert served_build.site_file("main", feed).is_file()
    titles = [a.get_text(strip=True) for a in soup.main.select(".h-entry .p-name a")]
    assert "Teeman testikirjoitus" in titles


def test_tag_page_links_its_own_feed(served_build: ServedBuild) -> None:
    soup = parse(served_build.site_file("rajalla", "tag/kylat/"))
    feed = served_build.site_url("rajalla", "feeds/tag/kylat.atom.xml")

    assert soup.head.find("link", rel="alternate", href=feed)
    assert served_build.site_file("rajalla", "feeds/tag/kylat.atom.xml").is_file()


@pytest.mark.parametrize("listing", ["categories/", "tags/", "authors/"])
def test_term_lists_count_the_posts_on_each_term_page(
    served_build: ServedBuild, listing: str
) -> None:
    items = parse(served_build.site_file("main", listing)).main.select(".term-list li")
    assert items
    for item in items:
        link = item.find("a")
        term_page = link["href"].removeprefix(served_build.site_url("main"))
        listed = parse(served_build.site_file("main", term_page)).main.select(".h-entry")
        count = int(item.find(class_="count").get_text().strip("()").split()[0])
        assert count == len(listed), link["href"]


def test_main_front_page_shows_the_pilots_latest_posts(served_build: ServedBuild) -> None:
    section = parse(served_build.site_file("main")).find("section", class_="pilot-latest")
    heading = section.find(id=section["aria-labelledby"])
    assert heading.get_text(strip=True) == "Pilottien uusimmat"

    links = [h.find("a")["href"] for h in section.find_all("h3")]
    for pilot in ("rajalla", "ounasvaara"):
        post = served_build.site_url(pilot, THEME_POST_PATH)
        assert post in links
        assert served_build.site_file(pilot, THEME_POST_PATH).is_file()


def test_pilot_front_page_has_no_pilot_section(served_build: ServedBuild) -> None:
    soup = parse(served_build.site_file("rajalla"))
    assert soup.find("section", class_="pilot-latest") is None
    assert soup.find("p", class_="site-title").get_text(strip=True) == (
        served_build.settings.site("rajalla").title
    )


def test_post_in_another_language_marks_its_page_and_the_site_texts(
    served_build: ServedBuild,
) -> None:
    english_post = "2026/11/theme-test-in-english/"
    soup = parse(served_build.site_file("main", english_post))

    assert soup.html["lang"] == "en"
    assert soup.find("p", class_="site-title")["lang"] == "fi"
    assert soup.find("a", class_="skip-link").get_text() == "Skip to content"


def test_accent_colour_of_each_site_colours_its_header(served_build: ServedBuild) -> None:
    for site in served_build.settings.sites:
        style = parse(served_build.site_file(site.name)).head.style.get_text()
        assert f"--header-bg: {site.accent_color};" in style


def test_text_on_an_accent_colour_reaches_aa_contrast(colour) -> None:
    for accent in ("#0b5cad", "#1d6b3a", "#7a2e0e", "#ffcc00", "#e0e0e0", "#000000"):
        assert colour.contrast_ratio(colour.text_on(accent), accent) >= 4.5, accent
    assert colour.text_on("#ffcc00") != "#ffffff"


def test_light_accent_is_darkened_until_links_are_readable(colour) -> None:
    assert colour.readable_on("#0b5cad") == "#0b5cad"
    darker = colour.readable_on("#ffcc00")
    assert darker != "#ffcc00"
    assert colour.contrast_ratio(darker, "#ffffff") >= 4.5


EXTRA_POSTS = 12


@pytest.fixture(scope="module")
def busy_build(tmp_path_factory: pytest.TempPathFactory):
    """The main site with a responses partial (as later issues add) and enough posts to page."""
    root = copy_project(tmp_path_factory.mktemp("busy") / "project")
    partial = root / "theme" / "templates" / "partials" / "responses.html"
    partial.write_text('<section class="responses">{{ article.slug }}</section>')
    for number in range(1, EXTRA_POSTS + 1):
        post = root / "content" / "posts" / f"2026-08-{number:02d}-lisa-{number}.md"
        post.write_text(
            f"Title: Lisäkirjoitus {number}\nDate: 2026-08-{number:02d}\nCategory: Living Lab\n\n"
            f"Teksti {number}.\n",
            encoding="utf-8",
        )
    settings = project_settings(root)
    build_sites(settings, site_names=["main"])
    return settings


def test_responses_partial_is_included_inside_the_h_entry_after_the_content(busy_build) -> None:
    post = busy_build.output_dir / "2026" / "08" / "lisakirjoitus-3" / "index.html"
    soup = parse(post)

    responses = soup.find("section", class_="responses")
    assert responses.find_parent(class_="h-entry") is soup.find(class_="h-entry")
    assert responses.find_previous_sibling(class_="e-content") is not None
    assert responses.get_text() == "lisakirjoitus-3"


@pytest.mark.parametrize("listing", ["", "category/living-lab/"])
def test_pagination_links_walk_through_every_post_once(busy_build, listing: str) -> None:
    siteurl, per_page = busy_build.main.siteurl, busy_build.pelican["DEFAULT_PAGINATION"]
    url, seen, labels = f"{siteurl}/{listing}", [], []
    while url and len(labels) < 10:
        soup = parse(busy_build.output_dir / url.removeprefix(siteurl + "/") / "index.html")
        seen += [a["href"] for a in soup.main.select(".h-entry .p-name a.u-url")]
        nav = soup.main.find("nav", class_="pagination")
        assert nav["aria-label"] == "Sivut"
        assert (nav.find("a", rel="prev") is None) == (not labels)
        labels.append(nav.find(attrs={"aria-current": "page"}).get_text())
        following = nav.find("a", rel="next")
        url = following["href"] if following else ""

    pages = math.ceil(len(seen) / per_page)
    assert pages >= 2
    assert labels == [f"Sivu {n} / {pages}" for n in range(1, pages + 1)]
    assert len(seen) == len(set(seen))
    assert sum("lisakirjoitus" in href for href in seen) == EXTRA_POSTS
    if not listing:
        posts = busy_build.output_dir.glob("20[0-9][0-9]/[01][0-9]/*/index.html")
        assert len(seen) == len(list(posts))


def test_theme_provides_every_template_pelican_renders() -> None:
    """Pelican silently falls back to its 'simple' theme for a missing template."""
    names = ["index", "article", "page", "category", "categories", "tag", "tags"]
    names += ["archives", "period_archives", "author", "authors"]
    missing = [n for n in names if not (REPO / "theme" / "templates" / f"{n}.html").is_file()]
    assert missing == []

"""What machines read and where visitors land: sitemaps, robots.txt, favicons, canonical and
Open Graph, 404 pages (built, and served with status 404), previous/next links, responses
only where they belong, the generated pilots page. Real builds, HTML read back with
BeautifulSoup, XML with defusedxml, images with Pillow, the 404s through uvicorn."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from PIL import Image
from starlette.applications import Starlette
from starlette.routing import Mount

from alusta.build import build_sites
from alusta.page_frames import FrameBroken, fill, load_frame, write_frame
from alusta.scaffold import new_pilot
from alusta.site_files import SiteFiles
from tests.endpoint_server import RunningEndpoint
from tests.project import THEME_SITE_LANGUAGES, ServedBuild, copy_project, project_settings

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
THEME_POST_PATH = "2026/11/teeman-testikirjoitus/"
IMAGE_POST_PATH = "2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella/"
NOT_FOUND_TITLES = {"fi": "Sivua ei löytynyt", "sv": "Sidan hittades inte", "en": "Page not found"}


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.head.find("meta", attrs={"property": key}) or soup.head.find(
        "meta", attrs={"name": key}
    )
    return tag["content"] if tag else None


def xml_root(path: Path):
    return ElementTree.fromstring(path.read_bytes())


@pytest.mark.parametrize("site", THEME_SITE_LANGUAGES)
def test_every_site_has_a_sitemap_of_its_posts_and_pages_with_lastmod(
    served_build: ServedBuild, site: str
) -> None:
    root = xml_root(served_build.site_file(site, "sitemap.xml"))
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root}
    post = served_build.site_url(site, THEME_POST_PATH)
    assert urls[post].startswith("2026-11-26T10:30:00")
    assert served_build.site_url(site) in urls
    assert served_build.site_url(site, "tietoa-pilotista/" if site != "main" else "pilotit/") in (
        urls
    )
    assert all(url.startswith(served_build.site_url(site)) for url in urls)


def test_the_main_site_indexes_every_sitemap_and_robots_txt_points_to_it(
    served_build: ServedBuild,
) -> None:
    index = xml_root(served_build.site_file("main", "sitemap-index.xml"))
    listed = [s.findtext(f"{SITEMAP}loc") for s in index]
    sites = [site.name for site in served_build.settings.sites]
    assert listed == [served_build.site_url(name, "sitemap.xml") for name in sites]
    assert set(sites) == set(THEME_SITE_LANGUAGES)
    robots = served_build.site_file("main", "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {served_build.site_url('main', 'sitemap-index.xml')}" in robots.splitlines()
    # A pilot under /pilots/<slug>/ is not the root of a host: robots.txt would mean nothing.
    assert not served_build.site_file("rajalla", "robots.txt").exists()


@pytest.mark.parametrize("site", THEME_SITE_LANGUAGES)
def test_every_site_has_a_favicon_in_its_own_colour(served_build: ServedBuild, site: str) -> None:
    accent = served_build.settings.site(site).accent_color
    svg = xml_root(served_build.site_file(site, "favicon.svg"))
    assert svg.find("{http://www.w3.org/2000/svg}rect").get("fill") == accent
    png = Image.open(BytesIO(served_build.site_file(site, "favicon.png").read_bytes()))
    assert (png.format, png.size) == ("PNG", (32, 32))
    corner, centre = png.convert("RGB").getpixel((16, 2)), png.convert("RGB").getpixel((2, 16))
    assert f"#{corner[0]:02x}{corner[1]:02x}{corner[2]:02x}" == accent
    assert centre == corner
    head = soup_of(served_build.site_file(site, THEME_POST_PATH)).head
    assert head.find("link", rel="icon", type="image/svg+xml")["href"] == (
        served_build.site_url(site, "favicon.svg")
    )


def test_a_post_tells_search_engines_and_social_sites_what_it_is(served_build: ServedBuild) -> None:
    soup = soup_of(served_build.site_file("main", IMAGE_POST_PATH))
    url = served_build.site_url("main", IMAGE_POST_PATH)
    assert soup.head.find("link", rel="canonical")["href"] == url
    assert meta(soup, "og:url") == url
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title").startswith("Kylätalon työpaja")
    assert meta(soup, "og:description") == meta(soup, "description")
    assert meta(soup, "og:locale") == "fi_FI"
    assert meta(soup, "og:site_name") == served_build.settings.main.title
    assert meta(soup, "og:image") == served_build.site_url("main", "images/tunturi.svg")
    assert meta(soup, "twitter:card") == "summary_large_image"
    image = soup.main.select_one(".e-content img")  # sized, so the text does not jump (CLS)
    assert (image["width"], image["height"]) == ("640", "240")


def test_a_list_page_is_a_website_and_a_post_without_image_has_a_small_card(
    served_build: ServedBuild,
) -> None:
    listing = soup_of(served_build.site_file("rajalla", "category/living-lab/"))
    assert listing.head.find("link", rel="canonical")["href"] == served_build.site_url(
        "rajalla", "category/living-lab/"
    )
    assert (meta(listing, "og:type"), meta(listing, "og:locale")) == ("website", "sv_FI")
    post = soup_of(served_build.site_file("ounasvaara", THEME_POST_PATH))
    assert meta(post, "og:image") is None
    assert meta(post, "twitter:card") == "summary"


def test_posts_link_the_previous_and_next_post(served_build: ServedBuild) -> None:
    soup = soup_of(served_build.site_file("main", "2026/11/theme-test-in-english/"))
    nav = soup.find("nav", class_="post-nav")
    assert nav.find("a", rel="next")["href"] == served_build.site_url("main", THEME_POST_PATH)
    assert nav.find("a", rel="prev")["href"] == served_build.site_url(
        "main", "2026/11/alusta-in-english-a-living-lab-in-lapland/"
    )
    newest = soup_of(served_build.site_file("main", THEME_POST_PATH)).find("nav", class_="post-nav")
    assert newest.find("a", rel="next") is None


@pytest.mark.parametrize(("site", "lang"), THEME_SITE_LANGUAGES.items())
def test_every_site_has_a_404_page_in_its_language(
    served_build: ServedBuild, site: str, lang: str
) -> None:
    soup = soup_of(served_build.site_file(site, "404.html"))
    assert soup.html["lang"] == lang
    assert soup.h1.get_text(strip=True) == NOT_FOUND_TITLES[lang]
    links = {a["href"] for a in soup.main.find_all("a")}
    assert {served_build.site_url(site), served_build.site_url(site, "archives/")} <= links
    assert soup.head.find("link", rel="canonical") is None


def test_serving_answers_an_unknown_address_with_its_sites_404_page(
    served_build: ServedBuild,
) -> None:
    settings = served_build.settings
    folders = [settings.site_output(site) for site in settings.sites]
    app = Starlette(routes=[Mount("/", app=SiteFiles(settings.output_dir, folders))])
    with RunningEndpoint(app) as server:
        for path, title in [
            ("/ei-ole/", "Sivua ei löytynyt"),
            ("/pilots/rajalla/2026/ei-ole/", "Sidan hittades inte"),
            ("/pilots/ounasvaara/x.css", "Page not found"),
        ]:
            answer = server.client.get(path)
            assert answer.status_code == 404, path
            assert BeautifulSoup(answer.text, "html.parser").h1.get_text() == title
        assert server.client.get("/pilots/rajalla/").status_code == 200


def test_pages_show_responses_only_when_asked_and_the_pilots_page_lists_every_pilot(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path / "project")
    settings = project_settings(root)
    new_pilot(settings, "kemijoki", name="Kemijoki – joen living lab")
    asked = root / "content" / "pages" / "keskustelu.md"
    asked.write_text("Title: Keskustelu\nResponses: on\n\nKerro mielipiteesi.\n", "utf-8")
    settings = project_settings(root)
    build_sites(settings, site_names=["main"])

    about = soup_of(settings.output_dir / "tietoa-hankkeesta" / "index.html")
    assert about.find("section", class_="responses") is None
    assert about.find("form", class_="reply-form") is None
    talk = soup_of(settings.output_dir / "keskustelu" / "index.html")
    assert talk.find("section", class_="responses").find("form", class_="reply-form")
    pilots = soup_of(settings.output_dir / "pilotit" / "index.html")
    cards = pilots.select(".pilot-card")
    assert [c.h2.get_text(strip=True) for c in cards] == [s.title for s in settings.sites[1:]]
    assert "Kemijoki – joen living lab" in [c.h2.get_text(strip=True) for c in cards]
    kemijoki = cards[[s.name for s in settings.sites[1:]].index("kemijoki")]
    assert kemijoki.h2.a["href"] == f"{settings.site('kemijoki').siteurl}/"
    assert kemijoki.find("a", href=lambda h: h and "/pilots/kemijoki/20" in h)


@pytest.mark.parametrize("site", THEME_SITE_LANGUAGES)
def test_the_build_keeps_a_frame_of_each_site_for_the_endpoints_pages(
    served_build: ServedBuild, site: str
) -> None:
    var_dir = served_build.settings.var_dir
    for lang in ("fi", "sv", "en"):
        frame = load_frame(var_dir, site, lang)
        filled = BeautifulSoup(
            fill(frame, title="Otsikko", body="<h1>Otsikko</h1><p>Teksti</p>"), "html.parser"
        )
        assert filled.html["lang"] == lang
        assert filled.title.get_text().startswith("Otsikko – ")
        assert filled.main.h1.get_text() == "Otsikko"
        assert filled.find("p", class_="site-title").get_text(strip=True) == (
            served_build.settings.site(site).title
        )
        assert filled.head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert filled.head.find("link", rel="canonical") is None
    assert load_frame(var_dir, "no-such-site", "fi") is None


def test_a_frame_without_its_markers_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FrameBroken, match="alusta:content"):
        write_frame(tmp_path, "main", "fi", "<title><!--alusta:title--></title><main></main>")
    assert load_frame(tmp_path, "main", "fi") is None

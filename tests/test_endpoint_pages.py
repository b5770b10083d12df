"""The endpoint's pages for people wear the target site's theme and speak its language.

A real `publish.py serve` (build, then sites and endpoint on one port) with the Rajalla
pilot in Swedish; the reply form and a feedback form are posted as a browser posts them
(Accept: text/html, an English browser). Pages are read with BeautifulSoup, then opened in
Chromium: axe-core finds no WCAG 2.1 A/AA violation at 390 and 1280 px, light and dark, and
nothing scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from alusta.i18n.texts import translate
from alusta.settings import Settings
from alusta.web.pages import TEXTS
from tests.browser import loopback_context
from tests.project import copy_project, project_settings, set_pilot_language
from tests.publish_server import Serve
from tests.test_accessibility import SCHEMES, VIEWPORTS, axe_violations, describe

PILOT_POST = "pilots/rajalla/2026/10/kirjastobussi-ylittaa-rajan/"
FORM_ACTION = "feedback/ounasvaara/latukahvila"
BROWSER_HEADERS = {"Accept": "text/html,application/xhtml+xml", "Accept-Language": "en-GB,en"}


@dataclass(frozen=True)
class Served:
    serve: Serve
    settings: Settings

    def url(self, path: str) -> str:
        return self.serve.url(path)

    def reply(self, source: str, target: str, **extra: str) -> httpx.Response:
        return httpx.post(
            self.url("webmention"),
            data={"source": source, "target": target},
            headers={**BROWSER_HEADERS, **extra},
        )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = copy_project(tmp_path_factory.mktemp("endpoint-pages") / "project")
    set_pilot_language(root, "rajalla", "sv")
    environ = {"ALUSTA_DATABASE": "", "ALUSTA_ENDPOINT_URL": "", "ALUSTA_SECRET": ""}
    with Serve(root, environ=environ, ready_path=PILOT_POST) as serve:
        yield Served(serve, project_settings(root).with_siteurl(serve.base_url))


def soup_of(answer: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(answer.text, "html.parser")


def said(key: str, lang: str) -> str:
    text = translate(TEXTS[key], lang)
    assert lang == "en" or text != TEXTS[key], f"{key} is not translated to {lang}"
    return text


def site_title(soup: BeautifulSoup) -> str:
    return soup.find("p", class_="site-title").get_text(strip=True)


def test_a_reply_sent_from_a_pilots_post_is_thanked_in_the_pilots_page(served: Served) -> None:
    post = served.url(PILOT_POST)
    answer = served.reply("https://lukija.example/svar", post)
    soup = soup_of(answer)

    assert answer.status_code == 201
    assert soup.html["lang"] == "sv"
    assert site_title(soup) == served.settings.site("rajalla").title
    assert "--header-bg: #1d6b3a;" in soup.head.style.get_text()
    assert soup.main.h1.get_text() == said("accepted_title", "sv")
    assert soup.title.get_text().startswith(said("accepted_title", "sv") + " – ")
    links = {a.get_text(): a["href"] for a in soup.main.select(".endpoint-links a")}
    assert links == {
        said("status_link", "sv"): answer.headers["location"],
        said("back", "sv"): post,
    }

    status = soup_of(httpx.get(answer.headers["location"], headers=BROWSER_HEADERS))
    assert (status.html["lang"], site_title(status)) == ("sv", site_title(soup))
    assert status.main.h1.get_text() == said("status_title", "sv")


def test_a_refused_reply_is_told_in_the_sites_language_with_a_way_back(served: Served) -> None:
    post = served.url(PILOT_POST)
    answer = served.reply(post, post)  # a person gave the post's own address
    soup = soup_of(answer)

    assert answer.status_code == 400
    assert (soup.html["lang"], site_title(soup)) == ("sv", served.settings.site("rajalla").title)
    assert soup.main.h1.get_text() == said("rejected_title", "sv")
    assert soup.main.select_one("p.lead").get_text() == said("SameURL", "sv")
    assert soup.main.select_one(".endpoint-links a")["href"] == post


@pytest.mark.parametrize(
    ("target", "body", "status"),
    [
        ("https://muu.example/kirjoitus/", None, 400),  # not one of our sites
        (None, "x" * 40_000, 413),  # too large to read: no target is known
    ],
)
def test_without_a_target_of_ours_the_main_sites_frame_speaks_the_visitors_language(
    served: Served, target: str | None, body: str | None, status: int
) -> None:
    if body is None:
        answer = served.reply("https://lukija.example/svar", target)
    else:
        answer = httpx.post(
            served.url("webmention"),
            content=f"source=https://a.example/&target={body}",
            headers={**BROWSER_HEADERS, "Content-Type": "application/x-www-form-urlencoded"},
        )
    soup = soup_of(answer)
    assert answer.status_code == status
    assert (soup.html["lang"], site_title(soup)) == ("en", served.settings.main.title)
    assert soup.main.h1.get_text() == "Your response could not be accepted"


def test_a_feedback_form_sent_back_without_javascript_is_in_its_sites_frame(
    served: Served,
) -> None:
    answer = httpx.post(
        served.url(FORM_ACTION),
        data={"_lang": "fi", "_ts": "", "terveiset": "Hei"},
        headers={**BROWSER_HEADERS, "Referer": served.url("pilots/ounasvaara/")},
    )
    soup = soup_of(answer)

    assert answer.status_code == 422
    assert (soup.html["lang"], site_title(soup)) == ("fi", served.settings.site("ounasvaara").title)
    assert len(soup.find_all("h1")) == 1
    assert soup.main.select_one(".feedback-errors li")
    assert soup.main.find("textarea", attrs={"name": "terveiset"}).get_text() == "Hei"
    assert soup.main.select_one(".endpoint-links a")["href"] == served.url("pilots/ounasvaara/")


def endpoint_pages(served: Served) -> dict[str, str]:
    """The HTML of each of the endpoint's pages, as a person gets them."""
    post = served.url(PILOT_POST)
    accepted = served.reply("https://lukija.example/toinen", post)
    form = httpx.post(served.url(FORM_ACTION), data={"_lang": "fi"}, headers=BROWSER_HEADERS)
    return {
        "accepted": accepted.text,
        "status": httpx.get(accepted.headers["location"], headers=BROWSER_HEADERS).text,
        "refused": served.reply(post, post).text,
        "not ours": served.reply("https://a.example/", "https://muu.example/").text,
        "feedback sent back": form.text,
    }


@pytest.mark.parametrize(("width", "scheme"), [(w, s) for w in VIEWPORTS for s in SCHEMES])
def test_the_endpoints_pages_pass_axe_and_fit_the_screen(
    served: Served, browser: Browser, width: str, scheme: str
) -> None:
    context, log = loopback_context(browser, viewport=VIEWPORTS[width], color_scheme=scheme)
    try:
        page = context.new_page()
        for name, html in endpoint_pages(served).items():
            page.set_content(html, wait_until="load")
            violations = axe_violations(page)
            assert violations == [], f"{name}: axe found\n{describe(violations)}"
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            assert scroll_width <= VIEWPORTS[width]["width"], f"{name} scrolls sideways"
            assert page.evaluate("() => getComputedStyle(document.body).fontFamily").startswith(
                '"Atkinson'
            ), f"{name}: the theme's stylesheet did not load"
    finally:
        context.close()
    assert log.foreign() == []


def test_frames_are_where_the_endpoint_reads_them(served: Served) -> None:
    frames = Path(served.settings.var_dir) / "serve/frames"  # serve keeps its own var/serve
    assert {p.parent.name for p in frames.glob("*/*.html")} == {
        site.name for site in served.settings.sites
    }

"""Hostile replies through the real pipeline: a local source server → `publish.py serve`
(endpoint, verification, store, page refresh) → the post page in headless Debian chromium,
where no injected script may run, no dialog open and nothing load from elsewhere.

The corpus is tests/data/hostile_replies/, one reply page per trick: script tags, event
handlers, javascript: and data: URLs, SVG and MathML, CSS tricks, broken markup, and
hostile names and titles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.browser import loopback_context
from tests.publish_server import Serve
from tests.responses_fixtures import (
    POST_PATH,
    responses_project,
    wait_until,
)
from tests.servers import SourceServer

CORPUS = Path(__file__).parent / "data" / "hostile_replies"
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
)
CASES = sorted(p.stem for p in CORPUS.glob("*.html"))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Serve, SourceServer]]:
    """Every hostile reply sent to a running `serve`, verified, approved and refreshed."""
    settings = responses_project(tmp_path_factory.mktemp("hostile") / "project")
    with SourceServer() as sources, Serve(settings.root) as serve:
        target = serve.url(POST_PATH)
        sources.route("/avatar.svg", body=SVG_WITH_SCRIPT, content_type="image/svg+xml")
        locations = []
        for case in CASES:
            html = (CORPUS / f"{case}.html").read_text("utf-8")
            html = html.replace("{target}", target).replace("{source_base}", sources.base_url)
            source = sources.route(f"/{case}", body=html.encode())
            answer = httpx.post(serve.url("webmention"), data={"source": source, "target": target})
            assert answer.status_code == 201, (case, answer.text)
            locations.append((case, answer.headers["location"]))
        for case, location in locations:
            status = wait_until(
                lambda loc=location: _finished(serve, loc),
                seconds=30,
                what=f"verification of {case}",
            )
            assert status["status"] == "approved", (case, status)
        wait_until(lambda: _shown(serve) == len(CASES), seconds=30, what="the refreshed page")
        yield serve, sources


def _finished(serve: Serve, location: str) -> dict | None:
    document = httpx.get(
        serve.url(urlsplit(location).path), headers={"Accept": "application/json"}
    ).json()
    return None if document["verifying"] else document


def _shown(serve: Serve) -> int:
    soup = BeautifulSoup(httpx.get(serve.url(POST_PATH)).text, "html.parser")
    return len(soup.select("ol.replies > li"))


def test_no_injected_script_runs_in_chromium(pipeline, browser) -> None:
    serve, _ = pipeline
    dialogs: list[str] = []
    requested: list[str] = []
    context, _log = loopback_context(browser)
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requested.append(request.url))
        page.goto(serve.url(POST_PATH), wait_until="load")
        for reply in page.locator("ol.replies > li").all():
            reply.hover()
            reply.click(position={"x": 5, "y": 5})
        page.keyboard.press("Tab")
        page.wait_for_timeout(500)
        pwned = page.evaluate("() => window.__pwned")
        title = page.title()
        replies = page.locator("ol.replies > li").count()
    finally:
        context.close()
    assert replies == len(CASES)
    assert pwned is None
    assert dialogs == []
    assert title.startswith("Teeman testikirjoitus") and "pwned" not in title
    own = urlsplit(serve.base_url).netloc
    assert {urlsplit(url).netloc for url in requested} == {own}


def test_the_rendered_responses_carry_no_active_markup(pipeline) -> None:
    serve, _ = pipeline
    section = BeautifulSoup(httpx.get(serve.url(POST_PATH)).text, "html.parser").find(
        "section", class_="responses"
    )
    assert (
        section.find_all(
            [
                "script",
                "style",
                "iframe",
                "object",
                "embed",
                "link",
                "math",
                "template",
                "textarea",
                "noscript",
                "base",
                "meta",
            ]
        )
        == []
    )
    assert all(svg.find("text") for svg in section.find_all("svg"))  # only our placeholders
    for element in section.find_all(True):
        assert not [a for a in element.attrs if a.lower().startswith("on")], element
        assert "style" not in element.attrs, element
        for attribute in ("href", "src", "action", "value"):
            value = str(element.get(attribute, "")).strip().lower()
            assert not value.startswith(("javascript:", "data:")), element
    texts = section.get_text(" ")
    assert '<script>window.__pwned="escaped"</script> on tekstiä' in texts  # text stays text


def test_an_svg_avatar_is_never_copied_to_our_site(pipeline) -> None:
    serve, sources = pipeline
    assert sources.hits["/avatar.svg"] >= 1  # fetched once by the refresh, then refused
    soup = BeautifulSoup(httpx.get(serve.url(POST_PATH)).text, "html.parser")
    assert all(not img["src"].endswith(".svg") for img in soup.select(".responses img"))

"""The "reply from your own site" form, used in a real headless Debian chromium against a
real `publish.py serve`: the reply (a local page that links to the post) is verified,
approved in development mode, and shows up on the refreshed page without a rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import loopback_context
from tests.endpoint_server import reply_page
from tests.publish_server import Serve
from tests.responses_fixtures import (
    POST_PATH,
    responses_project,
    wait_until,
)
from tests.servers import SourceServer


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Serve]:
    settings = responses_project(tmp_path / "project")
    with Serve(settings.root) as serve:
        yield serve


def reply_authors(page) -> list[str]:
    return page.locator("ol.replies .p-author .p-name").all_inner_texts()


def test_a_reply_sent_with_the_form_appears_under_the_post(browser, served) -> None:
    post = served.url(POST_PATH)
    requested: list[str] = []
    with SourceServer() as sources:
        source = sources.route(
            "/my-reply", body=reply_page(post, name="Aino Lukija", content="Kiitos kirjoituksesta!")
        )
        context, _log = loopback_context(browser)
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(post, wait_until="load")
        assert page.locator("#responses-heading").inner_text() == "Ei vielä reaktioita"
        assert reply_authors(page) == []

        page.get_by_label("Vastauksesi osoite").fill(source)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Lähetä vastaus").click()
        response = navigation.value
        assert response is not None and response.status == 201
        assert response.url == served.url("webmention")

        def shown() -> bool:
            page.goto(post, wait_until="load")
            return reply_authors(page) == ["Aino Lukija"]

        wait_until(shown, seconds=30, interval=0.3, what="the reply on the post page")
        assert page.locator("#responses-heading").inner_text() == "1 reaktio"
        assert "Kiitos kirjoituksesta!" in page.locator("ol.replies .e-content").inner_text()
        assert sources.hits["/my-reply"] >= 1
        context.close()
    own = urlsplit(served.base_url).netloc
    assert {urlsplit(url).netloc for url in requested} == {own}  # nothing from the sender

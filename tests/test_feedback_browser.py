"""End to end in Debian's headless chromium against a real `publish.py serve` subprocess:
fill in the ounasvaara café form, land on the thank-you page, find the answers in SQLite
and in the CSV export; errors with values kept; honeypot and too-fast refusals."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from itsdangerous.encoding import base64_decode, bytes_to_int
from playwright.sync_api import Browser, Page

from alusta.db import connect
from alusta.feedback import store
from tests.browser import loopback_context
from tests.project import copy_project
from tests.publish_server import Serve

REPO = Path(__file__).resolve().parents[1]
POST = "pilots/ounasvaara/2026/10/latukahvila-kokeiluun/"
THANKS = "pilots/ounasvaara/feedback/latukahvila/thanks/"
MIN_FILL_SECONDS = 2
POLL_MILLISECONDS = 100
START_SECONDS = 120.0
FREE_TEXT = "Kahvi oli hyvää, pullaa enemmän! Äö å ÅÖÄ"


@dataclass(frozen=True)
class Served:
    root: Path
    base: str

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    def rows(self) -> list[store.Submission]:
        connection = connect(self.root / "var" / "alusta.sqlite3")
        try:
            return store.submissions(connection, site="ounasvaara")
        finally:
            connection.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = copy_project(tmp_path_factory.mktemp("feedback-serve") / "project")
    environ = {
        "ALUSTA_FEEDBACK_MIN_FILL_SECONDS": str(MIN_FILL_SECONDS),
        "ALUSTA_SECRET": "",
        "ALUSTA_DATABASE": "",
        "ALUSTA_ENDPOINT_URL": "",
    }
    with Serve(root, environ=environ, ready_path=POST, start_seconds=START_SECONDS) as serve:
        yield Served(root, serve.base_url)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context, _log = loopback_context(browser, locale="fi-FI")
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_script(browser: Browser) -> Iterator[Page]:
    context, _log = loopback_context(browser, java_script_enabled=False, locale="fi-FI")
    yield context.new_page()
    context.close()


def open_form(page: Page, served: Served) -> None:
    page.goto(served.url(POST))
    page.wait_for_function("document.querySelector('input[name=_ts]').value.length > 10")


def wait_until_fill_time_passed(page: Page) -> None:
    """Poll, with a deadline, until the form's signed timestamp is older than the minimum
    fill time the server checks (a person reads before answering). The timestamp is signed
    in whole seconds, so the age is measured from the value the server will read."""
    token = page.locator("input[name=_ts]").input_value()
    signed_at = bytes_to_int(base64_decode(token.rsplit(".", 2)[1]))
    deadline = time.monotonic() + MIN_FILL_SECONDS + START_SECONDS
    while time.time() - signed_at <= MIN_FILL_SECONDS:
        assert time.monotonic() < deadline, "the form's timestamp never aged"
        page.wait_for_timeout(POLL_MILLISECONDS)


def fill_valid(page: Page, *, email: str = "matti.meikalainen@example.fi") -> None:
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Joka viikonloppu").check()
    page.get_by_label("Gluteenittomia leivonnaisia").check()
    page.get_by_label("Keittoa").check()
    page.get_by_label("Mitä muuta haluat sanoa?").fill(FREE_TEXT)
    page.get_by_label("Sähköpostiosoite, jos haluat vastauksen").fill(email)
    page.get_by_label("Hyväksyn, että vastaukseni").check()


def test_visitor_fills_in_the_form_and_lands_on_the_thank_you_page(page, served) -> None:
    before = len(served.rows())
    open_form(page, served)
    wait_until_fill_time_passed(page)
    fill_valid(page)
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_url(served.url(THANKS))
    assert page.locator("h1").inner_text() == "Kiitos palautteestasi"
    assert "Palautteesi auttaa meitä" in page.locator("p.feedback-thanks").inner_text()
    rows = served.rows()
    assert len(rows) == before + 1
    row = rows[-1]
    assert row.answers == {
        "arvio": 4,
        "kaynti": "joka-viikonloppu",
        "tuotteet": ["gluteeniton", "keitto"],
        "terveiset": FREE_TEXT,
        "sahkoposti": "matti.meikalainen@example.fi",
        "suostumus": True,
    }
    assert row.page == served.url(POST)
    export = subprocess.run(
        [
            sys.executable,
            str(REPO / "publish.py"),
            "--root",
            str(served.root),
            "feedback",
            "export",
            "--site",
            "ounasvaara",
            "--separator",
            ";",
            "--codes",  # option codes, as the form posted them
        ],
        capture_output=True,
        check=True,
    )
    assert export.stdout.startswith(b"\xef\xbb\xbf")
    text = export.stdout.decode("utf-8-sig")
    assert FREE_TEXT in text and "gluteeniton, keitto" in text


def test_script_shows_errors_inline_before_sending(page, served) -> None:
    before = len(served.rows())
    open_form(page, served)
    page.get_by_label("Mitä muuta haluat sanoa?").fill("vain tämä")
    page.get_by_role("button", name="Lähetä palaute").click()
    assert page.locator("#fb-latukahvila-arvio-error").inner_text() == "Tämä kohta on pakollinen."
    assert (
        page.locator("#fb-latukahvila-suostumus-error")
        .inner_text()
        .startswith("Tarvitsemme suostumuksesi")
    )
    assert page.evaluate("document.activeElement.id") == "fb-latukahvila-arvio"
    assert page.url == served.url(POST)
    assert len(served.rows()) == before


def test_without_javascript_server_errors_come_back_with_values_kept(
    page_without_script, served
) -> None:
    page = page_without_script
    before = len(served.rows())
    page.goto(served.url(POST))
    fill_valid(page, email="matti@localhost")  # the browser accepts it, the server does not
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fi"
    error = page.locator("#fb-latukahvila-sahkoposti-error")
    assert error.inner_text() == "Anna sähköpostiosoite muodossa nimi@esimerkki.fi."
    email = page.locator("#fb-latukahvila-sahkoposti")
    assert email.input_value() == "matti@localhost"
    assert email.get_attribute("aria-invalid") == "true"
    assert "fb-latukahvila-sahkoposti-error" in email.get_attribute("aria-describedby")
    assert page.locator("#fb-latukahvila-terveiset").input_value() == FREE_TEXT
    assert page.locator("#fb-latukahvila-arvio-4").is_checked()
    assert page.locator("#fb-latukahvila-tuotteet-keitto").is_checked()
    assert not page.locator("#fb-latukahvila-tuotteet-kahvi").is_checked()
    page.get_by_label("Sähköpostiosoite, jos haluat vastauksen").fill("matti@example.fi")
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_url(served.url(THANKS))
    assert served.rows()[-1].answers["sahkoposti"] == "matti@example.fi"
    assert len(served.rows()) == before + 1


def test_too_fast_and_honeypot_submissions_are_refused(page, served) -> None:
    before = len(served.rows())
    open_form(page, served)
    fill_valid(page)
    page.get_by_role("button", name="Lähetä palaute").click()  # well within the minimum fill time
    page.wait_for_load_state()
    assert page.url == served.url("feedback/ounasvaara/latukahvila")
    assert page.locator("h1").inner_text() == "Vastausta ei voitu ottaa vastaan"
    open_form(page, served)
    wait_until_fill_time_passed(page)
    fill_valid(page)
    page.evaluate("document.querySelector('input[name=website]').value = 'http://spam.example'")
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Vastausta ei voitu ottaa vastaan"
    assert len(served.rows()) == before

"""POST /feedback/<site>/<form> against the real app under uvicorn on 127.0.0.1."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from alusta.app import create_app
from alusta.feedback.config import instance_secret
from alusta.feedback.spam import client_hash
from alusta.feedback.texts import UI
from tests.endpoint_server import MAIN_URL, PILOT, PILOT_URL, RunningEndpoint
from tests.feedback_project import FORM, PILOT_FORM, VALID, feedback_settings, stored
from tests.project import REPO

HTML = {"Accept": "text/html,application/xhtml+xml"}
JSON = {"Accept": "application/json"}
PATH = f"/feedback/main/{FORM}"


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[RunningEndpoint]:
    settings = feedback_settings(tmp_path / "project")
    with RunningEndpoint(create_app(settings)) as running:
        running.settings = settings
        yield running


def test_browser_is_sent_to_the_thank_you_page_in_its_language(endpoint) -> None:
    response = endpoint.client.post(PATH, data=VALID, headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"] == f"{MAIN_URL}/feedback/{FORM}/thanks/sv/"
    fi = endpoint.client.post(PATH, data={**VALID, "_lang": "fi"}, headers=HTML)
    assert fi.headers["location"] == f"{MAIN_URL}/feedback/{FORM}/thanks/"


def test_submission_is_stored_with_its_answers_intact(endpoint) -> None:
    response = endpoint.client.post(
        PATH, data=VALID, headers={**JSON, "Referer": MAIN_URL + "/?email=x@y.fi#top"}
    )
    assert response.status_code == 201
    [row] = stored(endpoint.settings)
    assert row.id == response.json()["id"]
    assert (row.site, row.form, row.lang, row.page) == ("main", FORM, "sv", MAIN_URL + "/")
    assert row.answers == {
        "nimi": "Åsa Öhman",
        "palaute": VALID["palaute"],
        "sahkoposti": "Asa.Ohman@Example.fi",
        "ika": 42,
        "kunta": "tornio",
        "palvelut": ["kirjasto", "latu"],
        "arvio": 4,
        "lupa": True,
    }
    assert row.email == "asa.ohman@example.fi"


def test_fields_the_form_does_not_define_are_not_stored(endpoint) -> None:
    data = {**VALID, "is_admin": "1", "extra": "<script>x</script>"}
    assert endpoint.client.post(PATH, data=data, headers=JSON).status_code == 201
    [row] = stored(endpoint.settings)
    assert "is_admin" not in row.answers and "extra" not in row.answers


def test_ip_address_is_kept_only_as_a_salted_hash(endpoint) -> None:
    endpoint.client.post(PATH, data=VALID, headers=JSON)
    raw = endpoint.settings.database_path.read_bytes()
    wal = endpoint.settings.database_path.with_name(endpoint.settings.database_path.name + "-wal")
    everything = raw + (wal.read_bytes() if wal.exists() else b"")
    assert b"127.0.0.1" not in everything
    secret = instance_secret(endpoint.settings)
    assert (endpoint.settings.var_dir / "feedback-secret").is_file()
    from alusta.db import connect  # noqa: PLC0415

    connection = connect(endpoint.settings.database_path)
    [stored_hash] = connection.execute("SELECT client_hash FROM feedback_submissions").fetchone()
    connection.close()
    assert stored_hash == client_hash(secret, "127.0.0.1")
    assert client_hash(b"another secret", "127.0.0.1") != stored_hash


def test_invalid_submission_shows_each_error_next_to_its_field_with_values_kept(
    endpoint,
) -> None:
    data = {**VALID, "sahkoposti": "ei-osoite", "arvio": "7", "_lang": "fi"}
    del data["kunta"]
    response = endpoint.client.post(PATH, data=data, headers=HTML)
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["lang"] == "fi"
    summary = [a.get_text() for a in page.select(".feedback-errors a")]
    assert len(summary) == 3
    email = page.select_one("#fb-kysely-sahkoposti")
    assert email["value"] == "ei-osoite" and email["aria-invalid"] == "true"
    error = page.select_one(f"#{email['aria-describedby'].split()[-1]}")
    assert error.get_text() == "Anna sähköpostiosoite muodossa nimi@esimerkki.fi."
    scale = page.select_one("#fb-kysely-arvio")
    assert "Valitse arvo yhdestä viiteen." in scale.select_one(".feedback-error").get_text()
    assert page.select_one("#fb-kysely-kunta-error").get_text() == "Tämä kohta on pakollinen."
    assert page.select_one("#fb-kysely-nimi")["value"] == "Åsa Öhman"
    assert page.select_one("#fb-kysely-palaute").get_text() == VALID["palaute"]
    assert page.select_one("#fb-kysely-palvelut-kirjasto").has_attr("checked")
    assert not page.select_one("#fb-kysely-palvelut-uimahalli").has_attr("checked")
    assert page.select_one("#fb-kysely-lupa").has_attr("checked")
    assert stored(endpoint.settings) == []


def test_invalid_submission_in_swedish_gets_swedish_errors(endpoint) -> None:
    response = endpoint.client.post(PATH, data={**VALID, "palaute": "x"}, headers=HTML)
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html["lang"] == "sv"
    assert page.select_one("#fb-kysely-palaute-error").get_text() == "Skriv minst 3 tecken."


@pytest.mark.parametrize(
    ("referer", "back"),
    [
        ("https://evil.example/phish", MAIN_URL + "/"),
        ("https://alusta.example.evil.example/", MAIN_URL + "/"),
        (f"{PILOT_URL}/posts/tunturi.html", f"{PILOT_URL}/posts/tunturi.html"),
    ],
)
def test_back_link_of_error_pages_leads_only_to_our_sites(endpoint, referer, back) -> None:
    headers = {**HTML, "Referer": referer}
    invalid = endpoint.client.post(PATH, data={**VALID, "ika": "vanha"}, headers=headers)
    refused = endpoint.client.post(PATH, data={**VALID, "website": "x"}, headers=headers)
    assert (invalid.status_code, refused.status_code) == (422, 400)
    for page in (invalid, refused):
        links = [a["href"] for a in BeautifulSoup(page.text, "html.parser").find_all("a")]
        assert back in links
        assert referer == back or referer not in page.text


def test_json_client_gets_errors_as_json(endpoint) -> None:
    response = endpoint.client.post(PATH, data={**VALID, "ika": "200", "_lang": "en"}, headers=JSON)
    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": "ika", "code": "above", "message": "Enter a number of at most 120."}]
    }


def test_honeypot_is_refused_and_nothing_stored(endpoint) -> None:
    response = endpoint.client.post(
        PATH, data={**VALID, "website": "http://spam.example"}, headers=JSON
    )
    assert response.status_code == 400
    assert response.json()["error"] == "honeypot"
    browser = endpoint.client.post(PATH, data={**VALID, "website": "x"}, headers=HTML)
    assert browser.status_code == 400 and "<h1>" in browser.text
    page = BeautifulSoup(browser.text, "html.parser")
    assert page.html["lang"] == "fi"
    assert "Lomakkeen täytti ohjelma." in page.main.get_text()
    assert "software" not in page.main.get_text()  # the English reason is for software
    assert stored(endpoint.settings) == []


def test_every_refusal_code_has_a_sentence_for_people() -> None:
    source = (REPO / "alusta/feedback/spam.py").read_text(encoding="utf-8")
    codes = {*re.findall(r'Refused\("(\w+)"', source), "unavailable", "bad_body"}
    assert len(codes) >= 5
    assert {f"refused_{code}" for code in codes} <= UI.keys()


class StoppedClock:
    """Unix seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_too_fast_submission_with_the_signed_timestamp_is_refused(tmp_path: Path) -> None:
    settings = feedback_settings(tmp_path / "project", feedback_min_fill_seconds="2")
    clock = StoppedClock()
    with RunningEndpoint(create_app(settings, clock=clock)) as endpoint:
        token = endpoint.client.get("/feedback/token")
        assert token.headers["cache-control"] == "no-store"
        value = token.json()["token"]
        fast = endpoint.client.post(PATH, data={**VALID, "_ts": value}, headers=JSON)
        assert fast.status_code == 400 and fast.json()["error"] == "too_fast"
        forged = endpoint.client.post(PATH, data={**VALID, "_ts": value[:-3] + "AAA"}, headers=JSON)
        assert forged.status_code == 400 and forged.json()["error"] == "token"
        assert stored(settings) == []
        clock.now += 3  # itsdangerous timestamps have whole seconds
        slow = endpoint.client.post(PATH, data={**VALID, "_ts": value}, headers=JSON)
        assert slow.status_code == 201
        without_script = endpoint.client.post(PATH, data=VALID, headers=JSON)
        assert without_script.status_code == 201
    assert len(stored(settings)) == 2


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    settings = feedback_settings(tmp_path / "project", feedback_rate_limit_per_minute="3")
    with RunningEndpoint(create_app(settings)) as endpoint:
        statuses = [
            endpoint.client.post(PATH, data=VALID, headers=JSON).status_code for _ in range(4)
        ]
        assert statuses == [201, 201, 201, 429]
        limited = endpoint.client.post(PATH, data=VALID, headers=HTML)
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
    assert len(stored(settings)) == 3


def test_oversized_body_is_refused_before_it_is_read(endpoint) -> None:
    response = endpoint.client.post(PATH, data={**VALID, "palaute": "ä" * 40_000}, headers=JSON)
    assert response.status_code == 413
    assert stored(endpoint.settings) == []


def test_unknown_form_or_site_is_404(endpoint) -> None:
    assert endpoint.client.post("/feedback/main/nope", data=VALID, headers=JSON).status_code == 404
    assert endpoint.client.post(f"/feedback/x/{FORM}", data=VALID, headers=JSON).status_code == 404


def test_pilot_form_redirects_to_the_pilot_thank_you_page(endpoint) -> None:
    response = endpoint.client.post(
        f"/feedback/{PILOT}/{PILOT_FORM}", data={**VALID, "_lang": "fi"}, headers=HTML
    )
    assert response.headers["location"] == f"{PILOT_URL}/feedback/{PILOT_FORM}/thanks/"
    [row] = stored(endpoint.settings, site=PILOT)
    assert row.form == PILOT_FORM


def test_form_file_edits_reach_the_running_endpoint(endpoint) -> None:
    path = endpoint.settings.main.content_dir / "forms" / "toinen.toml"
    source = (endpoint.settings.main.content_dir / "forms" / f"{FORM}.toml").read_text("utf-8")
    path.write_text(source, encoding="utf-8")
    deadline = time.monotonic() + 5
    while True:
        status = endpoint.client.post("/feedback/main/toinen", data=VALID, headers=JSON)
        if status.status_code == 201 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status.status_code == 201


def test_token_is_readable_cross_origin(endpoint) -> None:
    response = httpx.get(endpoint.url("/feedback/token"), headers={"Origin": "https://x.example"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_an_nfd_address_is_stored_in_the_spelling_erasure_looks_for(endpoint) -> None:
    typed = unicodedata.normalize("NFD", "Matti.Mäki@Example.fi")
    response = endpoint.client.post(PATH, data={**VALID, "sahkoposti": typed}, headers=JSON)
    assert response.status_code == 201, response.text
    [row] = stored(endpoint.settings)
    assert row.email == "matti.m\u00e4ki@example.fi"

"""The moderation page over real HTTP (uvicorn on 127.0.0.1, a real SQLite file): login,
sessions, CSRF and Origin checks, moderator tokens, actions. The browser tests are in
tests/test_moderation_browser.py."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from alusta import store, verification_queue
from alusta.app import create_app
from alusta.db import connect
from alusta.models import Author, MentionKind, MentionRequest, MentionStatus, SourceEntry
from alusta.settings import Settings
from alusta.web.guard import LOGIN_ATTEMPTS_PER_MINUTE
from tests.endpoint_server import (
    ADMIN_TOKEN,
    PILOT,
    PILOT_POST,
    POST,
    RunningEndpoint,
    endpoint_settings,
)
from tests.project import REPO

VAARA_TOKEN = "vaara-moderaattori-0123456789"
NOW = 1_800_000_000.0


def moderation_settings(root: Path, **environ: str) -> Settings:
    settings = endpoint_settings(root, moderator_tokens=f"{PILOT}:{VAARA_TOKEN}", **environ)
    shutil.copytree(REPO / "theme", settings.theme_dir)
    return settings


def stored(settings: Settings, source: str, *, site: str = "main", author: str = "Aino",
           status: MentionStatus = MentionStatus.PENDING) -> int:  # fmt: skip
    target = POST if site == "main" else PILOT_POST
    connection = connect(settings.database_path)
    try:
        mention = verification_queue.enqueue(
            connection, MentionRequest(source=source, target=target, site=site), now=NOW
        )
        entry = SourceEntry(
            url=source, final_url=source, kind=MentionKind.REPLY,
            author=Author(name=author, url="https://aino.example/", photo=""), published="",
            name="", content_html="<p>Hei <b>kaikki</b></p>", content_text="Hei kaikki",
            title="", excerpt="",
        )  # fmt: skip
        store.save_verified(connection, mention.id, entry, status=status, reason="", now=NOW)
        return mention.id
    finally:
        connection.close()


def status_of(settings: Settings, mention_id: int) -> str:
    connection = connect(settings.database_path)
    try:
        mention = store.find_mention(connection, mention_id)
        return "gone" if mention is None else str(mention.status)
    finally:
        connection.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return moderation_settings(tmp_path / "project")


@pytest.fixture
def endpoint(settings: Settings) -> Iterator[RunningEndpoint]:
    with RunningEndpoint(create_app(settings)) as running:
        yield running


def log_in(endpoint: RunningEndpoint, token: str) -> httpx.Client:
    client = httpx.Client(base_url=endpoint.url(""), timeout=10)
    answer = client.post("/moderation/login", data={"token": token})
    assert answer.status_code == 303, answer.text
    return client


def csrf(client: httpx.Client) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/moderation/").text)[1]


def test_without_a_token_the_page_says_browser_moderation_is_off(tmp_path: Path):
    settings = endpoint_settings(tmp_path / "project", admin_token="")
    shutil.copytree(REPO / "theme", settings.theme_dir)
    with RunningEndpoint(create_app(settings)) as endpoint:
        page = endpoint.client.get("/moderation/")
        refused = endpoint.client.post("/moderation/login", data={"token": ""})
    assert page.status_code == 200 and "Moderointi selaimessa ei ole käytössä" in page.text
    assert refused.status_code == 403


def test_login_sets_a_strict_http_only_expiring_cookie(endpoint):
    wrong = endpoint.client.post("/moderation/login", data={"token": "arvaus"})
    assert wrong.status_code == 401 and "Tunnus ei ole oikea." in wrong.text
    assert "set-cookie" not in wrong.headers
    right = endpoint.client.post("/moderation/login", data={"token": ADMIN_TOKEN})
    cookie = right.headers["set-cookie"]
    assert right.status_code == 303 and right.headers["location"] == "/moderation/"
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/moderation/", "Max-Age=28800"):
        assert attribute.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http on loopback; https sets Secure
    assert ADMIN_TOKEN not in cookie


def test_login_attempts_are_rate_limited(endpoint):
    answers = [
        endpoint.client.post("/moderation/login", data={"token": "x"}).status_code
        for _ in range(LOGIN_ATTEMPTS_PER_MINUTE + 1)
    ]
    assert answers == [401] * LOGIN_ATTEMPTS_PER_MINUTE + [429]
    limited = endpoint.client.post("/moderation/login", data={"token": ADMIN_TOKEN})
    assert limited.status_code == 429 and "Liian monta yritystä" in limited.text


def test_an_action_without_session_token_or_from_elsewhere_changes_nothing(settings, endpoint):
    waiting = stored(settings, "https://a.example/1")
    client = log_in(endpoint, ADMIN_TOKEN)
    token = csrf(client)
    form = {"csrf": token, "do": f"approve:{waiting}"}
    replayed = httpx.post(endpoint.url("/moderation/act"), data=form)  # no cookie
    forged = client.post("/moderation/act", data={**form, "csrf": "0" * 64})
    elsewhere = client.post(
        "/moderation/act", data=form, headers={"Origin": "https://evil.example"}
    )
    assert [r.status_code for r in (replayed, forged, elsewhere)] == [403, 403, 403]
    assert status_of(settings, waiting) == "pending"
    done = client.post("/moderation/act", data=form, headers={"Origin": endpoint.url("")})
    assert done.status_code == 303 and "done=approve" in done.headers["location"]
    assert status_of(settings, waiting) == "approved"


def test_bulk_actions_block_and_rules(settings, endpoint):
    first = stored(settings, "https://a.example/1")
    second = stored(settings, "https://www.spam.example/2", status=MentionStatus.APPROVED)
    client = log_in(endpoint, ADMIN_TOKEN)
    page = client.get("/moderation/").text
    assert page.index("https://a.example/1") < page.index("https://www.spam.example/2")
    client.post("/moderation/act", data={"csrf": csrf(client), "action": "reject", "ids": [first]})
    assert status_of(settings, first) == "rejected"
    client.post("/moderation/act", data={"csrf": csrf(client), "do": f"block:{second}"})
    assert status_of(settings, second) == "rejected"
    assert "www.spam.example" in client.get("/moderation/").text
    client.post(
        "/moderation/act",
        data={"csrf": csrf(client), "action": "unblock", "domain": "www.spam.example"},
    )
    assert "Yhtään verkkotunnusta ei ole estetty" in client.get("/moderation/").text
    assert status_of(settings, second) == "queued"  # verified again now it is not blocked


def test_a_moderator_token_sees_and_acts_on_its_own_site_only(settings, endpoint):
    ours = stored(settings, "https://a.example/vaara", site=PILOT, author="Vaaran Veikko")
    theirs = stored(settings, "https://a.example/main", author="Pääsivun Paula")
    client = log_in(endpoint, VAARA_TOKEN)
    page = client.get("/moderation/").text
    assert "Vaaran Veikko" in page and "Pääsivun Paula" not in page
    assert "Verkkotunnusten säännöt" not in page  # the domain lists belong to the admin
    refused = client.post(
        "/moderation/act", data={"csrf": csrf(client), "ids": [theirs], "action": "approve"}
    )
    assert "problem=NotAllowed" in refused.headers["location"]
    blocked = client.post("/moderation/act", data={"csrf": csrf(client), "do": f"block:{ours}"})
    assert "problem=NotAllowed" in blocked.headers["location"]
    assert status_of(settings, theirs) == "pending" and status_of(settings, ours) == "pending"
    client.post("/moderation/act", data={"csrf": csrf(client), "do": f"delete:{ours}"})
    assert status_of(settings, ours) == "gone"


def test_logout_forgets_the_session(settings, endpoint):
    client = log_in(endpoint, ADMIN_TOKEN)
    assert client.post("/moderation/logout", data={"csrf": csrf(client)}).status_code == 303
    assert 'type="password"' in client.get("/moderation/").text

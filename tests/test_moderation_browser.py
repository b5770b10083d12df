"""The moderation page in a real headless Debian chromium against a real `publish.py serve`:
log in with a wrong and a right token, approve and block from the page and see the reply
appear on and vanish from the post; a replayed form without the session, or from another
origin, changes nothing; a moderator token sees its own site only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from alusta import store
from alusta.db import connect
from alusta.models import MentionStatus
from alusta.settings import Settings
from tests.browser import loopback_context
from tests.publish_server import Serve
from tests.responses_fixtures import POST_PATH, responses_project, store_mention
from tests.servers import SourceServer, free_port
from tests.test_accessibility import axe_violations

ADMIN = "selain-admin-0123456789abcdef"
RAJALLA = "rajalla-moderaattori-0123456789"


@dataclass
class Served:
    serve: Serve
    settings: Settings
    main_reply: int
    second_reply: int
    pilot_reply: int

    def post(self, site: str = "main") -> str:
        prefix = "" if site == "main" else f"pilots/{site}/"
        return self.serve.url(f"{prefix}{POST_PATH}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    settings = responses_project(tmp_path_factory.mktemp("moderation") / "project")
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    def waiting(source: str, author: str, site: str = "main") -> int:
        prefix = "" if site == "main" else f"pilots/{site}/"
        return store_mention(
            settings, source=source, target=f"{base}/{prefix}{POST_PATH}", site=site,
            author=author, content="<p>Odottaa hyväksyntää</p>", status=MentionStatus.PENDING,
        ).id  # fmt: skip

    main_reply = waiting("https://aino.example/vastaus", "Aino Odottaja")
    second = waiting("https://bertta.example/vastaus", "Bertta Toinen")
    pilot_reply = waiting("https://sven.example/svar", "Sven Väntare", site="rajalla")
    environ = {"ALUSTA_ADMIN_TOKEN": ADMIN, "ALUSTA_MODERATOR_TOKENS": f"rajalla:{RAJALLA}"}
    with Serve(settings.root, port=port, environ=environ) as serve:
        yield Served(serve, settings, main_reply, second, pilot_reply)


def status_of(served: Served, mention_id: int) -> str:
    connection = connect(served.settings.database_path)
    try:
        return str(store.mention_by_id(connection, mention_id).status)
    finally:
        connection.close()


def reply_authors(page) -> list[str]:
    return page.locator("ol.replies .p-author .p-name").all_inner_texts()


def log_in(page, served: Served, token: str) -> None:
    page.goto(served.serve.url("moderation/"))
    page.get_by_label("Moderointitunnus").fill(token)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_load_state()


def reply_item(page, author: str):
    return page.locator("li.moderation-reply", has_text=author)


def test_wrong_then_right_token_approve_and_block_from_the_page(browser, served: Served):
    context, log = loopback_context(browser, locale="fi-FI")
    page = context.new_page()
    log_in(page, served, "väärä-tunnus")
    assert page.get_by_role("alert").inner_text() == "Tunnus ei ole oikea."
    log_in(page, served, ADMIN)
    assert page.get_by_role("heading", level=1).inner_text() == "Moderointi"
    assert "Aino Odottaja" in reply_item(page, "Aino Odottaja").inner_text()

    reply_item(page, "Aino Odottaja").get_by_role("button", name="Hyväksy").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == "Hyväksytty: 1."
    assert status_of(served, served.main_reply) == "approved"
    post = context.new_page()
    post.goto(served.post())
    assert "Aino Odottaja" in reply_authors(post)

    reply_item(page, "Aino Odottaja").get_by_role("button", name="Estä verkkotunnus").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == "Estetyt verkkotunnukset: 1."
    assert "aino.example" in page.locator(".moderation-rules").inner_text()
    post.reload()
    assert "Aino Odottaja" not in reply_authors(post)
    assert status_of(served, served.main_reply) == "rejected"
    assert log.foreign() == []
    context.close()


def test_the_approve_form_replayed_without_the_session_or_from_elsewhere_changes_nothing(
    browser, served: Served
):
    context, _log = loopback_context(browser, locale="fi-FI")
    page = context.new_page()
    log_in(page, served, ADMIN)
    csrf = page.locator('input[name="csrf"]').first.get_attribute("value")
    action = served.serve.url("moderation/act")
    forged = f"""<!doctype html><html lang="fi"><head><title>Arvonta</title></head><body>
<form method="post" action="{action}"><input name="csrf" value="{csrf}">
<input name="do" value="approve:{served.second_reply}"><button>Voita</button></form>
</body></html>""".encode()
    with SourceServer() as elsewhere:
        trap = elsewhere.route("/arvonta", body=forged)
        stranger, _ = loopback_context(browser)  # another browser profile: no cookie
        for visitor in (stranger.new_page(), context.new_page()):
            visitor.goto(trap)
            with visitor.expect_navigation() as navigation:
                visitor.get_by_role("button", name="Voita").click()
            assert navigation.value.status == 403
            assert "Mitään ei muutettu" in visitor.content()
        stranger.close()
    assert status_of(served, served.second_reply) == "pending"
    context.close()


def test_a_moderator_token_sees_only_its_own_site(browser, served: Served):
    context, _log = loopback_context(browser)
    page = context.new_page()
    log_in(page, served, RAJALLA)
    listed = page.locator(".moderation-list").all_inner_texts()
    assert any("Sven Väntare" in text for text in listed)
    assert not any("Bertta Toinen" in text for text in listed)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("button", name="Blockera domänen").count() == 0
    reply_item(page, "Sven Väntare").get_by_role("button", name="Godkänn").click()
    page.wait_for_load_state()
    assert status_of(served, served.pilot_reply) == "approved"
    post = context.new_page()
    post.goto(served.post("rajalla"))
    assert "Sven Väntare" in reply_authors(post)
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_login_form_and_the_list_pass_axe_wcag_2_1_aa(browser, served: Served, scheme):
    # The page's CSP allows no script at all; axe is injected with the CSP bypassed.
    context, _log = loopback_context(browser, locale="fi-FI", bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(served.serve.url("moderation/"))
    assert axe_violations(page) == []
    log_in(page, served, ADMIN)
    page.wait_for_selector(".moderation-list")
    assert axe_violations(page) == []
    context.close()

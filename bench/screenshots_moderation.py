"""Screenshots of the moderation page for docs/moderation.md, made by one command.

    .venv/bin/python bench/screenshots_moderation.py [--out docs/images]

Copies the project into a temporary folder, builds it, stores a few example replies (two
waiting, one shown, a blocked domain), serves the endpoint on 127.0.0.1 and photographs the
login form and the list at desktop and phone width in headless Debian chromium. Writes
moderation-login.png, moderation-list.png and moderation-phone.png.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alusta import domain_rules, store, verification_queue
from alusta.app import create_app
from alusta.build import build_sites
from alusta.db import connect
from alusta.models import Author, MentionKind, MentionRequest, MentionStatus, SourceEntry
from alusta.responses.refresh import page_refresher
from alusta.settings import Settings, load_settings
from tests.browser import chromium, loopback_context
from tests.endpoint_server import RunningEndpoint

REPO = Path(__file__).resolve().parents[1]
PARTS = ("pelicanconf.py", "content", "pilots", "theme", "plugins")
TOKEN = "kuvakaappaus-0123456789abcdef"
POSTS = {
    "main": "2026/09/alusta-hanke-kaynnistyy-lapissa/",
    "ounasvaara": "2026/10/latukahvila-kokeiluun/",
}
REPLIES = (  # site, source, author, text, status
    ("ounasvaara", "https://hiihtaja.example/latukahvila", "Hilkka Hiihtäjä",
     "Kävimme lauantaina latukahvilassa: mehu oli lämmintä ja penkit kuivia. Voisiko "
     "aukioloa jatkaa iltaan asti?", MentionStatus.PENDING),
    ("main", "https://kylayhdistys.example/blogi/alusta", "Kyläyhdistys Rajalla",
     "Hyvä aloitus! Kirjoitimme omassa blogissamme, mitä toivomme hankkeelta.",
     MentionStatus.PENDING),
    ("main", "https://aino.example/vastaus", "Aino Esimerkki",
     "Kiitos kirjoituksesta, odotan työpajaa.", MentionStatus.APPROVED),
)  # fmt: skip


def demo_project(folder: Path) -> Settings:
    """A built copy of the project with example replies in its database."""
    for part in PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / part)
    settings = load_settings(folder, environ={"ALUSTA_ADMIN_TOKEN": TOKEN})
    build_sites(settings)
    connection = connect(settings.database_path)
    try:
        for number, (site, source, author, text, status) in enumerate(REPLIES):
            target = f"{settings.site(site).siteurl}/{POSTS[site]}"
            now = time.time() - 3600 * (len(REPLIES) - number)
            mention = verification_queue.enqueue(
                connection, MentionRequest(source=source, target=target, site=site), now=now
            )
            entry = SourceEntry(
                url=source, final_url=source, kind=MentionKind.REPLY,
                author=Author(name=author, url=source.rsplit("/", 1)[0] + "/", photo=""),
                published="", name="", content_html=f"<p>{text}</p>", content_text=text,
                title="", excerpt="",
            )  # fmt: skip
            store.save_verified(connection, mention.id, entry, status=status, reason="", now=now)
        domain_rules.block(connection, "kasino.example", now=time.time())
    finally:
        connection.close()
    return settings


@click.command()
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=REPO / "docs" / "images"
)
def main(out: Path) -> None:
    """Write the moderation page's screenshots into OUT."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        settings = demo_project(Path(folder))
        app = create_app(settings, on_approved=page_refresher(settings))
        with RunningEndpoint(app) as endpoint, chromium() as browser:
            for name, viewport in (
                ("", {"width": 1100, "height": 900}),
                ("phone", {"width": 390, "height": 844}),
            ):
                context, _log = loopback_context(browser, viewport=viewport, locale="fi-FI")
                page = context.new_page()
                page.goto(endpoint.url("/moderation/"))
                if not name:
                    page.screenshot(path=out / "moderation-login.png")
                page.get_by_label("Moderointitunnus").fill(TOKEN)
                page.get_by_role("button", name="Kirjaudu").click()
                page.wait_for_selector(".moderation-list")
                page.screenshot(path=out / f"moderation-{name or 'list'}.png", full_page=True)
                context.close()
    for made in sorted(out.glob("moderation-*.png")):
        click.echo(f"wrote {made}")


if __name__ == "__main__":
    main()

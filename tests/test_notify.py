"""Notifications of new replies (and feedback answers): a real SMTP server (aiosmtpd) and a
real webhook receiver on 127.0.0.1, a real SQLite file, and a clock the tests move.

One mail for the first waiting reply, one batch for the next ones, each channel once: never
again after a webhook failure or a restart.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from alusta import outbox, verification_queue
from alusta.app import create_app
from alusta.db import connect, iso
from alusta.endpoint.worker import save_and_tell
from alusta.feedback import store as feedback_store
from alusta.models import (
    Author,
    MentionKind,
    MentionRequest,
    MentionStatus,
    SourceEntry,
    VerificationJob,
)
from alusta.moderation import Decision, is_news
from alusta.notify.setup import notification_dispatcher
from alusta.settings import Settings, load_settings
from alusta.web.database import Database
from tests.endpoint_server import (
    ADMIN_TOKEN,
    PILOT,
    PILOT_POST,
    RunningEndpoint,
    endpoint_settings,
    reply_page,
)
from tests.feedback_project import FORM, feedback_settings
from tests.mail import MailServer
from tests.project import REPO
from tests.servers import Reply, SourceServer

START = 1_800_000_000.0
BATCH_SECONDS = 600.0


class Clock:
    """The notifications' time, moved by the test."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with MailServer() as server:
        yield server


def with_pilot_lines(settings: Settings, lines: str, **environ: str) -> Settings:
    """The project's settings again after adding `lines` to the pilot's pilot.toml."""
    pilot = settings.root / "pilots" / PILOT / "pilot.toml"
    pilot.write_text(pilot.read_text(encoding="utf-8") + lines, encoding="utf-8")
    translations = settings.theme_dir / "translations"
    if not translations.exists():
        shutil.copytree(REPO / "theme" / "translations", translations)
    env = {"ALUSTA_ADMIN_TOKEN": ADMIN_TOKEN, "ALUSTA_ALLOW_PRIVATE_ADDRESSES": "1"}
    env.update({f"ALUSTA_{k.upper()}": v for k, v in environ.items()})
    return load_settings(settings.root, environ=env)


def reply(settings: Settings, source: str, *, author: str, text: str, now: float) -> int:
    """A reply to the pilot's post, verified now and waiting for approval, stored the way
    the worker stores it (with its notifications)."""
    site = settings.site(PILOT)
    channels = [
        c for c, on in (("email", site.notify_email), ("webhook", site.notify_webhook)) if on
    ]
    connection = connect(settings.database_path)
    try:
        request = MentionRequest(source=source, target=PILOT_POST, site=PILOT)
        mention = verification_queue.enqueue(connection, request, now=now)
        job = VerificationJob(
            id=mention.id, source=source, target=PILOT_POST, site=PILOT, protocol="webmention",
            status=MentionStatus.QUEUED, moderated="", verified=False, attempts=0,
        )  # fmt: skip
        entry = SourceEntry(
            url=source, final_url=source, kind=MentionKind.REPLY,
            author=Author(name=author, url="https://aino.example/", photo=""), published="",
            name="", content_html=f"<p>{text}</p>", content_text=text, title="", excerpt="",
        )  # fmt: skip
        decision = Decision(MentionStatus.PENDING, "verified, waiting for a moderator")
        save_and_tell(connection, job, entry, decision, channels=channels, now=now)
        return mention.id
    finally:
        connection.close()


async def deliver(settings: Settings, clock: Clock) -> int:
    """One pass of a freshly started dispatcher (as after a restart); how many went out."""
    database = Database(settings.database_path)
    try:
        return await notification_dispatcher(settings, database, clock=clock).deliver_due()
    finally:
        database.close()


def states(settings: Settings, subject: str, subject_id: int) -> dict[str, str]:
    connection = connect(settings.database_path)
    try:
        return outbox.states(connection, subject, subject_id)
    finally:
        connection.close()


def test_first_reply_is_mailed_at_once_and_later_ones_in_one_batch(tmp_path: Path, mail):
    settings = endpoint_settings(tmp_path / "project", **mail.environ)
    settings = with_pilot_lines(
        settings, 'notify_email = ["aino@vaara.example", "eero@vaara.example"]\n', **mail.environ
    )
    clock = Clock()
    reply(settings, "https://a.example/1", author="Aino", text="Ensimmäinen", now=clock.now)
    assert asyncio.run(deliver(settings, clock)) == 1
    [(recipients, first)] = mail.messages
    assert recipients == ["aino@vaara.example", "eero@vaara.example"]
    assert first["Subject"] == "1 uusi vastaus sivustolla Vaara"
    body = first.get_content()
    assert "Aino" in body and "Ensimmäinen" in body and PILOT_POST in body
    assert f"{settings.endpoint_url}/moderation/" in body

    for minute, name in ((1, "Bertta"), (2, "Cecilia")):
        clock.now = START + minute * 60
        reply(settings, f"https://b.example/{name}", author=name, text="Lisää", now=clock.now)
        assert asyncio.run(deliver(settings, clock)) == 0
    clock.now = START + BATCH_SECONDS - 1
    assert asyncio.run(deliver(settings, clock)) == 0
    clock.now = START + BATCH_SECONDS
    assert asyncio.run(deliver(settings, clock)) == 2
    assert len(mail.messages) == 2
    batch = mail.messages[1][1]
    assert batch["Subject"] == "2 uutta vastausta sivustolla Vaara"
    assert "Bertta" in batch.get_content() and "Cecilia" in batch.get_content()

    clock.now += 3600
    assert asyncio.run(deliver(settings, clock)) == 0  # a restart repeats nothing
    assert len(mail.messages) == 2


def test_a_failing_webhook_is_retried_and_never_resends_the_mail(tmp_path: Path, mail):
    with SourceServer() as receiver:
        hook = receiver.sequence("/hook", [Reply(status=503), Reply(body=b"ok")])
        settings = endpoint_settings(tmp_path / "project", **mail.environ)
        lines = f'notify_email = "aino@vaara.example"\nnotify_webhook = "{hook}"\n'
        settings = with_pilot_lines(settings, lines, **mail.environ)
        clock = Clock()
        mention_id = reply(settings, "https://a.example/1", author="Aino", text="Hei", now=START)

        assert asyncio.run(deliver(settings, clock)) == 1
        assert states(settings, "mention", mention_id) == {"email": "sent", "webhook": "due"}
        assert asyncio.run(deliver(settings, clock)) == 0  # the retry waits its delay
        clock.now += 60
        assert asyncio.run(deliver(settings, clock)) == 1  # a new process: the retry
        assert asyncio.run(deliver(settings, clock)) == 0

        assert receiver.hits["/hook"] == 2 and len(mail.messages) == 1
        document = json.loads(receiver.requests[-1].body)
    assert states(settings, "mention", mention_id) == {"email": "sent", "webhook": "sent"}
    assert document["id"] == mention_id and document["status"] == "pending"
    assert document["author"]["name"] == "Aino" and document["excerpt"] == "Hei"
    assert document["moderation"] == f"{settings.endpoint_url}/moderation/"


def test_feedback_mail_goes_once_while_its_webhook_is_retried(tmp_path: Path, mail):
    """Issue 11 item 6: e-mail and webhook were one flag, so each retry mailed again."""
    with SourceServer() as receiver:
        hook = receiver.sequence("/hook", [Reply(status=500), Reply(status=502), Reply()])
        settings = feedback_settings(tmp_path / "project", **mail.environ)
        form = settings.main.content_dir / "forms" / f"{FORM}.toml"
        form.write_text(
            form.read_text(encoding="utf-8").replace(
                "results = true",
                f'results = true\nnotify_email = "f@kunta.example"\nnotify_webhook = "{hook}"',
            ),
            encoding="utf-8",
        )
        connection = connect(settings.database_path)
        try:
            submission_id = feedback_store.insert(
                connection,
                feedback_store.NewSubmission(
                    site="main", form=FORM, lang="fi", answers={"palaute": "Hyvä"},
                    email=None, client_hash="", page="", received_at=iso(START),
                    notify=("email", "webhook"),
                ),
            )  # fmt: skip
        finally:
            connection.close()
        clock = Clock()
        for _attempt in range(3):
            asyncio.run(deliver(settings, clock))
            clock.now += 3600
        assert receiver.hits["/hook"] == 3
    assert len(mail.messages) == 1
    assert states(settings, "feedback", submission_id) == {"email": "sent", "webhook": "sent"}


def test_only_news_is_told():
    pending, approved, queued = MentionStatus.PENDING, MentionStatus.APPROVED, MentionStatus.QUEUED
    assert is_news(notify="pending", status=pending, previous=queued)
    assert not is_news(notify="pending", status=approved, previous=queued)
    assert is_news(notify="all", status=approved, previous=queued)
    assert not is_news(notify="all", status=approved, previous=approved)  # sent again
    assert not is_news(notify="all", status=MentionStatus.REJECTED, previous=queued)


def test_the_endpoint_mails_a_reply_that_waits_for_approval(tmp_path: Path, mail, source_server):
    settings = endpoint_settings(tmp_path / "project", **mail.environ)
    settings = with_pilot_lines(settings, 'notify_email = "aino@vaara.example"\n', **mail.environ)
    source = source_server.route("/r", body=reply_page(PILOT_POST, name="Eero Esimerkki"))
    with RunningEndpoint(create_app(settings)) as endpoint:
        location = endpoint.send(source, target=PILOT_POST).headers["Location"]
        assert endpoint.wait_for(location)["status"] == "pending"
        mail.wait_for(1)
    [(recipients, message)] = mail.messages
    assert recipients == ["aino@vaara.example"]
    assert "Eero Esimerkki" in message.get_content()
    assert "Hei! Hyvä kirjoitus." in message.get_content()


def test_notify_keys_are_checked_with_file_and_line(tmp_path: Path):
    settings = endpoint_settings(tmp_path / "project")
    for lines, reason in (
        ('notify_email = "ei osoite"\n', "notify_email: 'ei osoite' is not an e-mail address"),
        ('notify_webhook = "ftp://x"\n', "notify_webhook: 'ftp://x' must start with https://"),
        ('notify = "joskus"\n', "notify: 'joskus' is not one of pending, all"),
    ):
        pilot = settings.root / "pilots" / PILOT / "pilot.toml"
        original = pilot.read_text(encoding="utf-8")
        with pytest.raises(Exception, match=reason) as error:
            with_pilot_lines(settings, lines)
        assert "pilot.toml:5:" in str(error.value)
        pilot.write_text(original, encoding="utf-8")


def test_the_main_site_reads_its_notify_keys_from_alusta_site(tmp_path: Path):
    settings = endpoint_settings(tmp_path / "project")
    conf = settings.root / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            '"moderation": "auto"}',
            '"moderation": "auto", "notify": "all", '
            '"notify_email": ["a@alusta.example", "b@alusta.example"], '
            '"notify_webhook": "https://hooks.example/alusta"}',
        ),
        encoding="utf-8",
    )
    main = load_settings(settings.root, environ={}).main
    assert main.notify_email == ("a@alusta.example", "b@alusta.example")
    assert (main.notify_webhook, main.notify) == ("https://hooks.example/alusta", "all")


def test_two_processes_never_send_the_same_delivery(tmp_path: Path, mail):
    """`endpoint --workers 2`: each process runs a dispatcher on the same database."""
    settings = endpoint_settings(tmp_path / "project", **mail.environ)
    settings = with_pilot_lines(settings, 'notify_email = "aino@vaara.example"\n', **mail.environ)
    reply(settings, "https://a.example/1", author="Aino", text="Hei", now=START)

    async def both() -> list[int]:
        databases = [Database(settings.database_path) for _ in range(2)]
        try:
            dispatchers = [notification_dispatcher(settings, d, clock=Clock()) for d in databases]
            return list(await asyncio.gather(*(d.deliver_due() for d in dispatchers)))
        finally:
            for database in databases:
                database.close()

    assert sorted(asyncio.run(both())) == [0, 1]
    assert len(mail.messages) == 1

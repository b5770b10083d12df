"""Notifications of new submissions: a real SMTP server (aiosmtpd) and a real webhook
receiver (tests.servers.SourceServer), both on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from alusta import outbox
from alusta.app import create_app
from alusta.db import connect
from tests.endpoint_server import RunningEndpoint
from tests.feedback_project import FORM, VALID, feedback_settings, stored
from tests.mail import SENDER, MailServer
from tests.servers import Reply, SourceServer
from tests.waiting import wait_until

JSON = {"Accept": "application/json"}
DEADLINE_SECONDS = 10.0


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with MailServer() as server:
        yield server


def add_notification(settings, line: str) -> None:
    path = settings.main.content_dir / "forms" / f"{FORM}.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("results = true", f"results = true\n{line}"), encoding="utf-8")


def deliveries(settings) -> dict[str, str]:
    """{channel: state} of the one stored submission's notifications."""
    connection = connect(settings.database_path)
    try:
        (submission_id,) = connection.execute("SELECT id FROM feedback_submissions").fetchone()
        return outbox.states(connection, "feedback", submission_id)
    finally:
        connection.close()


def test_email_goes_to_the_forms_address_over_smtp(tmp_path: Path, mail: MailServer) -> None:
    settings = feedback_settings(tmp_path / "project", **mail.environ)
    add_notification(settings, 'notify_email = "fasilitaattori@kunta.example"')
    with RunningEndpoint(create_app(settings)) as endpoint:
        response = endpoint.client.post(f"/feedback/main/{FORM}", data=VALID, headers=JSON)
        assert response.status_code == 201
        mail.wait_for(1)
        wait_until(
            seconds=DEADLINE_SECONDS, condition=lambda: deliveries(settings) == {"email": "sent"}
        )
    [(recipients, message)] = mail.messages
    assert recipients == ["fasilitaattori@kunta.example"]
    assert message["From"] == SENDER
    assert f"#{response.json()['id']}" in message["Subject"]
    body = message.get_content()
    assert "Åsa Öhman" in body and "Torneå" in body  # Swedish labels: sent in Swedish


def test_webhook_receives_the_answers_as_json(tmp_path: Path) -> None:
    with SourceServer() as receiver:
        receiver.route("/hook", body=b"ok")
        settings = feedback_settings(tmp_path / "project")
        add_notification(settings, f'notify_webhook = "{receiver.url("/hook")}"')
        with RunningEndpoint(create_app(settings)) as endpoint:
            response = endpoint.client.post(f"/feedback/main/{FORM}", data=VALID, headers=JSON)
            wait_until(seconds=DEADLINE_SECONDS, condition=lambda: receiver.hits["/hook"] == 1)
        [received] = [r for r in receiver.requests if r.path == "/hook"]
    assert received.method == "POST"
    document = json.loads(received.body)
    assert document["id"] == response.json()["id"]
    assert (document["site"], document["form"]) == ("main", FORM)
    assert document["answers"]["nimi"] == "Åsa Öhman"


def test_failed_notification_keeps_the_submission_and_stays_pending(tmp_path: Path) -> None:
    with SourceServer() as receiver:
        receiver.sequence("/hook", [Reply(status=503)])
        settings = feedback_settings(tmp_path / "project")
        add_notification(settings, f'notify_webhook = "{receiver.url("/hook")}"')
        with RunningEndpoint(create_app(settings)) as endpoint:
            response = endpoint.client.post(f"/feedback/main/{FORM}", data=VALID, headers=JSON)
            assert response.status_code == 201
            wait_until(seconds=DEADLINE_SECONDS, condition=lambda: receiver.hits["/hook"] == 1)
            wait_until(
                seconds=DEADLINE_SECONDS,
                condition=lambda: deliveries(settings) == {"webhook": "due"},
            )
    assert len(stored(settings)) == 1

"""Telling a facilitator about a new submission: what the e-mail and the webhook say.

Configured per form (`notify_email`, `notify_webhook` in its TOML file). A submission is
stored together with one delivery per channel (alusta.outbox), and alusta.notify.dispatch
sends each once through the shared channels (the ALUSTA_SMTP_* server, the safe HTTP
client): a mail server that is down only delays the message, and a webhook that fails
never makes the e-mail go twice.
"""

from __future__ import annotations

import sqlite3
from email.message import EmailMessage

from alusta.feedback import store
from alusta.feedback.catalog import FormCatalog
from alusta.feedback.models import FormDefinition, UnknownForm
from alusta.feedback.store import Submission
from alusta.i18n import DEFAULT_LANGUAGE, LANGUAGES
from alusta.notify.dispatch import Webhook


def channels(form: FormDefinition) -> list[str]:
    """The channels a form asks for."""
    return [
        c
        for c, wanted in (("email", form.notify_email), ("webhook", form.notify_webhook))
        if wanted
    ]


def payload(form: FormDefinition, submission: Submission) -> dict[str, object]:
    """What a webhook receives (and an email lists): the stored answers and where from."""
    return {
        "site": submission.site,
        "form": submission.form,
        "id": submission.id,
        "received": submission.received_at,
        "lang": submission.lang,
        "title": form.title[form_lang(submission)],
        "answers": submission.answers,
    }


def form_lang(submission: Submission) -> str:
    return submission.lang if submission.lang in LANGUAGES else DEFAULT_LANGUAGE


def email_message(form: FormDefinition, submission: Submission, sender: str) -> EmailMessage:
    lang = form_lang(submission)
    message = EmailMessage()
    message["Subject"] = f"Palaute / Respons / Feedback: {form.title[lang]} (#{submission.id})"
    message["From"] = sender
    message["To"] = form.notify_email
    lines = [f"{form.title[lang]} – {submission.site}/{submission.form} #{submission.id}", ""]
    for question in form.fields:
        answer = submission.answers.get(question.name)
        if isinstance(answer, list):
            answer = ", ".join(question.choice_label(v, lang) for v in answer)
        elif isinstance(answer, str) and question.choices:
            answer = question.choice_label(answer, lang)
        lines.append(f"{question.label[lang]}\n  {'' if answer is None else answer}")
    message.set_content("\n".join(lines))
    return message


class FeedbackComposer:
    """Messages about feedback answers (subject "feedback"): one e-mail per answer."""

    subject = "feedback"
    batch_seconds = 0.0

    def __init__(self, catalog: FormCatalog) -> None:
        self.catalog = catalog

    def _find(
        self, connection: sqlite3.Connection, submission_id: int
    ) -> tuple[FormDefinition, Submission] | None:
        submission = store.submission_by_id(connection, submission_id)
        if submission is None:
            return None  # deleted on request meanwhile
        try:
            return self.catalog.get(submission.site, submission.form), submission
        except UnknownForm:
            return None

    def email(
        self, connection: sqlite3.Connection, site: str, ids: list[int], sender: str
    ) -> EmailMessage | None:
        found = self._find(connection, ids[0])
        if found is None or not found[0].notify_email:
            return None
        return email_message(*found, sender)

    def webhook(
        self, connection: sqlite3.Connection, site: str, submission_id: int
    ) -> Webhook | None:
        found = self._find(connection, submission_id)
        if found is None or not found[0].notify_webhook:
            return None
        return Webhook(found[0].notify_webhook, payload(*found))

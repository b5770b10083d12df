"""Telling a facilitator about a new submission: email over SMTP, or a webhook POST.

Configured per form (`notify_email`, `notify_webhook` in its TOML file); the SMTP server
comes from the ALUSTA_SMTP_* settings. A submission is stored before anyone is told, and
marked `notify_pending` until a notification went out, so a mail server that is down only
delays the message (retried by the endpoint's maintenance loop, a few times at most).
"""

from __future__ import annotations

import asyncio
import json
import logging
import smtplib
from email.message import EmailMessage

from alusta.errors import AlustaError
from alusta.feedback.models import FormDefinition
from alusta.feedback.store import Submission
from alusta.http import FetchError, fetch
from alusta.settings import SmtpSettings

LOG = logging.getLogger("alusta.feedback")
SMTP_TIMEOUT_SECONDS = 10.0
WEBHOOK_TIMEOUT_SECONDS = 10.0
WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024


class NotifyError(AlustaError):
    """A notification could not be delivered."""


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
    return submission.lang if submission.lang in ("fi", "sv", "en") else "fi"


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


def send_email(smtp: SmtpSettings, message: EmailMessage) -> None:
    """Deliver one message (blocking: run it in a thread)."""
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS) as client:
            if smtp.starttls:
                client.starttls()
            if smtp.user:
                client.login(smtp.user, smtp.password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise NotifyError(f"mail to {message['To']} via {smtp.host} failed: {error}") from error


async def post_webhook(url: str, document: dict[str, object], *, allow_private: bool) -> None:
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    try:
        result = await fetch(
            url,
            allow_private=allow_private,
            method="POST",
            data=body,
            headers={"Content-Type": "application/json"},
            max_bytes=WEBHOOK_MAX_RESPONSE_BYTES,
            timeout_seconds=WEBHOOK_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except FetchError as error:
        raise NotifyError(f"webhook {url} failed: {error}") from error
    if not 200 <= result.status < 300:
        raise NotifyError(f"webhook {url} answered {result.status}")


async def notify(
    form: FormDefinition, submission: Submission, *, smtp: SmtpSettings | None, allow_private: bool
) -> None:
    """Send every notification the form asks for; NotifyError if any failed."""
    if form.notify_email:
        if smtp is None:
            raise NotifyError(f"{form.path}: notify_email is set but ALUSTA_SMTP_HOST is not")
        message = email_message(form, submission, smtp.sender)
        await asyncio.to_thread(send_email, smtp, message)
    if form.notify_webhook:
        await post_webhook(
            form.notify_webhook, payload(form, submission), allow_private=allow_private
        )

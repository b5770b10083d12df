"""The endpoint's one notification dispatcher: replies and feedback answers, one SMTP server."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from alusta.feedback.catalog import FormCatalog
from alusta.feedback.notify import FeedbackComposer
from alusta.notify.dispatch import Database, Dispatcher
from alusta.notify.mention_messages import MentionComposer
from alusta.notify.titles import post_title
from alusta.settings import Settings

SECONDS_PER_MINUTE = 60.0


def notification_dispatcher(
    settings: Settings, database: Database, *, clock: Callable[[], float] = time.time
) -> Dispatcher:
    """A Dispatcher for both subjects, with the ALUSTA_SMTP_* server and the batch setting."""
    replies = MentionComposer(
        settings,
        batch_seconds=settings.notify_batch_minutes * SECONDS_PER_MINUTE,
        title_of=partial(post_title, settings),
    )
    answers = FeedbackComposer(FormCatalog(settings))
    return Dispatcher(
        database,
        [replies, answers],
        smtp=settings.feedback.smtp,
        allow_private=settings.allow_private_addresses,
        clock=clock,
    )

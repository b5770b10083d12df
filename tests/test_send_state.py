"""Sending state in a real SQLite file."""

from __future__ import annotations

from alusta.send import state
from alusta.send.state import NotificationState, Outgoing, SentPost


def test_a_new_change_re_arms_a_notification_in_the_outbox(connection):
    post = SentPost("main", "a/", "https://alusta.example/a/", "h1", ("https://t.example/",))
    state.announce(connection, post, [Outgoing(post.source, "https://t.example/", "new-link")],
                   now=10)  # fmt: skip
    (first,) = state.due_notifications(connection, now=10)
    connection.execute("UPDATE notifications SET state = 'given-up', tries = 4")

    changed = Outgoing(post.source, "https://t.example/", "content-changed")
    state.announce(connection, post, [changed], now=20)

    (again,) = state.due_notifications(connection, now=20)
    assert again.id == first.id and again.tries == 0
    assert (again.state, again.reason) == (NotificationState.PENDING, "content-changed")
    assert state.sent_post(connection, "main", "a/").links == ("https://t.example/",)

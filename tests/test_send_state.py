"""Sending state in a real SQLite file, and the links read from a built post."""

from __future__ import annotations

import pytest

from alusta.post_links import PostUnreadable, post_content
from alusta.send import state
from alusta.send.state import NotificationState, Outgoing, SentPost

POST_HTML = """<!doctype html><html><body>
<nav><a href="/">Etusivu</a><a href="https://theme.example/">Teema</a></nav>
<article class="h-entry"><div class="e-content entry-content">
<p><a href="https://a.example/x#osa">a</a> <a href="../toinen/">oma</a>
<a href="#alaviite">alaviite</a> <a href="mailto:x@example.org">posti</a>
<a href="https://a.example/x#osa">a again</a></p>
</div>
<section class="responses"><div class="h-cite"><div class="e-content">
<a href="https://reply.example/">reply</a></div></div></section>
</article></body></html>"""


def test_only_content_links_are_read_resolved_and_deduplicated():
    post = post_content(POST_HTML, "https://alusta.example/2026/10/eka/")

    assert post.links == ("https://a.example/x#osa", "https://alusta.example/2026/10/toinen/")


def test_the_content_hash_ignores_the_theme_but_not_the_content():
    url = "https://alusta.example/2026/10/eka/"
    retheme = POST_HTML.replace("Etusivu", "Koti")
    edited = POST_HTML.replace(">a</a>", ">aa</a>")

    assert post_content(retheme, url).content_hash == post_content(POST_HTML, url).content_hash
    assert post_content(edited, url).content_hash != post_content(POST_HTML, url).content_hash


def test_a_page_without_content_is_a_clear_error():
    with pytest.raises(PostUnreadable, match=r"x\.html: no element with class e-content"):
        post_content("<p>no entry</p>", "https://alusta.example/x", where="x.html")


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

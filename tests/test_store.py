"""The mention store on a real SQLite file: verification results, moderation, reading."""

from __future__ import annotations

import pytest

from alusta import domain_rules, store, verification_queue
from alusta.db import iso
from alusta.models import Author, MentionKind, MentionStatus, SourceEntry
from tests.mention_requests import NOW, request


def entry(source: str = "https://blog.example/reply", **changes) -> SourceEntry:
    fields = {
        "url": source,
        "final_url": source,
        "kind": MentionKind.REPLY,
        "author": Author(name="Aino", url="https://blog.example/", photo=""),
        "published": "2026-11-01T10:00:00+02:00",
        "name": "",
        "content_html": "<p>Hei!</p>",
        "content_text": "Hei!",
        "title": "Reply",
        "excerpt": "",
    }
    fields.update(changes)
    return SourceEntry(**fields)


def test_save_verified_keeps_every_field_and_finishes_the_job(connection):
    mention = verification_queue.enqueue(connection, request(), now=NOW)
    saved = store.save_verified(
        connection,
        mention.id,
        entry(),
        status=MentionStatus.APPROVED,
        reason="verified",
        now=NOW + 1,
    )
    assert saved.entry == entry()
    assert not saved.verifying
    assert verification_queue.count_jobs(connection) == 0
    assert [m.id for m in store.approved_mentions(connection, site="main")] == [mention.id]
    assert store.approved_mentions(connection, site="rajalla") == []


def test_the_parent_of_a_threaded_reply_is_stored_and_read_back(connection):
    mention = verification_queue.enqueue(connection, request(), now=NOW)
    threaded = entry(in_reply_to="https://aino.example/vastaus")
    store.save_verified(
        connection, mention.id, threaded, status=MentionStatus.APPROVED, reason="", now=NOW
    )
    (shown,) = store.approved_mentions(connection, site="main")
    assert shown.entry.in_reply_to == "https://aino.example/vastaus"


def test_resending_a_shown_mention_keeps_it_shown_while_reverifying(connection):
    mention = verification_queue.enqueue(connection, request(), now=NOW)
    store.save_verified(
        connection, mention.id, entry(), status=MentionStatus.APPROVED, reason="verified", now=NOW
    )
    again = verification_queue.enqueue(connection, request(), now=NOW + 10)
    assert again.status == MentionStatus.APPROVED
    assert again.verifying
    assert again.entry == entry()


def test_resending_a_rejected_mention_queues_it_again(connection):
    mention = verification_queue.enqueue(connection, request(), now=NOW)
    store.save_outcome(
        connection,
        mention.id,
        status=MentionStatus.REJECTED,
        reason="source does not link to target",
        now=NOW,
    )
    again = verification_queue.enqueue(connection, request(), now=NOW + 10)
    assert (again.status, again.reason) == (MentionStatus.QUEUED, "")


def test_a_moderators_rejection_sticks_when_the_source_is_sent_again(connection):
    mention = verification_queue.enqueue(connection, request(), now=NOW)
    store.save_verified(
        connection, mention.id, entry(), status=MentionStatus.PENDING, reason="verified", now=NOW
    )
    (rejected,) = store.moderate(connection, [mention.id], MentionStatus.REJECTED, now=NOW)
    assert rejected.status == MentionStatus.REJECTED
    again = verification_queue.enqueue(connection, request(), now=NOW + 10)
    assert again.status == MentionStatus.REJECTED
    (job,) = verification_queue.claim_due(connection, now=NOW + 10, limit=1, lease_seconds=60)
    assert job.moderated == "rejected"


def test_approving_an_unverified_mention_waits_for_verification(connection):
    mention = verification_queue.enqueue(connection, request(), now=NOW)
    (approved,) = store.moderate(connection, [mention.id], MentionStatus.APPROVED, now=NOW)
    assert approved.status == MentionStatus.QUEUED
    (job,) = verification_queue.claim_due(connection, now=NOW, limit=1, lease_seconds=60)
    assert job.moderated == "approved"


def test_delete_removes_rows_and_reports_them(connection):
    mention = verification_queue.enqueue(connection, request(), now=NOW)
    assert [m.id for m in store.delete_mentions(connection, [mention.id, 999])] == [mention.id]
    assert store.list_mentions(connection) == []


def test_since_filters_by_received_time(connection):
    verification_queue.enqueue(connection, request("https://a.example/1"), now=NOW)
    later = verification_queue.enqueue(connection, request("https://a.example/2"), now=NOW + 3600)
    found = store.list_mentions(connection, since=iso(NOW + 1))
    assert [m.id for m in found] == [later.id]


def test_domain_rules_are_stored_lower_case_and_replaced(connection):
    domain_rules.set_domain_rule(connection, "Spam.Example.", "block", now=NOW)
    domain_rules.set_domain_rule(connection, "friend.example", "allow", now=NOW)
    domain_rules.set_domain_rule(connection, "spam.example", "allow", now=NOW)
    assert store.domain_rules(connection) == {"spam.example": "allow", "friend.example": "allow"}
    with pytest.raises(ValueError, match="unknown domain rule"):
        domain_rules.set_domain_rule(connection, "x.example", "maybe", now=NOW)

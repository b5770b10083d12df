"""Intake and the verification queue on a real SQLite file: tokens, leases, retries."""

from __future__ import annotations

from contextlib import closing

from alusta import store
from alusta.db import connect
from alusta.models import MentionStatus
from alusta.verification_queue import (
    claim_due,
    enqueue,
    next_due_at,
    release_claims,
    schedule_retry,
)
from tests.mention_requests import NOW, TARGET, request


def test_enqueue_stores_a_queued_mention_with_a_status_token(connection, tmp_path):
    mention = enqueue(connection, request(), now=NOW)
    assert mention.status == MentionStatus.QUEUED
    assert mention.verifying
    assert len(mention.token) >= 20
    assert mention.received == "2027-01-15T08:00:00+00:00"
    with closing(connect(tmp_path / "alusta.sqlite3")) as other:  # committed: others see it
        assert store.mention_by_token(other, mention.token).id == mention.id


def test_same_source_and_any_spelling_of_target_is_one_mention(connection):
    first = enqueue(connection, request(), now=NOW)
    again = enqueue(
        connection,
        request(target="http://ALUSTA.example/posts/hello.html?utm_source=x"),
        now=NOW + 5,
    )
    assert again.id == first.id
    assert len(store.list_mentions(connection)) == 1
    assert store.list_mentions(connection, target=TARGET)[0].id == first.id


def test_claim_due_takes_each_job_once_until_its_lease_runs_out(connection):
    mention = enqueue(connection, request(), now=NOW)
    claimed = claim_due(connection, now=NOW, limit=10, lease_seconds=60)
    assert [job.id for job in claimed] == [mention.id]
    assert claim_due(connection, now=NOW + 30, limit=10, lease_seconds=60) == []
    assert [j.id for j in claim_due(connection, now=NOW + 61, limit=10, lease_seconds=60)] == [
        mention.id
    ]


def test_release_claims_requeues_jobs_of_a_dead_worker(connection):
    enqueue(connection, request(), now=NOW)
    claim_due(connection, now=NOW, limit=10, lease_seconds=600)
    assert release_claims(connection) == 1
    assert len(claim_due(connection, now=NOW + 1, limit=10, lease_seconds=600)) == 1


def test_retry_waits_until_its_time(connection):
    mention = enqueue(connection, request(), now=NOW)
    claim_due(connection, now=NOW, limit=1, lease_seconds=60)
    schedule_retry(connection, mention.id, reason="timed out", at=NOW + 100, now=NOW)
    assert claim_due(connection, now=NOW + 99, limit=1, lease_seconds=60) == []
    (job,) = claim_due(connection, now=NOW + 100, limit=1, lease_seconds=60)
    assert job.attempts == 1
    assert next_due_at(connection) == NOW + 160  # the new claim's lease


def test_claims_take_hosts_in_turns_so_one_host_cannot_fill_every_slot(connection):
    flood = [f"https://flood.example/{n}" for n in range(12)]
    for n, source in enumerate(flood):
        enqueue(connection, request(source=source), now=NOW + n)
    reply = enqueue(connection, request(source="https://aino.example/vastaus"), now=NOW + 20)
    claimed = claim_due(connection, now=NOW + 30, limit=4, lease_seconds=60)
    assert [job.source for job in claimed] == [flood[0], reply.source, flood[1], flood[2]]
    rest = claim_due(connection, now=NOW + 30, limit=20, lease_seconds=60)
    assert [job.source for job in rest] == flood[3:]  # each host's own order is kept

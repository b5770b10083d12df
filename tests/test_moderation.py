"""Where verified mentions go: policy, domain lists, a moderator's earlier word."""

from __future__ import annotations

from alusta.models import MentionStatus
from alusta.moderation import decide, domain_rule


def status(**changes) -> MentionStatus:
    options = {
        "policy": "queue",
        "development": False,
        "source_host": "blog.example",
        "rules": {},
        "previous": MentionStatus.QUEUED,
        "moderated": "",
    }
    options.update(changes)
    return decide(**options).status


def test_policy_auto_approves_and_queue_holds():
    assert status(policy="auto") == MentionStatus.APPROVED
    assert status(policy="queue") == MentionStatus.PENDING


def test_development_mode_approves_everything_not_blocked():
    assert status(development=True) == MentionStatus.APPROVED
    assert status(development=True, rules={"blog.example": "block"}) == MentionStatus.REJECTED


def test_allowlisted_domain_and_subdomains_are_approved_under_queue():
    assert (
        status(source_host="www.blog.example", rules={"blog.example": "allow"})
        == MentionStatus.APPROVED
    )
    assert (
        status(source_host="notblog.example", rules={"blog.example": "allow"})
        == MentionStatus.PENDING
    )


def test_blocklist_beats_policy_and_earlier_approval():
    rules = {"blog.example": "block"}
    assert (
        status(policy="auto", rules=rules, previous=MentionStatus.APPROVED)
        == MentionStatus.REJECTED
    )


def test_most_specific_domain_rule_wins():
    rules = {"example": "block", "good.example": "allow"}
    assert domain_rule("www.good.example", rules) == "allow"
    assert domain_rule("bad.example", rules) == "block"


def test_moderators_decision_sticks():
    assert status(policy="auto", moderated="rejected") == MentionStatus.REJECTED
    assert status(policy="queue", moderated="approved") == MentionStatus.APPROVED
    assert status(policy="queue", previous=MentionStatus.APPROVED) == MentionStatus.APPROVED

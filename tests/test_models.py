"""The shared records: one table between response kinds and mf2 properties."""

from __future__ import annotations

import pytest

from alusta.models import MF2_PROPERTIES, RESPONSE_KINDS, MentionKind, kind_of_property


def test_every_kind_has_its_mf2_property():
    assert set(MF2_PROPERTIES) == set(MentionKind)
    assert [MF2_PROPERTIES[kind] for kind in RESPONSE_KINDS] == [
        "in-reply-to",
        "like-of",
        "repost-of",
        "bookmark-of",
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("in-reply-to", MentionKind.REPLY),
        ("like-of", MentionKind.LIKE),
        ("repost-of", MentionKind.REPOST),
        ("bookmark-of", MentionKind.BOOKMARK),
        ("mention-of", MentionKind.MENTION),  # a pingback is told by its protocol
        ("rsvp", None),
        ("", None),
    ],
)
def test_a_property_name_gives_its_kind(name, kind):
    assert kind_of_property(name) is kind

"""Language tags from other people's pages (alusta.i18n.tags): known languages only, in
canonical form, never anything that could leave an attribute."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alusta.i18n.tags import language_tag, primary_language

CANONICAL = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-[A-Z0-9]{4,8})*")


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("en", "en"),
        ("EN-gb", "en-GB"),
        (" sv ", "sv"),
        ("zh_Hant_TW", "zh-Hant-TW"),
        ("se", "se"),  # Northern Sámi
        ("ca-ES-valencia", "ca-ES-VALENCIA"),
        ("smn", "smn"),  # Inari Sámi
        ("und", ""),  # says nothing (Babel would guess en-US)
        ("x-klingon", ""),
        ('en"><script>', ""),
        ("", ""),
        (None, ""),
        ("e" * 40, ""),
    ],
)
def test_known_languages_come_back_canonical_and_the_rest_empty(value, tag):
    assert language_tag(value) == tag


TAG_LIKE = st.from_regex(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,3}", fullmatch=True)


@given(st.one_of(st.text(max_size=40), TAG_LIKE))
def test_whatever_a_page_says_the_tag_is_canonical_or_empty(value):
    tag = language_tag(value)
    assert tag == "" or CANONICAL.fullmatch(tag), tag
    assert language_tag(tag) == tag  # canonical is a fixed point


def test_the_primary_language_decides_whether_a_part_is_in_another_language():
    assert primary_language("en-GB") == "en" == primary_language("en")

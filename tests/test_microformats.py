"""Reading the responding h-entry with mf2py (pure parsing, no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alusta.errors import SourceTooComplex
from alusta.microformats import MF2_MAX_CHARS, MF2_MAX_DEPTH, EntryFields, mf2_depth, read_entry
from alusta.models import Author, MentionKind

SOURCES = Path(__file__).parent / "data" / "sources"

TARGET = "https://blogi.example.fi/2026/kevat/"
URL = "https://source.example/notes/1"


def entry(html: str) -> EntryFields:
    return read_entry(html, url=URL, target=TARGET)


@pytest.mark.parametrize(
    ("markup", "kind"),
    [
        (f'<a class="u-in-reply-to" href="{TARGET}">r</a>', MentionKind.REPLY),
        (f'<a class="u-like-of" href="{TARGET}">l</a>', MentionKind.LIKE),
        (f'<a class="u-repost-of" href="{TARGET}">r</a>', MentionKind.REPOST),
        (f'<a class="u-bookmark-of" href="{TARGET}">b</a>', MentionKind.BOOKMARK),
        (f'<div class="u-in-reply-to h-cite"><a class="u-url" href="{TARGET}">c</a></div>',
         MentionKind.REPLY),
        (f'<a class="u-in-reply-to" href="https://muu.example/">o</a><a href="{TARGET}">m</a>',
         MentionKind.MENTION),
        (f'<a class="u-like-of" href="{TARGET}toinen/">other page</a>', MentionKind.MENTION),
    ],
)  # fmt: skip
def test_kind_comes_from_the_property_pointing_at_the_target(markup, kind):
    assert entry(f'<div class="h-entry">{markup}</div>').kind is kind


def test_nested_entry_pointing_at_target_wins_over_top_level_one():
    html = (
        '<div class="h-entry"><p class="p-name">ulompi</p>'
        f'<div class="h-entry"><p class="p-name">sisempi</p><a class="u-like-of" href="{TARGET}">'
        "x</a></div></div>"
    )
    assert (entry(html).kind, entry(html).name) == (MentionKind.LIKE, "sisempi")


def test_author_as_url_borrows_the_matching_page_card():
    html = (
        '<div class="h-card"><a class="u-url p-name" href="https://muu.example/">Muu</a></div>'
        '<div class="h-card"><a class="u-url p-name" href="https://maija.example/">Maija</a>'
        '<img class="u-photo" src="https://maija.example/m.jpg" alt="Maija"></div>'
        '<div class="h-entry"><a class="u-author" href="https://maija.example/"></a></div>'
    )
    assert entry(html).author == Author(
        "Maija", "https://maija.example/", "https://maija.example/m.jpg"
    )


def test_author_url_without_card_keeps_the_url():
    html = '<div class="h-entry"><a class="u-author" href="https://maija.example/"></a></div>'
    assert entry(html).author == Author(url="https://maija.example/")


def test_page_card_is_used_when_the_page_has_no_entry():
    html = (
        '<div class="h-card"><a class="u-url p-name" href="https://maija.example/">Maija</a></div>'
    )
    assert entry(html).author == Author("Maija", "https://maija.example/")


def test_unsafe_author_urls_are_dropped():
    html = (
        '<div class="h-entry"><div class="p-author h-card"><span class="p-name">X</span>'
        '<a class="u-url" href="javascript:alert(1)">u</a>'
        '<img class="u-photo" src="data:image/png;base64,AAAA"></div></div>'
    )
    assert entry(html).author == Author(name="X")


def test_plain_text_content_is_escaped():
    html = (
        '<div class="h-entry"><p class="p-name">N</p><p class="p-content">a &lt;b&gt; c</p></div>'
    )
    fields = entry(html)
    assert (fields.content_html, fields.content_text) == ("<p>a &lt;b&gt; c</p>", "a <b> c")


def test_summary_stands_in_for_missing_content():
    html = (
        '<div class="h-entry"><p class="p-name">Nimi</p><p class="p-summary">Tiivistelmä</p></div>'
    )
    assert entry(html).content_text == "Tiivistelmä"


def test_explicit_name_different_from_content_is_kept():
    html = (
        '<div class="h-entry"><h1 class="p-name">Otsikko</h1><p class="e-content">Teksti</p></div>'
    )
    assert (entry(html).name, entry(html).content_text) == ("Otsikko", "Teksti")


def test_page_without_microformats_has_empty_fields():
    assert entry(f'<p><a href="{TARGET}">k</a></p>') == EntryFields()


def test_markup_nested_past_the_parsers_recursion_is_too_complex_to_read():
    html = '<div class="h-entry">' + "<div>" * 5000 + f'<a class="u-like-of" href="{TARGET}">x</a>'
    with pytest.raises(SourceTooComplex):
        entry(html)


def test_microformats_nested_past_the_depth_cap_are_too_complex_without_parsing():
    nested = '<div class="h-cite e-content">' * (MF2_MAX_DEPTH + 1)
    html = f'<div class="h-entry">{nested}<a class="u-like-of" href="{TARGET}">x</a>'
    assert mf2_depth(html) == MF2_MAX_DEPTH + 3  # the h-entry, the h-cites, the u-like-of
    with pytest.raises(SourceTooComplex, match="deeper than"):
        entry(html)


def test_a_real_thread_nests_well_within_the_depth_cap():
    page = (SOURCES / "reply-to-comment.html").read_text(encoding="utf-8")
    assert 0 < mf2_depth(page) < MF2_MAX_DEPTH / 4


def test_entry_after_the_parse_limit_reads_as_a_mention():
    html = (
        "<p>"
        + "x" * MF2_MAX_CHARS
        + f'</p><div class="h-entry"><a class="u-like-of" href="{TARGET}">x</a></div>'
    )
    assert entry(html).kind is MentionKind.MENTION


def test_a_reply_to_a_comment_keeps_the_comment_as_its_parent():
    comment = "https://aino.example/vastaus"
    html = (
        '<div class="h-entry"><p class="e-content">Samaa mieltä</p>'
        f'<a class="u-in-reply-to" href="{TARGET}">post</a>'
        f'<div class="u-in-reply-to h-cite"><a class="u-url" href="{comment}">Aino</a></div></div>'
    )
    found = entry(html)
    assert (found.kind, found.in_reply_to) == (MentionKind.REPLY, comment)


@pytest.mark.parametrize(
    "markup",
    [
        f'<a class="u-in-reply-to" href="{TARGET}">only the post</a>',
        f'<a class="u-in-reply-to" href="{TARGET}">p</a><a class="u-in-reply-to" '
        'href="javascript:alert(1)">bad</a>',
        f'<a class="u-like-of" href="{TARGET}">a like</a>',
    ],
)
def test_a_reply_to_the_post_alone_or_to_no_web_page_has_no_parent(markup):
    assert entry(f'<div class="h-entry">{markup}</div>').in_reply_to == ""


@pytest.mark.parametrize(
    ("html", "lang"),
    [
        ('<html lang="en"><body><div class="h-entry"><p class="e-content">Hi</p></div>', "en"),
        ('<html lang="en"><body><div class="h-entry" lang="sv-FI">'
         '<p class="e-content">Hej</p></div>', "sv-FI"),
        ('<html lang="fi"><body><div class="h-entry">'
         '<div class="e-content" lang="de">Hallo</div></div>', "de"),
        ('<html lang="&quot;&gt;&lt;script&gt;"><body><div class="h-entry">'
         '<p class="e-content">x</p></div>', ""),
        ('<html lang="und"><body><div class="h-entry"><p class="e-content">x</p></div>', ""),
        ('<html><body><div class="h-entry"><p class="e-content">x</p></div>', ""),
    ],
)  # fmt: skip
def test_the_replys_language_is_its_contents_else_its_entrys_else_its_pages(html, lang):
    assert entry(html).lang == lang

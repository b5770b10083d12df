"""Finding the link to the target in HTML, JSON and text (pure parsing, no network)."""

from __future__ import annotations

import pytest

from alusta.source_links import (
    EXCERPT_CHARS,
    excerpt_around,
    find_in_html,
    find_in_json,
    find_in_text,
    scan_html,
)

TARGET = "https://blogi.example.fi/2026/kevat/"
BASE = "https://source.example/notes/1"


def found_in_html(html: str, target: str = TARGET) -> bool:
    return find_in_html(scan_html(html, BASE), target) is not None


@pytest.mark.parametrize(
    "html",
    [
        f'<a href="{TARGET}">a</a>',
        f"<A HREF='{TARGET}'>upper case</A>",
        f"<a href={TARGET}>unquoted</a>",
        f'<img src="{TARGET}">',
        f'<video><source src="{TARGET}"></video>',
        f'<link rel="in-reply-to" href="{TARGET}">',
        f'<iframe src="{TARGET}"></iframe>',
        f'<blockquote cite="{TARGET}">q</blockquote>',
        f'<a href="  {TARGET}  ">spaces</a>',
        '<a href="https://blogi.example.fi/2026/kevat/?a=1&amp;utm_source=x">entity</a>',
        '<a href="http://BLOGI.example.fi/2026/kevat">other spelling</a>',
        '<p>broken <a href="https://blogi.example.fi/2026/kevat/">markup<div></p>',
    ],
)
def test_url_attributes_link(html):
    target = TARGET + "?a=1" if "a=1" in html else TARGET
    assert found_in_html(html, target)


@pytest.mark.parametrize(
    "html",
    [
        f"<!-- <a href='{TARGET}'>x</a> -->",
        f"<script>var s = '<a href=\"{TARGET}\">';</script>",
        f"<style>a[href='{TARGET}'] {{}}</style>",
        f"&lt;a href='{TARGET}'&gt;escaped&lt;/a&gt;",
        f"<textarea><a href='{TARGET}'></a></textarea>",
        f"<title><a href='{TARGET}'></a></title>",
        f"<p>{TARGET}</p>",
        f'<a title="{TARGET}" href="/x">attribute that is not a link</a>',
        '<a href="https://blogi.example.fi/2026/kevat/toinen/">longer URL</a>',
        '<a href="https://blogi.example.fi/2026/">shorter URL</a>',
        f'<base href="{TARGET}"><a href="/elsewhere">base is not a link</a>',
    ],
)
def test_text_comments_and_other_urls_do_not_link(html):
    assert not found_in_html(html)


def test_relative_link_resolves_against_the_source_url():
    page = scan_html('<a href="../2/">x</a>', "https://blogi.example.fi/2026/kevat/1/")
    assert find_in_html(page, "https://blogi.example.fi/2026/kevat/2/") is not None


def test_only_the_first_base_href_counts():
    html = (
        '<base href="https://blogi.example.fi/2026/"><base href="https://x.example/">'
        '<a href="kevat/">k</a>'
    )
    assert found_in_html(html)


def test_scan_reads_title_and_meta_gone():
    page = scan_html(
        "<title> Otsikko &amp;\n muuta </title><META HTTP-EQUIV='status' CONTENT='410 Gone'>", BASE
    )
    assert (page.title, page.gone) == ("Otsikko & muuta", True)
    assert not scan_html("<meta http-equiv='Status' content='200 OK'>", BASE).gone


def test_html_excerpt_is_the_text_around_the_link():
    words = " ".join(f"sana{i}" for i in range(100))
    html = f"<p>{words}</p><p>Katso <a href='{TARGET}'>Kevät tulee</a> nyt.</p><p>{words}</p>"
    excerpt = find_in_html(scan_html(html, BASE), TARGET).excerpt
    assert "sana99 Katso Kevät tulee nyt. sana0" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) <= EXCERPT_CHARS + 2


def test_excerpt_near_the_start_is_not_cut_in_front():
    assert excerpt_around("Alku ja loppu", 0) == "Alku ja loppu"


@pytest.mark.parametrize(
    "document",
    [
        f'"{TARGET}"',
        f'{{"a": {{"b": [1, null, "{TARGET}"]}}}}',
        '{"url": "http://blogi.example.fi/2026/kevat"}',
    ],
)
def test_json_string_values_link(document):
    assert find_in_json(document, TARGET) is not None


@pytest.mark.parametrize(
    "document",
    [
        f'{{"{TARGET}": 1}}',
        f'{{"text": "see {TARGET}"}}',
        "not json",
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_json_keys_text_and_broken_json_do_not_link(document):
    assert find_in_json(document, TARGET) is None


@pytest.mark.parametrize(
    "text",
    [
        f"Lue {TARGET}.",
        f"(katso {TARGET})",
        f"<{TARGET}>",
        "http://blogi.example.fi/2026/kevat?utm_medium=email, kiitos",
    ],
)
def test_text_with_the_url_links(text):
    found = find_in_text(text, TARGET)
    assert found is not None
    assert "blogi.example.fi/2026/kevat" in found.excerpt


@pytest.mark.parametrize(
    "text",
    [
        "https://blogi.example.fi/2026/kevat/toinen/",
        "https://blogi.example.fi/2026/kevatx",
        "blogi.example.fi/2026/kevat/ without scheme",
    ],
)
def test_text_with_a_longer_or_partial_url_does_not_link(text):
    assert find_in_text(text, TARGET) is None

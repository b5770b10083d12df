"""The links and the content hash read from a built post (alusta.post_links)."""

from __future__ import annotations

import hashlib

import pytest
from bs4 import BeautifulSoup

from alusta.post_links import PostUnreadable, post_content

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


def test_the_content_hash_is_that_of_the_whole_page_parse():
    """Hashes stored by earlier sends stay valid: the same digest as a full parse gives."""
    full = BeautifulSoup(POST_HTML, "html.parser").find(class_="e-content")
    expected = hashlib.sha256(str(full).encode("utf-8")).hexdigest()

    assert post_content(POST_HTML, "https://alusta.example/x").content_hash == expected

"""The links and the content hash read from a built post (alusta.post_links)."""

from __future__ import annotations

import hashlib

import pytest
from bs4 import BeautifulSoup, SoupStrainer

from alusta.post_links import PostUnreadable, outbound_links, post_content

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


# Content a writer may put in a post that makes a quick cut after e-content's end tag wrong:
# end tags inside comments, scripts, attributes and marked sections, unclosed elements.
AWKWARD_CONTENT = [
    '<div><p>nested</div></p><a href="/rel">r</a>',
    '<div>left open <a href="http://b.example/">b</a>',
    "<!-- <div> --> a comment opens a div",
    '<!-- </div> --> a comment closes one <a href="http://c.example">c</a>',
    '<script>document.write("</div>")</script><a href=http://d.example>d</a>',
    '<a title="</div>" href="http://e.example/">double quotes</a>',
    "<a title='</div>' href='http://e.example/'>single quotes</a>",
    '<a title=</div> href="http://e.example/">no quotes</a>',
    '<a href="http://h.example/"</div>>broken tag</a>',
    "<![CDATA[ </div> ]]> a marked section",
    "<style>.x{}</div></style>",
    '<DIV>upper case</DIV></Div><a href="http://f.example/">f</a>',
    '<div\n class="q">new lines</div\n>',
    "<p>&amp; &nbsp; &lt;</p><br><img src='/i.png'>",
    '</div><a href="http://g.example/">after an early end tag</a>',
]


def _whole_page_parse(html: str, url: str) -> tuple[str, tuple[str, ...]]:
    """What the build stored before it cut pages: every e-content of the whole page parsed."""
    only_content = SoupStrainer(class_=lambda value: "e-content" in str(value or "").split())
    content = BeautifulSoup(html, "html.parser", parse_only=only_content).find(class_="e-content")
    hrefs = [a.get("href") for a in content.find_all(("a", "area"), href=True)]
    return hashlib.sha256(str(content).encode("utf-8")).hexdigest(), outbound_links(hrefs, url)


@pytest.mark.parametrize("body", AWKWARD_CONTENT)
@pytest.mark.parametrize("tag", ["div", "section"])
def test_awkward_content_reads_as_the_whole_page_parse_reads_it(body: str, tag: str):
    url = "https://alusta.example/2026/10/eka/"
    html = (
        '<html><body><article class="h-entry"><h1>T</h1>'
        f'<{tag} class="e-content entry-content">{body}</{tag}>\n'
        '<footer><a href="http://theme.example/">theme</a></footer></article>'
        '<div class="e-content">a second one</div></body></html>'
    )
    post = post_content(html, url)

    assert (post.content_hash, post.links) == _whole_page_parse(html, url)

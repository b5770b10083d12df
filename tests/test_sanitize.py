"""The sanitiser against a hostile corpus: only the allowlist survives, links are tamed."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from alusta.sanitize import ALLOWED_TAGS, LINK_REL, sanitize_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<p onclick='alert(1)' onmouseover=alert(2)>text</p>",
    "<a href='javascript:alert(1)'>x</a>",
    "<a href='JaVaScRiPt:alert(1)'>x</a>",
    "<a href='java&#x09;script:alert(1)'>x</a>",
    "<a href=' javascript:alert(1)'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>x</a>",
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style='background:url(javascript:alert(1))'>css</div>",
    "<p style='position:fixed;top:0;left:0;width:100%;height:100%'>overlay</p>",
    "<iframe src='https://evil.example/'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<form action='https://evil.example/'><input name=p><button>go</button></form>",
    "<meta http-equiv='refresh' content='0;url=https://evil.example/'>",
    "<base href='https://evil.example/'>",
    "<link rel=stylesheet href='https://evil.example/x.css'>",
    "<a href='https://ok.example/' target=_blank rel=opener>x</a>",
    "<p id='login' class='admin-banner'>x</p>",
    "<!--<script>alert(1)</script>-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<p>unclosed <b>bold <a href='https://ok.example/'>link",
    "</p></div></body></html><p>stray</p>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>",
    "<template><script>alert(1)</script></template>",
    "<video src=x onerror=alert(1)></video><audio src=x>",
    "<table><tr><td>cell</td></tr></table>",
    "<img src='https://tracker.example/pixel.gif'>",
    "<a href='https://ok.example/' onclick='steal()'>x</a>",
]


class Elements(HTMLParser):
    """Every start tag with its attributes, to assert on parsed output."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_markup_keeps_only_allowlisted_tags_and_attributes(html):
    clean = sanitize_html(html, base_url="https://source.example/post/")
    for tag, attrs in Elements(clean).elements:
        assert tag in ALLOWED_TAGS
        allowed = {"href", "rel"} if tag == "a" else set()
        assert set(attrs) <= allowed
        if tag == "a":
            assert attrs["rel"] == LINK_REL
            href = attrs.get("href")
            assert href is None or href.startswith(("https://", "http://", "mailto:"))
    lowered = clean.lower()  # text may still say "alert(1)", escaped; markup may not
    for needle in ("<script", "<svg", "<style", "<img", "<iframe", "onerror=", "style="):
        assert needle not in lowered


def test_allowed_formatting_survives():
    html = (
        "<p>Hei <em>sinä</em> <strong>siellä</strong><br><b>b</b> <i>i</i></p>"
        "<blockquote><q>lainaus</q></blockquote><pre><code>x = 1</code></pre>"
        "<ul><li>yksi</li></ul><ol><li>kaksi</li></ol>"
    )
    assert sanitize_html(html) == html


def test_links_get_rel_and_keep_safe_schemes():
    clean = sanitize_html(
        "<a href='https://a.example/x' rel='me'>a</a><a href='mailto:a@b.example'>m</a>"
        "<a href='ftp://a.example/'>f</a>"
    )
    elements = Elements(clean).elements
    assert [attrs.get("href") for _, attrs in elements] == [
        "https://a.example/x",
        "mailto:a@b.example",
        None,
    ]
    assert {attrs["rel"] for _, attrs in elements} == {LINK_REL}


def test_relative_links_resolve_against_base_or_are_dropped():
    html = "<a href='../other/'>o</a>"
    resolved = Elements(sanitize_html(html, base_url="https://s.example/a/b/")).elements
    assert resolved[0][1]["href"] == "https://s.example/a/other/"
    assert "href" not in Elements(sanitize_html(html)).elements[0][1]


def test_script_and_style_content_is_dropped_with_the_tag():
    assert sanitize_html("<p>a</p><script>var x=1</script><style>p{}</style>b") == "<p>a</p>b"


def test_unknown_tags_keep_their_text():
    assert sanitize_html("<div><span>teksti</span></div>") == "teksti"

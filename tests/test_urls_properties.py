"""Property tests of URL handling (Hypothesis): any text a sender writes is either a URL key
or a NotHttpURL, never another exception, and keys are stable (issue 11, item 8)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from alusta.urls import NotHttpURL, host_of, is_http_url, normalize_url

HOSTS = st.one_of(
    st.text(min_size=1, max_size=20),
    st.sampled_from(["xn--localhost", "a.example", "xn--", "ä.fi", "[::1]", "x..y", "-a-.b", "["]),
)
URLS = st.builds(
    lambda scheme, host, port, path, query: f"{scheme}://{host}{port}{path}{query}",
    st.sampled_from(["http", "https", "HTTP", "ftp"]),
    HOSTS,
    st.one_of(st.just(""), st.integers(-5, 100_000).map(lambda n: f":{n}")),
    st.text(max_size=20).map(lambda text: "/" + text),
    st.one_of(st.just(""), st.text(max_size=10).map(lambda text: "?" + text)),
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(URLS, st.text()))
@example("http://xn--localhost:8000/")  # an IDNA error once ended as "internal error"
@example("http://\xa0/")  # a no-break space as the host once normalised to a key it refused
@example("http://[/")  # an unclosed IPv6 bracket once raised ValueError from host_of
def test_any_text_is_a_stable_key_or_not_a_url(text):
    assert isinstance(is_http_url(text), bool)
    assert isinstance(host_of(text), str)
    try:
        key = normalize_url(text)
    except NotHttpURL:
        assert not is_http_url(text.strip())
        return
    assert is_http_url(key)
    assert normalize_url(key) == key


def test_hosts_that_no_fetcher_could_use_are_not_urls():
    for url in ("http://xn--localhost:8000/", "http://x..y/", "http://-a-.b/", "http://\xa0/"):
        assert not is_http_url(url), url
    assert normalize_url("https://Ä.fi/") == "https://xn--4ca.fi/"
    assert normalize_url("https://a_b.example/") == "https://a_b.example/"

"""URL normalisation: equivalent spellings of our URLs match, different pages do not."""

from __future__ import annotations

import pytest

from alusta.urls import NotHttpURL, is_http_url, normalize_url, same_url

POST = "https://blogi.example.fi/2026/kevat/"


@pytest.mark.parametrize(
    "spelling",
    [
        "https://blogi.example.fi/2026/kevat/",
        "http://blogi.example.fi/2026/kevat/",
        "HTTPS://BLOGI.Example.FI/2026/kevat/",
        "https://blogi.example.fi:443/2026/kevat/",
        "http://blogi.example.fi:80/2026/kevat/",
        "https://blogi.example.fi/2026/kevat",
        "https://blogi.example.fi/2026/kevat/index.html",
        "https://blogi.example.fi/2026/kevat/#comments",
        "https://blogi.example.fi/2026/kevat/?utm_source=x&utm_medium=y",
        "https://blogi.example.fi/2026/kevat/?fbclid=abc&gclid=1&mc_cid=2&mc_eid=3&ref_src=t",
        "https://blogi.example.fi./2026/kevat/",
        "  https://blogi.example.fi/2026/kevat/  ",
        "https://blogi.example.fi/2026/%6Bevat/",
    ],
)
def test_equivalent_spellings_match(spelling):
    assert same_url(spelling, POST)
    assert normalize_url(spelling) == "https://blogi.example.fi/2026/kevat"


@pytest.mark.parametrize(
    "other",
    [
        "https://blogi.example.fi/2026/kevat/toinen/",
        "https://blogi.example.fi/2026/",
        "https://toinen.example.fi/2026/kevat/",
        "https://blogi.example.fi:8443/2026/kevat/",
        "https://blogi.example.fi/2026/kevat/?page=2",
        "https://blogi.example.fi/2026/Kevat/",
    ],
)
def test_different_pages_do_not_match(other):
    assert not same_url(other, POST)


def test_other_query_parameters_are_kept_and_sorted():
    key = normalize_url("https://a.example/haku?q=kevät&a=1&utm_campaign=x&a=0")
    assert key == "https://a.example/haku?a=0&a=1&q=kev%C3%A4t"


def test_root_and_unicode_paths():
    assert normalize_url("https://a.example") == "https://a.example/"
    assert normalize_url("https://a.example/index.html") == "https://a.example/"
    assert same_url(
        "https://a.example/hyvää-päivää/", "https://a.example/hyv%C3%A4%C3%A4-p%C3%A4iv%C3%A4%C3%A4"
    )


def test_international_host_matches_its_punycode():
    assert same_url("https://hyvää.example/", "https://xn--hyv-slaa.example/")


def test_ipv6_host_keeps_brackets():
    assert normalize_url("http://[2001:DB8::1]:8080/a/") == "https://[2001:db8::1]:8080/a"


@pytest.mark.parametrize(
    "url",
    ["https://a.example/", "http://a.example:8000/x?y=1", "HTTP://A.EXAMPLE", "http://[::1]/"],
)
def test_is_http_url_accepts(url):
    assert is_http_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/relative/path",
        "a.example/x",
        "ftp://a.example/",
        "javascript:alert(1)",
        "mailto:x@a.example",
        "https://",
        "http:///path",
        "https://a.example:99999/",
        "https://a.example/with space",
        "https://a.example/\nx",
        "data:text/html,hi",
    ],
)
def test_is_http_url_refuses(url):
    assert not is_http_url(url)
    assert not same_url(url, url)
    with pytest.raises(NotHttpURL):
        normalize_url(url)

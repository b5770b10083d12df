"""Sanitise HTML that strangers send before it is stored (nh3, a small allowlist).

A mention's content is shown on our pages, so it keeps only text formatting, quotes, code,
lists and links. Links may only point to http, https or mailto URLs and get
`rel="nofollow ugc noopener"`: ugc and nofollow tell search engines we do not vouch for
them (spam), noopener keeps the linked page from reaching back into ours. Scripts, styles,
SVG, MathML, frames and forms are dropped together with their content; every other tag
is dropped but its text kept.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "a", "em", "strong", "b", "i", "blockquote", "q", "code", "pre", "ul", "ol",
    "li",
})  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "svg", "math", "template", "iframe", "frame", "frameset", "object",
    "embed", "noscript", "noembed", "noframes", "textarea", "select", "button", "head",
    "title", "xmp", "plaintext", "canvas", "audio", "video",
})  # fmt: skip


def sanitize_html(html: str, *, base_url: str | None = None) -> str:
    """`html` reduced to the allowlist; relative links resolved against `base_url`.

    Without a base URL relative links are removed, since they would point into our site.
    """
    url_relative: str | tuple[str, str] = ("rewrite_with_base", base_url) if base_url else "deny"
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        url_relative=url_relative,
        strip_comments=True,
    ).strip()

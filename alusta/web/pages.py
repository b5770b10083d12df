"""Short human pages for people who post the reply form from a browser.

Senders' software reads status codes; a person who pressed a button reads a sentence.
The page wears the target site's theme (its frame, kept by the build: alusta/page_frames)
and speaks the site's language once the route has told which site the request is about
(`about_site`); before that (a refusal of a request without a usable target) the main
site's frame in the visitor's language by Accept-Language. Every sentence comes from the
gettext catalogues (alusta.i18n.texts); semantic HTML (WCAG 2.1 AA: language, title, one
heading, a link back to where they came from). Without a frame (no build yet) the page is
plain HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

from alusta.i18n import LANGUAGES
from alusta.i18n.texts import N_, translate
from alusta.page_frames import fill, load_frame
from alusta.settings import Settings
from alusta.sites import MAIN_SITE_NAME
from alusta.urls import SiteBases

SITE_KEY = "alusta.page_site"  # the request scope's note of the site a page is about

# What each page says, as English msgids translated from theme/translations when shown.
TEXTS: dict[str, str] = {
    "accepted_title": N_("Thank you, your response was received"),
    "accepted": N_(
        "We are checking that your page links to this post. "
        "Your response appears under the post once it has been checked."
    ),
    "status_link": N_("Processing status"),
    "rejected_title": N_("Your response could not be accepted"),
    "limited_title": N_("Too many requests"),
    "limited": N_("Please try again in a moment."),
    "status_title": N_("Status of your response"),
    "back": N_("Back to the post"),
    "queued": N_("Waiting to be checked."),
    "pending": N_("Checked, waiting for a moderator."),
    "approved": N_("Checked and published."),
    "rejected": N_("Rejected."),
    "deleted": N_("Removed: the source page is gone or no longer links here."),
    "InvalidSource": N_(
        "Enter the full address of your own post, for example https://my.blog.example/reply."
    ),
    "InvalidTarget": N_(
        "The form did not say which post you reply to. Send it from the post's page."
    ),
    "SameURL": N_("Enter the address of your own post, not the address of this post."),
    "NotOurSite": N_("The target is not a post on this site."),
    "UnknownPage": N_("The target page does not exist on this site."),
}

# The technical reasons senders read (alusta.endpoint.errors.reason_for, stored with a
# mention) told to a person: the first pattern that matches the start of the reason wins.
REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"source does not link to target"), N_("Your page does not link to this post.")),
    (
        re.compile(r"source .* (is gone|says it is gone)"),
        N_("Your page has been removed (410 Gone)."),
    ),
    (re.compile(r"source .* answered 5"), N_("Your page could not be read just now.")),
    (re.compile(r"source .* answered"), N_("Your page could not be found.")),
    (re.compile(r"source .* cannot hold a link"), N_("Your address is not a web page.")),
    (re.compile(r"verification took too long"), N_("Your page took too long to load.")),
    (re.compile(r"source too complex to read"), N_("Your page is too complex to read.")),
    (re.compile(r".* resolves to a refused address"), N_("Your address cannot be fetched.")),
    (re.compile(r"request body is larger"), N_("The request was too large.")),
    (re.compile(r"expected a body|the form is not valid"), N_("The request was not a form.")),
    (re.compile(r"(rejected|deleted) by (a )?moderator"), N_("A moderator removed it.")),
)
OTHER_REASON = N_("Your response could not be checked.")


@dataclass(frozen=True)
class PageSite:
    """The site a person's request is about: its frame and language dress the page."""

    name: str
    lang: str
    back: str = ""  # the page the person came from, when the request named one of ours


def about_site(request: Request, settings: Settings, target_or_name: str) -> None:
    """Note which site the request is about (a target URL, or a site's name); unknown
    addresses leave the note unset."""
    names = {site.name: site for site in settings.sites}
    name = target_or_name if target_or_name in names else None
    if name is None and target_or_name:
        name = SiteBases({s.name: s.siteurl for s in settings.sites}).owner_of(target_or_name)
    if name is not None:
        back = target_or_name if target_or_name.startswith(("http://", "https://")) else ""
        request.scope[SITE_KEY] = PageSite(name=name, lang=names[name].lang, back=back)


def our_page(settings: Settings, url: str) -> str:
    """`url` when it lies on one of our sites, else the main site's home ('' stays '').

    A back link is often the Referer, which the visitor's browser (or anyone) writes: a
    page of ours must not send a person on to wherever that header points."""
    if not url:
        return ""
    if SiteBases({s.name: s.siteurl for s in settings.sites}).owner_of(url) is not None:
        return url
    return settings.main.siteurl + "/"


def wants_html(request: Request) -> bool:
    """True for browsers: they list text/html in Accept, senders' libraries do not."""
    return "text/html" in request.headers.get("accept", "")


def language(request: Request) -> str:
    """The language of the site the request is about; without one, the first of fi/sv/en
    the visitor prefers by Accept-Language; Finnish otherwise."""
    site = request.scope.get(SITE_KEY)
    if isinstance(site, PageSite):
        return site.lang
    ranked = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else LANGUAGES[0]


def page(
    request: Request,
    *,
    title_key: str,
    lines: list[str],
    status: int,
    link: tuple[str, str] | None = None,
    back: str = "",
    headers: dict[str, str] | None = None,
    settings: Settings | None = None,
) -> HTMLResponse:
    """A heading, paragraphs and links (escaped here) in the site's frame, when `settings`
    say where the build keeps frames and one exists; else a minimal page of its own."""
    lang = language(request)
    site = request.scope.get(SITE_KEY)
    back = back or (site.back if isinstance(site, PageSite) else "")
    back = our_page(settings, back) if settings is not None else ""
    title = escape(translate(TEXTS[title_key], lang))
    body = _body(title, lines, _links(lang, link, back))
    name = site.name if isinstance(site, PageSite) else MAIN_SITE_NAME
    frame = load_frame(settings.var_dir, name, lang) if settings is not None else None
    if frame is not None:
        return HTMLResponse(
            fill(frame, title=title, body=body), status_code=status, headers=headers
        )
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def _links(lang: str, link: tuple[str, str] | None, back: str) -> list[tuple[str, str]]:
    links = [(translate(TEXTS[link[0]], lang), link[1])] if link else []
    if back.startswith(("http://", "https://")):
        links.append((translate(TEXTS["back"], lang), back))
    return links


def _body(title: str, lines: list[str], links: list[tuple[str, str]]) -> str:
    """The page's own part: `title` is escaped already; lines and links are escaped here."""
    tags = ['<p class="lead">', *["<p>"] * (len(lines) - 1)] if lines else []
    paragraphs = "".join(f"{tag}{escape(line)}</p>" for tag, line in zip(tags, lines, strict=True))
    items = "".join(f'<li><a href="{escape(url)}">{escape(text)}</a></li>' for text, url in links)
    return f"<h1>{title}</h1>{paragraphs}" + (
        f'<ul class="endpoint-links">{items}</ul>' if items else ""
    )


def text(request: Request, key: str) -> str:
    """One of TEXTS in the visitor's language."""
    return translate(TEXTS[key], language(request))


def reason_text(request: Request, reason: str) -> str:
    """A technical refusal or rejection reason as a sentence in the visitor's language."""
    message = next((m for pattern, m in REASONS if pattern.match(reason)), OTHER_REASON)
    return translate(message, language(request))

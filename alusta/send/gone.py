"""The small page left at a deleted post's address, saying 410 Gone.

A static host cannot answer with status 410, so the page says it in
`<meta http-equiv="Status" content="410 Gone">`, the marker Webmention receivers (and our
own endpoint) read as "the source was deleted" (Webmention §3.2.4 deletes). Visitors get a
short note in the site's language first, then the other two, and a link home.
"""

from __future__ import annotations

from html import escape

from alusta.build_record import GONE_META
from alusta.i18n import LANGUAGES
from alusta.i18n.texts import N_, site_language, translate

# (title, explanation, link to the front page): gettext msgids, shown in every language.
TEXTS = (
    N_("The post has been removed"),
    N_("The post that was at this address has been removed."),
    N_("Go to the front page"),
)


def gone_page(*, lang: str, site_title: str, siteurl: str) -> str:
    """The HTML of a 410 page for a site in language `lang` (fi, sv or en)."""
    lang = site_language(lang)
    title = translate(TEXTS[0], lang)
    order = [lang, *(other for other in LANGUAGES if other != lang)]
    sections = "\n".join(_section(code, first=code == lang, siteurl=siteurl) for code in order)
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
{GONE_META}
<meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} – {escape(site_title)}</title>
</head>
<body>
<main>
{sections}
</main>
</body>
</html>
"""


def _section(lang: str, *, first: bool, siteurl: str) -> str:
    title, text, home = (translate(message, lang) for message in TEXTS)
    heading = "h1" if first else "h2"
    return (
        f'<section lang="{lang}"><{heading}>{escape(title)}</{heading}>'
        f'<p>{escape(text)}</p><p><a href="{escape(siteurl)}/">{escape(home)}</a></p></section>'
    )


def is_gone_page(html: str) -> bool:
    """True when a built file is a 410 page (and not a post that happens to be there)."""
    return GONE_META in html

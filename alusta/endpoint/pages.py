"""Short human pages for people who post the reply form from a browser.

Senders' software reads status codes; a person who pressed a button reads a sentence.
Finnish first, Swedish and English by Accept-Language; plain semantic HTML (WCAG 2.1 AA:
language, title, one heading, a link back to where they came from).
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

LANGUAGES = ("fi", "sv", "en")

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "accepted_title": "Kiitos, vastauksesi on vastaanotettu",
        "accepted": "Tarkistamme, että sivusi linkittää tähän kirjoitukseen. "
        "Vastauksesi näkyy kirjoituksen alla, kun se on tarkistettu.",
        "status_link": "Käsittelyn tila",
        "rejected_title": "Vastausta ei voitu ottaa vastaan",
        "limited_title": "Liian monta pyyntöä",
        "limited": "Yritä uudelleen hetken kuluttua.",
        "status_title": "Vastauksen tila",
        "back": "Takaisin kirjoitukseen",
        "queued": "Odottaa tarkistusta.",
        "pending": "Tarkistettu, odottaa moderointia.",
        "approved": "Tarkistettu ja julkaistu.",
        "rejected": "Hylätty.",
        "deleted": "Poistettu: lähdesivu on poistunut tai ei enää linkitä tänne.",
        "InvalidSource": "Kirjoita lomakkeeseen oman kirjoituksesi koko osoite, "
        "esimerkiksi https://oma.blogi.fi/vastaus.",
        "InvalidTarget": "Vastauksen kohdetta ei ollut lomakkeessa. Lähetä lomake "
        "kirjoituksen sivulta.",
        "SameURL": "Anna oman kirjoituksesi osoite, älä tämän kirjoituksen osoitetta.",
        "NotOurSite": "Kohde ei ole tämän sivuston kirjoitus.",
        "UnknownPage": "Kohdesivua ei löydy tältä sivustolta.",
    },
    "sv": {
        "accepted_title": "Tack, ditt svar har tagits emot",
        "accepted": "Vi kontrollerar att din sida länkar till det här inlägget. "
        "Svaret visas under inlägget när det har kontrollerats.",
        "status_link": "Behandlingens status",
        "rejected_title": "Svaret kunde inte tas emot",
        "limited_title": "För många förfrågningar",
        "limited": "Försök igen om en stund.",
        "status_title": "Svarets status",
        "back": "Tillbaka till inlägget",
        "queued": "Väntar på kontroll.",
        "pending": "Kontrollerat, väntar på moderering.",
        "approved": "Kontrollerat och publicerat.",
        "rejected": "Avvisat.",
        "deleted": "Borttaget: källsidan finns inte längre eller länkar inte hit.",
        "InvalidSource": "Skriv hela adressen till ditt eget inlägg, "
        "till exempel https://min.blogg.se/svar.",
        "InvalidTarget": "Formuläret saknade svarets mål. Skicka det från inläggets sida.",
        "SameURL": "Ange adressen till ditt eget inlägg, inte till det här inlägget.",
        "NotOurSite": "Målet är inte ett inlägg på den här webbplatsen.",
        "UnknownPage": "Målsidan finns inte på den här webbplatsen.",
    },
    "en": {
        "accepted_title": "Thank you, your response was received",
        "accepted": "We are checking that your page links to this post. "
        "Your response appears under the post once it has been checked.",
        "status_link": "Processing status",
        "rejected_title": "Your response could not be accepted",
        "limited_title": "Too many requests",
        "limited": "Please try again in a moment.",
        "status_title": "Status of your response",
        "back": "Back to the post",
        "queued": "Waiting to be checked.",
        "pending": "Checked, waiting for a moderator.",
        "approved": "Checked and published.",
        "rejected": "Rejected.",
        "deleted": "Removed: the source page is gone or no longer links here.",
        "InvalidSource": "Enter the full address of your own post, "
        "for example https://my.blog.example/reply.",
        "InvalidTarget": "The form did not say which post you reply to. Send it from the "
        "post's page.",
        "SameURL": "Enter the address of your own post, not the address of this post.",
        "NotOurSite": "The target is not a post on this site.",
        "UnknownPage": "The target page does not exist on this site.",
    },
}


def wants_html(request: Request) -> bool:
    """True for browsers: they list text/html in Accept, senders' libraries do not."""
    return "text/html" in request.headers.get("accept", "")


def language(request: Request) -> str:
    """The first of fi/sv/en the visitor prefers by Accept-Language; Finnish otherwise."""
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
) -> HTMLResponse:
    """A minimal accessible page: heading, paragraphs (escaped here), optional links."""
    lang = language(request)
    text = TEXTS[lang]
    title = escape(text[title_key])
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    if link:
        body += f'<p><a href="{escape(link[1])}">{escape(text[link[0]])}</a></p>'
    if back.startswith(("http://", "https://")):
        body += f'<p><a href="{escape(back)}">{escape(text["back"])}</a></p>'
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def text(request: Request, key: str) -> str:
    return TEXTS[language(request)][key]

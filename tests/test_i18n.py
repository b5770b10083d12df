"""UI strings and dates per language: a Finnish, a Swedish and an English site, really built.

The catalogs are checked against the sources too (templates and the package's gettext and
N_ calls, extracted as theme/babel.cfg says), so a new UI string cannot ship untranslated,
the .pot cannot fall behind, and a removed string cannot linger in the .po files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from tests.project import THEME_SITE_LANGUAGES, ServedBuild

REPO = Path(__file__).resolve().parents[1]
THEME = REPO / "theme"
LANGUAGES = ("fi", "sv", "en")
THEME_POST_PATH = "2026/11/teeman-testikirjoitus/"

# site -> what its chrome says, in its own language.
UI_STRINGS = {
    "main": {
        "skip": "Siirry sisältöön",
        "menu": "Päävalikko",
        "categories": "Kategoriat",
        "latest": "Uusimmat kirjoitukset",
        "published": "Julkaistu",
        "category": "Kategoria: Living Lab",
        "month": "Arkisto: marraskuu 2026",
        "date": "26. marraskuuta 2026",
    },
    "rajalla": {
        "skip": "Hoppa till innehållet",
        "menu": "Huvudmeny",
        "categories": "Kategorier",
        "latest": "Senaste inläggen",
        "published": "Publicerad",
        "category": "Kategori: Living Lab",
        "month": "Arkiv: november 2026",
        "date": "26 november 2026",
    },
    "ounasvaara": {
        "skip": "Skip to content",
        "menu": "Main menu",
        "categories": "Categories",
        "latest": "Latest posts",
        "published": "Published",
        "category": "Category: Living Lab",
        "month": "Archives: November 2026",
        "date": "26 November 2026",
    },
}


def page(served_build: ServedBuild, site: str, path: str = "") -> BeautifulSoup:
    html = served_build.site_file(site, path).read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def text(tag) -> str:
    return " ".join(tag.get_text().split())


@pytest.mark.parametrize("site", THEME_SITE_LANGUAGES)
def test_front_page_chrome_is_in_the_site_language(served_build: ServedBuild, site: str) -> None:
    soup, expected = page(served_build, site), UI_STRINGS[site]

    assert soup.html["lang"] == THEME_SITE_LANGUAGES[site]
    assert text(soup.find("a", class_="skip-link")) == expected["skip"]
    nav = soup.header.find("nav")
    assert nav["aria-label"] == expected["menu"]
    assert expected["categories"] in [text(a) for a in nav.find_all("a")]
    assert text(soup.main.h1) == expected["latest"]


@pytest.mark.parametrize("site", THEME_SITE_LANGUAGES)
def test_post_date_is_written_in_the_site_language(served_build: ServedBuild, site: str) -> None:
    meta = (
        page(served_build, site, THEME_POST_PATH).find(class_="h-entry").find(class_="entry-meta")
    )
    published = meta.find("time", class_="dt-published")

    assert text(published) == UI_STRINGS[site]["date"]
    assert published["datetime"] == "2026-11-26T10:30:00+02:00"
    assert text(meta.find(class_="label")) == UI_STRINGS[site]["published"]


@pytest.mark.parametrize("site", THEME_SITE_LANGUAGES)
def test_category_and_month_headings_are_translated(served_build: ServedBuild, site: str) -> None:
    assert (
        text(page(served_build, site, "category/living-lab/").main.h1)
        == (UI_STRINGS[site]["category"])
    )
    assert text(page(served_build, site, "2026/11/").main.h1) == UI_STRINGS[site]["month"]


def test_post_counts_use_the_plural_forms_of_the_language(served_build: ServedBuild) -> None:
    counts = {
        site: [text(c) for c in page(served_build, site, "tags/").select(".term-list .count")]
        for site in THEME_SITE_LANGUAGES
    }

    assert "(1 kirjoitus)" in counts["main"]
    assert "(1 inlägg)" in counts["rajalla"]
    assert "(1 post)" in counts["ounasvaara"]
    categories = page(served_build, "main", "categories/").select(".term-list .count")
    assert any(text(c).endswith("kirjoitusta)") for c in categories)


def test_ui_follows_a_post_written_in_another_language(served_build: ServedBuild) -> None:
    soup = page(served_build, "main", "2026/11/theme-test-in-english/")

    assert soup.html["lang"] == "en"
    assert text(soup.find("a", class_="skip-link")) == "Skip to content"
    assert text(soup.find(class_="dt-published")) == "25 November 2026"
    assert soup.find("p", class_="site-title")["lang"] == "fi"


def extracted_messages() -> set[str]:
    """Every msgid the templates and the package use, extracted as `pybabel extract` does
    with theme/babel.cfg (templates, and gettext/N_ calls in alusta/)."""
    with (THEME / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options = parse_mapping_cfg(config)
    found = set()
    for folder in (THEME, REPO / "alusta"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder), method_map, options
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalog_ids(catalog) -> set[str]:
    return {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}


def test_template_file_is_up_to_date_with_the_sources() -> None:
    """theme/translations/messages.pot is what a translator's tool starts from."""
    with (THEME / "translations" / "messages.pot").open("rb") as pot_file:
        template = catalog_ids(read_po(pot_file))
    used = extracted_messages()
    assert used - template == set(), "new strings: run pybabel extract (README, Languages)"
    assert template - used == set(), "strings no source uses any more: run pybabel extract"


def read_catalog(lang: str):
    path = THEME / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=lang)


def translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_translates_exactly_the_extracted_strings(lang: str) -> None:
    used = extracted_messages()
    catalog = read_catalog(lang)
    ids = catalog_ids(catalog)

    assert len(used) > 100
    assert used - ids == set(), "strings missing from the catalog (run pybabel update)"
    assert ids - used == set(), "strings no template uses any more"
    untranslated = [m.id for m in catalog if m.id and not translated(m)]
    assert untranslated == []
    assert not any(m.fuzzy for m in catalog if m.id)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_keeps_every_placeholder(lang: str) -> None:
    problems = [(m.id, errors) for m, errors in read_catalog(lang).check() if errors]
    assert problems == []

"""The preview's quick replacements of Pelican's list work give Pelican's own answers."""

from __future__ import annotations

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import process_translations

from alusta.preview.listings import quick_translations

# (slug, lang, translation metadata): two originals with translations, one alone, one
# Swedish post whose Finnish version is marked a translation, so it stays the original.
POSTS = [
    ("kylatalo", "fi", None),
    ("kylatalo", "sv", None),
    ("kylatalo", "en", None),
    ("latu", "fi", None),
    ("silta", "sv", None),
    ("silta", "fi", "true"),
    ("kirjasto", "en", None),
]


def articles() -> list[Article]:
    made = []
    for number, (slug, lang, translation) in enumerate(POSTS):
        metadata = {"title": f"{slug} {lang}", "slug": slug, "lang": lang}
        if translation:
            metadata["translation"] = translation
        made.append(Article(f"<p>{number}</p>", metadata=metadata, settings={**DEFAULT_CONFIG}))
    return made


def described(result: tuple[list[Article], list[Article]]) -> tuple[list[str], list[str]]:
    originals, translations = result
    return [a.title for a in originals], [a.title for a in translations]


def test_quick_translations_are_pelicans() -> None:
    ours, theirs = articles(), articles()
    assert described(quick_translations(ours, "slug")) == described(
        process_translations(theirs, "slug")
    )
    assert [[t.title for t in a.translations] for a in ours] == [
        [t.title for t in a.translations] for a in theirs
    ]
    assert any(a.translations for a in ours)

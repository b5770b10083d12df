"""new-pilot and new-post write their starter sentences in the site's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from alusta.check import check_all
from alusta.scaffold import new_pilot, new_post
from tests.project import project_settings, set_pilot_language


@pytest.mark.parametrize(
    ("language", "about", "first", "words"),
    [
        ("fi", "tietoa-pilotista", "kemijoki-aloittaa", "Kemijoki on Alusta-hankkeen uusi"),
        ("sv", "om-piloten", "kemijoki-borjar", "Kemijoki är en ny pilot i Alusta-projektet"),
        ("en", "about-the-pilot", "kemijoki-begins", "Kemijoki is a new pilot of the Alusta"),
    ],
)
def test_new_pilot_starts_in_its_own_language(
    project: Path, language: str, about: str, first: str, words: str
) -> None:
    folder = new_pilot(project_settings(project), "kemijoki", name="Kemijoki", language=language)
    config = (folder / "pilot.toml").read_text(encoding="utf-8")
    assert f'url = "{about}/"' in config
    assert (folder / "content/pages" / f"{about}.md").is_file()
    [post] = (folder / "content/posts").glob(f"*-{first}.md")
    assert words in post.read_text(encoding="utf-8")
    assert check_all(project_settings(project), ["kemijoki"]) == []


def test_new_post_on_a_swedish_site_has_swedish_placeholders(project: Path) -> None:
    set_pilot_language(project, "rajalla", "sv")
    settings = project_settings(project)
    text = new_post(settings, "Nytt inlägg", pilot="rajalla").read_text(encoding="utf-8")
    assert "Summary: En sammanfattning på en mening för startsidan." in text
    assert "Yhden" not in text

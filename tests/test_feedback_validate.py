"""The one validation: each field type's rules, and the browser attributes derived from it."""

from __future__ import annotations

import pytest

from alusta.feedback.definitions import load_form
from alusta.feedback.validate import InvalidSubmission, html_constraints, message, validate
from tests.feedback_project import DATA, VALID


@pytest.fixture(scope="module")
def form():
    return load_form(DATA / "kysely.toml", "main")


def as_lists(data: dict) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in data.items()}


def errors(form, **changes) -> dict[str, str]:
    data = {**VALID, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(InvalidSubmission) as caught:
        validate(form, as_lists(data))
    return {e.field: e.code for e in caught.value.errors}


def test_valid_answers_are_typed(form) -> None:
    answers = validate(form, as_lists({**VALID, "ika": "3,5", "nimi": "  Åsa   Öhman "}))
    assert answers["ika"] == 3.5 and answers["arvio"] == 4 and answers["lupa"] is True
    assert answers["nimi"] == "Åsa Öhman"


def test_optional_fields_may_be_left_empty(form) -> None:
    answers = validate(
        form, as_lists({**VALID, "nimi": "", "sahkoposti": "", "ika": "", "palvelut": []})
    )
    assert answers["nimi"] is None and answers["ika"] is None and answers["palvelut"] == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"palaute": None}, {"palaute": "required"}),
        ({"palaute": "ab"}, {"palaute": "too_short"}),
        ({"nimi": "x" * 41}, {"nimi": "too_long"}),
        ({"sahkoposti": "a@b"}, {"sahkoposti": "email"}),
        ({"ika": "vanha"}, {"ika": "number"}),
        ({"ika": "-1"}, {"ika": "below"}),
        ({"ika": "nan"}, {"ika": "number"}),
        ({"kunta": "oulu"}, {"kunta": "choice"}),
        ({"kunta": ["tornio", "rovaniemi"]}, {"kunta": "one_only"}),
        ({"palvelut": ["kirjasto", "sauna"]}, {"palvelut": "choice"}),
        ({"arvio": "0"}, {"arvio": "scale"}),
        ({"arvio": "4.5"}, {"arvio": "scale"}),
        ({"lupa": None}, {"lupa": "consent"}),
        ({"lupa": "no"}, {"lupa": "consent"}),
    ],
)
def test_each_rule(form, changes, expected) -> None:
    assert errors(form, **changes) == expected


def test_every_wrong_field_is_reported_at_once(form) -> None:
    assert set(errors(form, palaute=None, arvio="9", kunta=None, lupa=None)) == {
        "palaute",
        "arvio",
        "kunta",
        "lupa",
    }


def test_control_characters_are_removed(form) -> None:
    answers = validate(form, as_lists({**VALID, "palaute": "rivi\x00\x1b yksi\nrivi kaksi"}))
    assert answers["palaute"] == "rivi yksi\nrivi kaksi"


def test_messages_in_three_languages(form) -> None:
    assert message("too_long", "sv", max=40) == "Skriv högst 40 tecken."
    assert message("below", "en", min=0.0) == "Enter a number of at least 0."
    assert message("required", "de") == message("required", "fi")


def test_browser_constraints_follow_the_definition(form) -> None:
    assert html_constraints(form.get_field("nimi")) == {"maxlength": "40"}
    assert html_constraints(form.get_field("palaute")) == {
        "required": "",
        "maxlength": "500",
        "minlength": "3",
    }
    assert html_constraints(form.get_field("ika")) == {"min": "0", "max": "120"}

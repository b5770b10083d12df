"""Form files: what a maintainer gets wrong is reported with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alusta.build import build_sites
from alusta.errors import ContentError
from alusta.feedback.definitions import load_form, site_forms
from alusta.feedback.models import FieldType, FormDefinitionError
from publish import cli
from tests.feedback_project import DATA
from tests.project import project_settings

GOOD = (DATA / "kysely.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "lomake") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(FormDefinitionError) as caught:
        load_form(write(tmp_path, text), "main")
    return [str(problem) for problem in caught.value.problems]


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    lines = text.split("\n")
    hits = [i + 1 for i, line in enumerate(lines) if fragment in line]
    return hits[occurrence - 1]


def test_the_test_form_loads_with_every_field_type(tmp_path: Path) -> None:
    form = load_form(write(tmp_path, GOOD), "main")
    assert {f.type for f in form.fields} == set(FieldType)
    assert form.retention_days == 30 and form.personal_data and form.results
    assert form.get_field("kunta").choices[1].label == {
        "fi": "Tornio",
        "sv": "Torneå",
        "en": "Tornio",
    }


def test_shipped_example_forms_load(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    settings = project_settings(root)
    assert set(site_forms(settings.site("ounasvaara"))) == {"latukahvila"}
    assert set(site_forms(settings.site("rajalla"))) == {"kirjastobussi"}


def test_personal_data_without_consent_field_is_an_error_at_its_line(tmp_path: Path) -> None:
    start = GOOD.index('[[fields]]\nname = "lupa"')
    text = GOOD[:start]
    [problem] = problems(tmp_path, text)
    assert problem.startswith(f"{tmp_path / 'lomake.toml'}:{line_of(text, 'personal_data')}: ")
    assert "consent" in problem


def test_email_field_requires_personal_data_flag(tmp_path: Path) -> None:
    text = GOOD.replace("personal_data = true", "personal_data = false")
    [problem] = problems(tmp_path, text)
    assert "personal_data = true" in problem


def test_missing_translation_names_file_line_and_field(tmp_path: Path) -> None:
    text = GOOD.replace('label.sv = "Ålder"\n', "")
    [problem] = problems(tmp_path, text)
    line = line_of(text, 'label.fi = "Ikä"')
    assert problem == f"{tmp_path / 'lomake.toml'}:{line}: field 'ika': label has no text in sv"


def test_unknown_type_and_bad_limits_are_all_reported(tmp_path: Path) -> None:
    text = GOOD.replace('type = "number"', 'type = "numero"').replace(
        "max_length = 40", "max_length = -1"
    )
    found = problems(tmp_path, text)
    assert len(found) == 2
    assert f":{line_of(text, 'numero')}: field 'ika': type 'numero' is not one of" in found[1]
    assert f":{line_of(text, 'max_length = -1')}: field 'nimi': max_length must be" in found[0]


def test_choice_field_needs_two_choices_each_translated(tmp_path: Path) -> None:
    text = GOOD.replace(
        '{ value = "tornio", fi = "Tornio", sv = "Torneå", en = "Tornio" },',
        '{ value = "tornio", fi = "Tornio" },',
    )
    [problem] = problems(tmp_path, text)
    assert "field 'kunta': choice 'tornio' has no text in sv, en" in problem
    assert f":{line_of(text, 'choices = [', 1)}:" in problem


def test_duplicate_field_names_and_unknown_settings(tmp_path: Path) -> None:
    text = GOOD.replace('name = "ika"', 'name = "nimi"').replace(
        "retention_days = 30", "retention_days = 30\nsailytys = 5"
    )
    found = problems(tmp_path, text)
    assert any("unknown setting 'sailytys'" in p for p in found)
    assert any("field 'nimi': the name is used by another field" in p for p in found)


def test_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    text = GOOD.replace('title.sv = "Enkät"', 'title.sv = "Enkät')
    [problem] = problems(tmp_path, text)
    assert problem.startswith(f"{tmp_path / 'lomake.toml'}:{line_of(text, 'title.sv')}: ")


def _pilot_post(root: Path, marker: str) -> Path:
    post = root / "pilots" / "ounasvaara" / "content" / "posts" / "2026-11-26-kysely.md"
    post.write_text(f"Title: Kysely\nDate: 2026-11-26\n\nTeksti.\n\n{marker}\n", encoding="utf-8")
    return post


def test_unknown_form_in_a_post_stops_check_and_build_with_file_and_line(project: Path) -> None:
    post = _pilot_post(project, "[feedback: ei-ole]")
    result = CliRunner().invoke(cli, ["--root", str(project), "check", "--site", "ounasvaara"])
    assert result.exit_code == 1
    assert f"{post}:6: Feedback: unknown form 'ei-ole'" in result.output
    with pytest.raises(ContentError) as caught:
        build_sites(project_settings(project), site_names=["ounasvaara"])
    assert any(
        (p.path, p.line) == (post, 6) and "latukahvila" in p.message for p in caught.value.problems
    )


def test_unknown_form_in_metadata_is_reported_at_its_line(project: Path) -> None:
    post = project / "pilots" / "rajalla" / "content" / "posts" / "2026-11-26-k.md"
    post.write_text(
        "Title: K\nDate: 2026-11-26\nFeedback: latukahvila\n\nTeksti.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["--root", str(project), "check", "--site", "rajalla"])
    assert f"{post}:3: Feedback: unknown form 'latukahvila'" in result.output


def test_broken_form_file_is_reported_by_check(project: Path) -> None:
    path = project / "pilots" / "rajalla" / "content" / "forms" / "kirjastobussi.toml"
    text = path.read_text("utf-8").replace("retention_days = 180", "retention_days = 0")
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(project), "check", "--site", "rajalla"])
    assert result.exit_code == 1
    line = line_of(text, "retention_days")
    assert f"{path}:{line}: retention_days must be a whole number from 1 to 3650" in result.output


def test_honeypot_name_is_reserved(tmp_path: Path) -> None:
    text = GOOD.replace('name = "nimi"', 'name = "website"')
    [problem] = problems(tmp_path, text)
    line = line_of(text, 'name = "website"')
    assert f":{line}: field 'website': the name 'website' is reserved" in problem

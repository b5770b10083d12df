"""`publish.py feedback …` on a real SQLite file: export, summary, delete, purge, pilots."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import cli
from tests.endpoint_server import PILOT
from tests.feedback_project import FORM, PILOT_FORM, feedback_settings, insert, stored

ANSWERS = {
    "nimi": "Åsa Öhman",
    "palaute": "Hyvä, mutta äänentoisto särisi – ö å ä",
    "kunta": "tornio",
    "palvelut": ["kirjasto", "latu"],
    "arvio": 4,
    "lupa": True,
    "ika": 42,
    "sahkoposti": "asa@example.fi",
}


@pytest.fixture
def settings(tmp_path: Path):
    return feedback_settings(tmp_path / "project")


def run(settings, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--root", str(settings.root), "feedback", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_csv_export_has_bom_separator_and_finnish_letters(settings, tmp_path: Path) -> None:
    insert(settings, answers=ANSWERS, email="asa@example.fi")
    insert(settings, answers={**ANSWERS, "palaute": '=HYPERLINK("http://x")'})
    target = tmp_path / "vastaukset.csv"
    run(settings, "export", "--codes", "--separator", ";", "--output", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["nimi"] == "Åsa Öhman"
    assert rows[0]["palaute"] == ANSWERS["palaute"]
    assert rows[0]["palvelut"] == "kirjasto, latu"
    assert rows[0]["arvio"] == "4" and rows[0]["lupa"] == "true"
    assert rows[1]["palaute"].startswith("'=")  # a spreadsheet shows it, never runs it


def test_json_export_keeps_answers_as_stored(settings) -> None:
    insert(settings, answers=ANSWERS)
    [document] = json.loads(run(settings, "export", "--format", "json"))
    assert document["answers"] == ANSWERS and document["site"] == "main"


def test_summary_counts_choices_and_scale(settings) -> None:
    for rating, services in ((5, ["kirjasto"]), (4, ["kirjasto", "latu"]), (4, [])):
        insert(settings, answers={"kunta": "tornio", "arvio": rating, "palvelut": services})
    output = run(settings, "summary", "--site", "main", "--form", FORM)
    assert "main/kysely: Kysely – 3 submission(s)" in output
    assert "Arvio (3 answered, mean 4.33)" in output
    assert "    4: 2\n" in output and "    5: 1\n" in output
    assert "    Kirjasto: 2\n" in output and "    Uimahalli: 0\n" in output
    assert "    Tornio: 3\n" in output


def test_pilot_reads_only_its_own_submissions(settings) -> None:
    insert(settings, answers={"palaute": "pääsivun vastaus"})
    insert(settings, site=PILOT, form=PILOT_FORM, answers={"palaute": "pilotin vastaus"})
    listed = run(settings, "list", "--site", PILOT)
    assert "pilotin vastaus" in listed and "pääsivun" not in listed
    exported = json.loads(run(settings, "export", "--site", PILOT, "--format", "json"))
    assert [d["answers"]["palaute"] for d in exported] == ["pilotin vastaus"]
    assert "pääsivun" not in run(settings, "export", "--site", PILOT)
    unknown = CliRunner().invoke(
        cli, ["--root", str(settings.root), "feedback", "list", "--site", "ei-ole"]
    )
    assert unknown.exit_code != 0 and "unknown site" in unknown.output


def test_delete_by_email_removes_exactly_that_persons_submissions(settings) -> None:
    keep = insert(settings, email="other@example.fi")
    insert(settings, email="asa@example.fi")
    insert(settings, site=PILOT, form=PILOT_FORM, email="asa@example.fi")
    none = insert(settings)
    output = run(settings, "delete", "--email", "ASA@Example.fi ", "--yes")
    assert "deleted 2 submission(s)" in output
    assert sorted(s.id for s in stored(settings)) == [keep, none]


def test_delete_by_email_can_be_limited_to_one_site(settings) -> None:
    insert(settings, email="asa@example.fi")
    pilot = insert(settings, site=PILOT, form=PILOT_FORM, email="asa@example.fi")
    assert "deleted 1 submission(s)" in run(
        settings, "delete", "--email", "asa@example.fi", "--site", "main", "--yes"
    )
    assert [s.id for s in stored(settings)] == [pilot]


def test_purge_removes_exactly_what_is_past_retention(settings) -> None:
    fresh = insert(settings, age_days=29.9)  # the form keeps answers 30 days
    insert(settings, age_days=30.1)
    pilot_fresh = insert(settings, site=PILOT, form=PILOT_FORM, age_days=1)
    insert(settings, site=PILOT, form=PILOT_FORM, age_days=31)
    orphan = insert(settings, form="poistettu", age_days=100)  # form file gone: 365 days
    insert(settings, form="poistettu", age_days=400)
    assert "purged 3 submission(s)" in run(settings, "purge")
    assert sorted(s.id for s in stored(settings)) == [fresh, pilot_fresh, orphan]


def test_every_feedback_command_purges_first(settings) -> None:
    insert(settings, age_days=31)
    result = CliRunner().invoke(cli, ["--root", str(settings.root), "feedback", "list"])
    assert "purged 1 submission(s) past their retention" in result.output
    assert stored(settings) == []


def test_purge_leaves_a_site_with_a_broken_form_file_alone(settings) -> None:
    old = insert(settings, age_days=31)
    form_file = settings.main.content_dir / "forms" / f"{FORM}.toml"
    form_file.write_text("title = [", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(settings.root), "feedback", "purge"])
    assert "purged 0 submission(s)" in result.output
    assert "main: its form files have errors" in result.output
    assert [s.id for s in stored(settings)] == [old]

"""Exports a facilitator opens in a spreadsheet, and deletion that says what it will do.

Real SQLite files, the real CLI, and the .xlsx read back with openpyxl.
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from alusta.db import connect
from alusta.feedback import store
from publish import cli
from tests.endpoint_server import PILOT
from tests.feedback_project import FORM, PILOT_FORM, feedback_settings, insert, stored
from tests.project import REPO

RECEIVED = "2027-01-15T08:00:00+00:00"  # 10:00 in Helsinki
ANSWERS = {
    "nimi": "Åsa Öhman",
    "palaute": '=HYPERLINK("http://x")',
    "kunta": "tornio",
    "palvelut": ["kirjasto", "latu"],
    "arvio": 4,
    "lupa": True,
    "ika": 42.5,
}


@pytest.fixture
def settings(tmp_path: Path):
    settings = feedback_settings(tmp_path / "project")
    shutil.copytree(REPO / "theme" / "translations", settings.theme_dir / "translations")
    connection = connect(settings.database_path)
    try:
        store.insert(
            connection,
            store.NewSubmission(
                site="main", form=FORM, lang="fi", answers=ANSWERS, email=None,
                client_hash="", page="", received_at=RECEIVED,
            ),
        )  # fmt: skip
    finally:
        connection.close()
    return settings


def invoke(settings, *args: str, input_text: str | None = None):
    return CliRunner().invoke(
        cli, ["--root", str(settings.root), "feedback", *args], input=input_text
    )


def csv_rows(text: str, separator: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=separator))


def test_csv_has_question_texts_option_labels_local_minutes_and_semicolons(settings):
    result = invoke(settings, "export")
    assert result.exit_code == 0, result.output
    header, row = csv_rows(result.output, ";")
    cells = dict(zip(header, row, strict=True))
    assert header[:5] == ["Numero", "Saapunut", "Sivusto", "Lomake", "Kieli"]
    assert cells["Saapunut"] == "2027-01-15 10:00"
    assert cells["Kunta"] == "Tornio" and cells["Palvelut"] == "Kirjasto, Latu"
    assert cells["Arvio"] == "4" and cells["Ikä"] == "42,5"
    assert cells["Nimi"] == "Åsa Öhman" and cells["Palaute"].startswith("'=")


def test_csv_in_english_uses_commas_and_codes_keep_the_codes(settings):
    english = invoke(settings, "export", "--lang", "en").output
    header, row = csv_rows(english, ",")
    cells = dict(zip(header, row, strict=True))
    assert cells["Municipality"] == "Tornio" and cells["Services"] == "Library; Ski track"
    assert cells["Age"] == "42.5" and cells["Received"] == "2027-01-15 10:00"
    coded = invoke(settings, "export", "--codes", "--separator", ",").output
    header, row = csv_rows(coded, ",")
    cells = dict(zip(header, row, strict=True))
    assert cells["kunta"] == "tornio" and cells["lupa"] == "true" and cells["received"]


def test_a_swedish_site_gets_swedish_texts_and_semicolons(settings):
    pilot = settings.root / "pilots" / PILOT / "pilot.toml"
    pilot.write_text(pilot.read_text().replace('language = "fi"', 'language = "sv"'))
    insert(settings, site=PILOT, form=PILOT_FORM, answers={"kunta": "tornio", "lupa": False})
    header, row = csv_rows(invoke(settings, "export", "--site", PILOT).output, ";")
    cells = dict(zip(header, row, strict=True))
    assert cells["Kommun"] == "Torneå" and cells["Webbplats"] == PILOT


def test_xlsx_has_typed_columns_and_never_a_formula(settings, tmp_path: Path):
    target = tmp_path / "vastaukset.xlsx"
    result = invoke(settings, "export", "--output", str(target))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target).active
    header = [c.value for c in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert cells["Saapunut"].value == datetime(2027, 1, 15, 10, 0)
    assert cells["Saapunut"].number_format == "yyyy-mm-dd hh:mm"
    assert cells["Arvio"].value == 4 and cells["Ikä"].value == 42.5
    assert cells["Suostun tietojeni tallentamiseen."].value == "kyllä"
    assert cells["Palaute"].data_type == "s" and cells["Palaute"].value == ANSWERS["palaute"]
    assert invoke(settings, "export", "--format", "xlsx").exit_code != 0


def test_delete_says_how_many_and_asks_first(settings):
    insert(settings, email="asa@example.fi")
    insert(settings, site=PILOT, form=PILOT_FORM, email="asa@example.fi")
    refused = invoke(settings, "delete", "--email", "asa@example.fi", input_text="n\n")
    assert "2 submission(s) with the address asa@example.fi" in refused.output
    assert refused.exit_code != 0 and len(stored(settings)) == 3
    agreed = invoke(settings, "delete", "--email", "asa@example.fi", input_text="y\n")
    assert agreed.exit_code == 0 and "deleted 2 submission(s)" in agreed.output
    assert len(stored(settings)) == 1


def test_dry_runs_delete_nothing_not_even_expired_answers(settings):
    insert(settings, email="asa@example.fi")
    insert(settings, age_days=31)  # past the form's 30 days
    dry = invoke(settings, "delete", "--email", "asa@example.fi", "--dry-run")
    assert dry.exit_code == 0 and "1 submission(s) with the address" in dry.output
    assert "deleted" not in dry.output and len(stored(settings)) == 3
    purge = invoke(settings, "purge", "--dry-run")
    assert "would purge 1 submission(s)" in purge.output
    assert len(stored(settings)) == 3
    assert "purged 1 submission(s)" in invoke(settings, "purge").output
    assert len(stored(settings)) == 2

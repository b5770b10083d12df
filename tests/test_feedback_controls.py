"""Control characters in feedback answers: dropped on intake (through the real endpoint),
escaped when the CLI prints or exports rows stored before that (alusta.terminal)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from alusta.app import create_app
from alusta.terminal import escape_controls
from publish import cli
from tests.endpoint_server import RunningEndpoint
from tests.feedback_project import FORM, VALID, feedback_settings, insert, stored

# ESC [2K (erase the line), a lone CR (back to its start), CSI as the C1 U+009B, an RLO
# (right-to-left override) and a NUL: what an answer could use to rewrite its own row.
HOSTILE = "Hyvä\x1b[2K\rVäärennetty rivi\u009b31m punainen\u202eesrevni\x00 loppu"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def settings(tmp_path: Path):
    return feedback_settings(tmp_path / "project")


def test_the_endpoint_stores_answers_without_control_characters(settings) -> None:
    data = {**VALID, "nimi": "\x1b[31mÅsa\u009b Öhman", "palaute": HOSTILE + "\r\ntoinen\rkolmas"}
    with RunningEndpoint(create_app(settings)) as endpoint:
        response = endpoint.client.post(
            f"/feedback/main/{FORM}", data=data, headers={"Accept": "application/json"}
        )
    assert response.status_code == 201, response.text
    [row] = stored(settings)
    assert row.answers["nimi"] == "[31mÅsa Öhman"
    assert row.answers["palaute"] == (
        "Hyvä[2K\nVäärennetty rivi31m punainenesrevni loppu\ntoinen\nkolmas"
    )


def run(settings, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--root", str(settings.root), "feedback", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_list_escapes_control_characters_of_older_rows(settings) -> None:
    insert(settings, answers={"palaute": HOSTILE})
    output = run(settings, "list")
    assert not RAW.search(output.replace("\t", " ").replace("\n", " "))
    assert "Hyvä\\u001b[2K\\u000dVäärennetty" in output
    assert output.splitlines()[1:] == ["1 submission(s)"]  # one row, one line


def test_csv_export_escapes_control_characters(settings) -> None:
    insert(settings, answers={"palaute": HOSTILE + "\ntoinen rivi"})
    output = run(settings, "export", "--codes")
    assert not RAW.search(output.replace("\r\n", "").replace("\n", ""))
    assert "\\u009b31m" in output and "\\u202e" in output
    assert "toinen rivi" in output


def test_json_export_keeps_the_answer_and_prints_no_raw_controls(settings) -> None:
    insert(settings, answers={"palaute": HOSTILE})
    output = run(settings, "export", "--format", "json")
    assert not RAW.search(output)
    assert json.loads(output)[0]["answers"]["palaute"] == HOSTILE


def test_xlsx_export_of_an_older_row_succeeds_with_the_controls_escaped(
    settings, tmp_path: Path
) -> None:
    insert(settings, answers={"palaute": HOSTILE})
    target = tmp_path / "vastaukset.xlsx"
    run(settings, "export", "--codes", "-o", str(target))
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    header, row = (list(r) for r in sheet.iter_rows(values_only=True))
    assert row[header.index("palaute")] == escape_controls(HOSTILE)
    assert "\\u0000" in row[header.index("palaute")]


def test_escaping_shows_every_control_and_keeps_tab_and_newline() -> None:
    assert escape_controls("a\tb\nc\rd\x1be\x7ff\u0085g\u2066h") == (
        "a\tb\nc\\u000dd\\u001be\\u007ff\\u0085g\\u2066h"
    )

"""`publish.py check` and build validation: every problem names file, line and field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from alusta.check import check_all
from publish import cli
from tests.project import REPO, project_settings


def write_post(project: Path, name: str, text: str, *, site: str = "") -> Path:
    folder = project / (f"pilots/{site}/content" if site else "content") / "posts"
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(project: Path) -> list[str]:
    return [str(p) for p in check_all(project_settings(project))]


def test_shipped_content_has_no_problems(project: Path) -> None:
    assert problems_of(project) == []


def test_bad_date_names_file_line_and_field(project: Path) -> None:
    path = write_post(project, "x.md", "Title: Hei\nAuthor: A\nDate: 2026-13-45\n\nTeksti\n")
    assert problems_of(project) == [
        f"{path}:3: Date: '2026-13-45' is not a date (use YYYY-MM-DD or YYYY-MM-DD HH:MM)"
    ]


def test_missing_title_and_date_are_reported(project: Path) -> None:
    path = write_post(project, "y.md", "Category: Living Lab\n\nTeksti\n")
    problems = problems_of(project)
    assert f"{path}:1: Title: is missing" in problems
    assert f"{path}:1: Date: is missing (write e.g. 'Date: 2026-11-26')" in problems


def test_unknown_pilot_lists_the_known_ones(project: Path) -> None:
    path = write_post(project, "z.md", "Title: T\nDate: 2026-01-01\nPilot: tunturi\n\nx\n")
    assert problems_of(project) == [
        f"{path}:3: Pilot: unknown pilot 'tunturi' (known pilots: ounasvaara, rajalla)"
    ]


def test_duplicate_slug_points_to_the_first_file(project: Path) -> None:
    first = write_post(project, "a.md", "Title: Sama otsikko\nDate: 2026-01-01\n\nx\n")
    second = write_post(
        project, "b.md", "Title: Toinen\nDate: 2026-01-20\nSlug: sama-otsikko\n\nx\n"
    )
    assert problems_of(project) == [
        f"{second}:3: slug 'sama-otsikko' is already used by {first}; set a different 'Slug:'"
    ]


def test_same_title_in_another_month_is_a_different_url(project: Path) -> None:
    write_post(project, "a.md", "Title: Sama otsikko\nDate: 2026-01-01\n\nx\n")
    write_post(project, "b.md", "Title: Sama otsikko\nDate: 2026-02-01\n\nx\n")
    assert problems_of(project) == []


def test_missing_image_and_broken_links(project: Path) -> None:
    path = write_post(
        project,
        "kuvat.md",
        (
            "Title: Kuvat\nDate: 2026-02-01\n\n"
            "![Tunturi](../images/ei-ole.jpg)\n\n"
            "[Tietoa]({filename}/pages/ei-ole.md)\n\n"
            "[Vanha](https://alusta.example/2020/01/ei-ole/)\n\n"
            "[Toinen sivusto](https://example.org/jotain/)\n"
        ),
    )
    assert problems_of(project) == [
        f"{path}:4: image '../images/ei-ole.jpg' is missing",
        f"{path}:6: link '{{filename}}/pages/ei-ole.md' points to a missing file",
        f"{path}:8: link 'https://alusta.example/2020/01/ei-ole/' points to no page of this site",
    ]


def test_existing_image_passes(project: Path) -> None:
    (project / "content/images").mkdir(exist_ok=True)
    (project / "content/images/kuva.png").write_bytes(b"\x89PNG\r\n")
    write_post(project, "kuva.md", "Title: K\nDate: 2026-02-01\n\n![K]({static}/images/kuva.png)\n")
    assert problems_of(project) == []


def test_path_relative_to_the_markdown_file_is_flagged_with_the_fix(project: Path) -> None:
    (project / "content/images").mkdir(exist_ok=True)
    (project / "content/images/kuva.png").write_bytes(b"\x89PNG\r\n")
    path = write_post(
        project, "kuva.md", "Title: K\nDate: 2026-02-01\n\n![K](../images/kuva.png)\n"
    )
    assert problems_of(project) == [
        f"{path}:4: image '../images/kuva.png' works only in the editor: "
        "write {static}/images/kuva.png"
    ]


def test_check_command_exits_1_with_messages(project: Path) -> None:
    path = write_post(project, "bad.md", "Title: Bad\nDate: eilen\n\nx\n")
    result = CliRunner().invoke(cli, ["--root", str(project), "check"])
    assert result.exit_code == 1
    assert f"{path}:2: Date: 'eilen' is not a date" in result.output


def test_build_stops_with_exit_1_and_names_the_line(project: Path) -> None:
    path = write_post(project, "bad.md", "Title: Bad\nStatus: luonnos\nDate: 2026-01-01\n\nx\n")
    result = subprocess.run(
        [sys.executable, str(REPO / "publish.py"), "--root", str(project), "build"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    assert f"{path}:2: Status: 'luonnos' is not one of published, draft, hidden" in result.stderr
    assert not (project / "output").exists(), "nothing is written when validation fails"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('accent_color = "green"', "accent_color: 'green' is not a colour like #0b5cad"),
        ('language = "de"', "language: 'de' is not one of fi, sv, en"),
        ('moderation = "sometimes"', "moderation: 'sometimes' is not one of auto, queue"),
    ],
)
def test_pilot_config_errors_name_file_line_and_field(project: Path, line: str, message: str):
    config = project / "pilots/rajalla/pilot.toml"
    key = line.split(" =", maxsplit=1)[0]
    lines = [ln for ln in config.read_text().splitlines() if not ln.startswith(f"{key} =")]
    lines.insert(2, line)
    config.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(cli, ["--root", str(project), "check"])
    assert result.exit_code == 1
    assert f"{config}:3: {message}" in result.output


def test_pilot_config_syntax_error_names_the_line(project: Path) -> None:
    config = project / "pilots/ounasvaara/pilot.toml"
    config.write_text('name = "Ounasvaara"\ntagline = "puuttuu lainausmerkki\n')
    result = CliRunner().invoke(cli, ["--root", str(project), "check"])
    assert result.exit_code == 1
    assert str(config) in result.output
    assert "line 2" in result.output


def test_file_that_is_not_utf8_is_named_not_a_traceback(project: Path) -> None:
    path = project / "content/posts/latin1.md"
    path.write_bytes("Title: Hyvää päivää\nDate: 2026-01-01\n\nx\n".encode("latin-1"))
    result = CliRunner().invoke(cli, ["--root", str(project), "check"])
    assert result.exit_code == 1
    assert f"{path}:1: is not UTF-8 text (byte 10); save it as UTF-8" in result.output

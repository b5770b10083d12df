"""Mistakes named before they publish: file, line and a suggestion, the same in check and build.

Everything runs through the real CLI (click's CliRunner on a copied project) or as a
subprocess; builds are real Pelican builds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from alusta.images import LARGE_IMAGE_BYTES
from publish import cli
from tests.project import REPO

POST = "Title: Kylätalo\nDate: 2026-11-20\nCatgory: Living Lab\n\nTeksti.\n"


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(project), *args])


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check_and_build_refuse(project: Path, expected: str, *, site: str = "main") -> None:
    """`check` names the mistake, and `build` refuses the same content with the same words."""
    checked = run(project, "check")
    assert checked.exit_code == 1
    assert expected in checked.output
    built = run(project, "build", "--site", site)
    assert built.exit_code == 1
    assert expected in built.output
    assert not (project / "output").exists()


def test_a_misspelt_field_is_named_with_a_suggestion(project: Path) -> None:
    post = project / "content/posts/2026-11-20-kylatalo.md"
    post.write_text(POST, encoding="utf-8")
    check_and_build_refuse(
        project, f"{post}:3: `Catgory`: unknown field — did you mean `Category`?"
    )


def test_a_misspelt_status_does_not_publish_a_draft(project: Path) -> None:
    post = project / "content/posts/2026-11-20-kesken.md"
    post.write_text("Title: Kesken\nDate: 2026-11-20\nStaus: draft\n\nx\n", encoding="utf-8")
    check_and_build_refuse(project, f"{post}:3: `Staus`: unknown field — did you mean `Status`?")


def test_an_unknown_pilot_setting_is_named_with_its_line(project: Path) -> None:
    config = project / "pilots/rajalla/pilot.toml"
    replace_in(config, 'language = "fi"', 'langauge = "sv"')
    result = run(project, "check")
    assert result.exit_code == 1
    line = next(
        n for n, text in enumerate(config.read_text().split("\n"), 1) if text.startswith("langa")
    )
    assert f"{config}:{line}: langauge: unknown setting — did you mean `language`?" in (
        result.output
    )
    assert "Traceback" not in result.output


def test_an_unknown_form_setting_gets_a_suggestion(project: Path) -> None:
    form = project / "pilots/rajalla/content/forms/kirjastobussi.toml"
    replace_in(form, "retention_days = 180", "retension_days = 180")
    result = run(project, "check")
    assert result.exit_code == 1
    assert "unknown setting 'retension_days' — did you mean 'retention_days'?" in result.output


def test_a_logo_that_does_not_exist_is_refused(project: Path) -> None:
    config = project / "pilots/rajalla/pilot.toml"
    replace_in(config, 'logo = ""', 'logo = "rajalla-logo.png"')
    line = next(
        n for n, text in enumerate(config.read_text().split("\n"), 1) if text.startswith("logo")
    )
    images = project / "pilots/rajalla/content/images"
    check_and_build_refuse(
        project,
        f"{config}:{line}: logo 'rajalla-logo.png' is not a file in {images}",
        site="rajalla",
    )
    images.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (120, 40), "#1d6b3a").save(images / "rajalla-logo.png")
    assert run(project, "check").exit_code == 0


def test_markdown_that_no_site_reads_is_named(project: Path) -> None:
    stray = project / "content/2026-11-20-vaarassa-paikassa.md"
    stray.write_text("Title: Hukassa\nDate: 2026-11-20\n\nx\n", encoding="utf-8")
    check_and_build_refuse(project, f"{stray}:1: no site reads this file: move posts to")


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["build"],
        ["send", "--dry-run"],
        ["refresh"],
        ["feedback", "export"],
        ["mentions", "list"],
    ],
)
def test_an_unknown_site_lists_the_sites_there_are(project: Path, command: list[str]) -> None:
    result = run(project, *command, "--site", "rajala")
    assert result.exit_code == 2, result.output
    assert "unknown site 'rajala' — did you mean 'rajalla'?" in result.output
    assert "(sites: main, ounasvaara, rajalla)" in result.output
    assert not (project / "output").exists()


def test_a_heavy_image_is_a_warning_not_a_failure(project: Path) -> None:
    side = int((LARGE_IMAGE_BYTES / 3) ** 0.5) + 16
    heavy = project / "content/images/raskas.png"
    Image.frombytes("RGB", (side, side), b"\x17\xe3\x91" * (side * side)).save(
        heavy, format="PNG", compress_level=0
    )
    assert heavy.stat().st_size > LARGE_IMAGE_BYTES
    post = project / "content/posts/2026-11-20-raskas.md"
    post.write_text(
        "Title: Raskas\nDate: 2026-11-20\n\nAlku.\n\n![Kuva]({static}/images/raskas.png)\n",
        encoding="utf-8",
    )
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert f"warning: {post}:6: image '{{static}}/images/raskas.png':" in result.output
    assert "MB is over 5 MB" in result.output


def test_export_creates_a_missing_output_folder(project: Path) -> None:
    target = project / "missing/dir/x.csv"
    result = run(project, "feedback", "export", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # CSV with BOM for spreadsheets


def test_export_into_a_file_where_a_folder_should_be_is_one_sentence(project: Path) -> None:
    (project / "taken").write_text("", encoding="utf-8")
    result = run(project, "feedback", "export", "-o", str(project / "taken/x.csv"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot write {project / 'taken/x.csv'}:")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_publish_outside_the_venv_says_which_command_to_use(tmp_path: Path) -> None:
    # -S leaves out every site-packages folder: the state of a plain system Python.
    result = subprocess.run(
        [sys.executable, "-S", str(REPO / "publish.py"), "check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "has no click" in result.stderr
    assert "run: .venv/bin/python publish.py check" in result.stderr

"""Deploying into a local folder: exact trees, changed-only uploads, scoping per site."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alusta.deploy import DeployError, deploy, deploy_paths
from alusta.errors import ConfigError
from tests.deploy_trees import Recorder, built_project, missing_assets, snapshot, write_site


def test_deploy_copies_every_site_to_its_place_and_only_changes_after(tmp_path: Path) -> None:
    www, beta_www = tmp_path / "www", tmp_path / "beta-www"
    settings = built_project(tmp_path / "project", main_deploy=str(www), beta_deploy=str(beta_www))

    first = deploy(settings)

    assert snapshot(www) == snapshot(settings.output_dir)
    assert "pilots/alpha/index.html" in snapshot(www)
    assert snapshot(beta_www) == snapshot(settings.root / "output-beta")
    assert first.uploaded == len(snapshot(www)) + len(snapshot(beta_www))
    assert first.unchanged == 0
    assert first.bytes == sum(map(len, snapshot(www).values())) + sum(
        map(len, snapshot(beta_www).values())
    )
    again = deploy(settings)
    assert (again.uploaded, again.deleted, again.bytes) == (0, 0, 0)
    assert again.unchanged == first.uploaded


def test_changed_and_removed_files_reach_the_target_in_order(tmp_path: Path) -> None:
    www = tmp_path / "www"
    settings = built_project(tmp_path / "project")
    deploy(settings, site_names=["main", "alpha"], target=str(www))
    write_site(settings.output_dir, 2)
    recorder = Recorder()

    summary = deploy(settings, site_names=["main", "alpha"], target=str(www), progress=recorder)

    assert snapshot(www) == snapshot(settings.output_dir)
    assert not missing_assets(snapshot(www))
    assert "posts/post-0.html" not in snapshot(www)
    plan = recorder.plans[0]
    assert summary.deleted == len(plan.deletions) > 0
    order = {key: i for i, key in enumerate(recorder.keys)}
    assets, pages, deletions = (
        [order[s.key] for s in steps] for steps in (plan.assets, plan.pages, plan.deletions)
    )
    assert all(s.key.endswith((".html", ".xml")) for s in plan.pages)
    assert not any(s.key.endswith((".html", ".xml")) for s in plan.assets)
    assert max(assets) < min(pages) and max(pages) < min(deletions)
    assert not [p for p in www.rglob("*") if p.is_dir() and not any(p.iterdir())]


def test_deploying_one_site_leaves_the_others_alone(tmp_path: Path) -> None:
    www = tmp_path / "www"
    settings = built_project(tmp_path / "project")
    deploy(settings, site_names=["main", "alpha"], target=str(www))
    write_site(settings.output_dir, 2)
    write_site(settings.output_dir / "pilots" / "alpha", 2)
    before = snapshot(www)

    deploy(settings, site_names=["alpha"], target=str(www))
    after = snapshot(www)
    assert {k: v for k, v in after.items() if not k.startswith("pilots/alpha/")} == {
        k: v for k, v in before.items() if not k.startswith("pilots/alpha/")
    }
    alpha_output = snapshot(settings.output_dir / "pilots" / "alpha")
    assert {
        k.removeprefix("pilots/alpha/"): v
        for k, v in after.items()
        if k.startswith("pilots/alpha/")
    } == alpha_output

    (www / "pilots" / "alpha" / "kept.txt").write_text("alpha's own", encoding="utf-8")
    (www / "stale.txt").write_text("left over", encoding="utf-8")
    write_site(settings.output_dir / "pilots" / "alpha", 3)
    deploy(settings, site_names=["main"], target=str(www))
    assert not (www / "stale.txt").exists()
    assert (www / "pilots" / "alpha" / "kept.txt").exists()
    assert snapshot(www / "pilots" / "alpha") != snapshot(settings.output_dir / "pilots" / "alpha")


def test_dry_run_reports_the_plan_and_changes_nothing(tmp_path: Path) -> None:
    www = tmp_path / "www"
    settings = built_project(tmp_path / "project")
    deploy(settings, site_names=["main"], target=str(www))
    write_site(settings.output_dir, 2)
    before = snapshot(www)

    summary = deploy(settings, site_names=["main"], target=str(www), dry_run=True)

    assert summary.uploaded > 0 and summary.deleted > 0
    assert snapshot(www) == before


def test_deploy_paths_sends_just_the_named_files(tmp_path: Path) -> None:
    www = tmp_path / "www"
    settings = built_project(tmp_path / "project", main_deploy=str(www))
    deploy(settings, site_names=["main", "alpha"])
    alpha = settings.site("alpha")
    alpha_out = settings.site_output(alpha)
    (alpha_out / "posts" / "post-1.html").write_text("<p>uusi mainita</p>", encoding="utf-8")
    (alpha_out / "posts" / "post-2.html").write_text("<p>not named</p>", encoding="utf-8")
    (alpha_out / "posts" / "post-3.html").unlink()

    summary = deploy_paths(settings, alpha, ["posts/post-1.html", alpha_out / "posts/post-3.html"])

    assert (summary.uploaded, summary.deleted) == (1, 1)
    target = www / "pilots" / "alpha" / "posts"
    assert (target / "post-1.html").read_text(encoding="utf-8") == "<p>uusi mainita</p>"
    assert "not named" not in (target / "post-2.html").read_text(encoding="utf-8")
    assert not (target / "post-3.html").exists()
    with pytest.raises(DeployError, match="not inside the output"):
        deploy_paths(settings, alpha, ["../../index.html"])


def test_a_site_without_a_target_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    settings = built_project(tmp_path / "project", beta_deploy="")
    with pytest.raises(ConfigError, match=r"'main' has no deploy target.*pelicanconf"):
        deploy(settings)
    with pytest.raises(ConfigError, match=r"'beta' has no deploy target.*pilot\.toml"):
        deploy(settings, target=str(tmp_path / "www"))
    assert not (tmp_path / "www").exists()


@pytest.mark.parametrize("inside", ["", "output", "output/pilots"])
def test_a_folder_target_around_the_output_is_refused(tmp_path: Path, inside: str) -> None:
    settings = built_project(tmp_path / "project")
    with pytest.raises(DeployError, match="refusing to deploy"):
        deploy(settings, site_names=["main"], target=str(settings.root / inside))
    assert snapshot(settings.output_dir)


def test_an_unbuilt_site_is_reported(tmp_path: Path) -> None:
    settings = built_project(tmp_path / "project")
    (settings.root / "output-beta").rename(settings.root / "elsewhere")
    with pytest.raises(DeployError, match=r"run `publish\.py build` first"):
        deploy(settings, site_names=["beta"], target=str(tmp_path / "www"))


def test_cli_deploy_prints_the_summary(tmp_path: Path) -> None:
    from publish import cli  # noqa: PLC0415

    www = tmp_path / "www"
    settings = built_project(tmp_path / "project")
    runner = CliRunner()
    arguments = ["--root", str(settings.root), "deploy", "--site", "main", "--to", str(www)]

    dry = runner.invoke(cli, [*arguments, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "(dry run: nothing was changed)" in dry.output
    assert not www.exists()
    done = runner.invoke(cli, arguments)
    assert done.exit_code == 0, done.output
    count = len(snapshot(www))
    assert f"uploaded {count}, unchanged 0, deleted 0" in done.output
    again = runner.invoke(cli, arguments)
    assert f"uploaded 0, unchanged {count}, deleted 0, 0 B" in again.output
    bad = runner.invoke(cli, ["--root", str(settings.root), "deploy", "--to", "ftp://x"])
    assert bad.exit_code == 1
    assert "unknown target kind" in bad.output


def test_cli_shows_a_progress_bar_on_long_uploads_only(tmp_path: Path) -> None:
    from alusta.cli.deploy import LONG_UPLOAD_FILES  # noqa: PLC0415
    from publish import cli  # noqa: PLC0415

    settings = built_project(tmp_path / "project")
    runner = CliRunner()
    arguments = ["--root", str(settings.root), "deploy", "--site", "main", "--to"]
    small = runner.invoke(cli, [*arguments, str(tmp_path / "small")])
    assert small.exit_code == 0, small.output
    assert "uploading" not in small.output
    many = settings.output_dir / "images" / "many"
    many.mkdir()
    for number in range(LONG_UPLOAD_FILES):
        (many / f"{number}.txt").write_text(str(number), encoding="utf-8")
    large = runner.invoke(cli, [*arguments, str(tmp_path / "large")])
    assert large.exit_code == 0, large.output
    assert "uploading" in large.output
    assert len(list((tmp_path / "large" / "images" / "many").iterdir())) == LONG_UPLOAD_FILES

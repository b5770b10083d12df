"""Deploying to a branch of a local bare repository with the real git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from alusta.deploy import DeployError, deploy
from tests.deploy_trees import built_project, snapshot, write_site


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def branch_tree(repo: Path, branch: str) -> dict[str, bytes]:
    names = git("ls-tree", "-r", "--name-only", branch, cwd=repo).split()
    return {
        name: subprocess.run(
            ["git", "show", f"{branch}:{name}"], cwd=repo, check=True, capture_output=True
        ).stdout
        for name in names
    }


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    repo = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(repo), cwd=tmp_path)
    return repo


def test_git_deploy_commits_the_output_to_the_branch(tmp_path: Path, bare: Path) -> None:
    settings = built_project(tmp_path / "project")
    target = f"git:{bare}#site"

    first = deploy(settings, site_names=["main", "alpha"], target=target)

    assert branch_tree(bare, "site") == snapshot(settings.output_dir)
    assert first.uploaded == len(snapshot(settings.output_dir))
    assert git("rev-list", "--count", "site", cwd=bare).strip() == "1"

    again = deploy(settings, site_names=["main", "alpha"], target=target)
    assert (again.uploaded, again.deleted) == (0, 0)
    assert git("rev-list", "--count", "site", cwd=bare).strip() == "1"

    write_site(settings.output_dir, 2)
    third = deploy(settings, site_names=["main", "alpha"], target=target)
    assert branch_tree(bare, "site") == snapshot(settings.output_dir)
    assert third.deleted > 0
    assert git("rev-list", "--count", "site", cwd=bare).strip() == "2"


def test_git_deploy_of_one_pilot_keeps_the_rest_of_the_branch(tmp_path: Path, bare: Path) -> None:
    settings = built_project(tmp_path / "project", main_deploy=f"git:{bare}")
    deploy(settings, site_names=["main", "alpha"])
    before = branch_tree(bare, "gh-pages")
    write_site(settings.output_dir / "pilots" / "alpha", 2)
    write_site(settings.output_dir, 2)

    deploy(settings, site_names=["alpha"])

    after = branch_tree(bare, "gh-pages")
    outside = {k: v for k, v in after.items() if not k.startswith("pilots/alpha/")}
    assert outside == {k: v for k, v in before.items() if not k.startswith("pilots/alpha/")}
    alpha = {k.removeprefix("pilots/alpha/"): v for k, v in after.items() if k not in outside}
    assert alpha == snapshot(settings.output_dir / "pilots" / "alpha")


def test_git_deploy_to_a_missing_remote_says_so(tmp_path: Path) -> None:
    settings = built_project(tmp_path / "project")
    with pytest.raises(DeployError, match="git ls-remote failed"):
        deploy(settings, site_names=["main"], target=f"git:{tmp_path / 'nowhere.git'}")

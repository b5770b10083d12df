"""Deploying with the real rsync program to a local path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alusta.deploy import deploy, deploy_paths
from alusta.deploy.plan import Scope
from alusta.deploy.rsync import parse_line, scope_filters
from tests.deploy_trees import (
    Recorder,
    built_project,
    folders,
    missing_assets,
    snapshot,
    write_site,
)

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")


def test_rsync_target_matches_the_output_exactly_after_changes(tmp_path: Path) -> None:
    www = tmp_path / "www"
    settings = built_project(tmp_path / "project")
    target = f"rsync:{www}"
    first = deploy(settings, site_names=["main", "alpha"], target=target)
    assert snapshot(www) == snapshot(settings.output_dir)
    assert first.uploaded == len(snapshot(www))

    write_site(settings.output_dir, 2)
    write_site(settings.output_dir / "pilots" / "alpha", 2)
    (settings.output_dir / "posts" / "post-3.html").write_text("muutettu", encoding="utf-8")
    recorder = Recorder()
    second = deploy(settings, site_names=["main", "alpha"], target=target, progress=recorder)

    assert snapshot(www) == snapshot(settings.output_dir)
    assert folders(www) == folders(settings.output_dir)
    assert not missing_assets(snapshot(www))
    plan = recorder.plans[0]
    assert second.deleted == len(plan.deletions) > 0
    assert second.uploaded == len(plan.uploads) < len(snapshot(www))
    uploaded = [k for k in recorder.keys if k in {s.key for s in plan.uploads}]
    assert uploaded == [s.key for s in plan.assets] + [s.key for s in plan.pages]
    third = deploy(settings, site_names=["main", "alpha"], target=target)
    assert (third.uploaded, third.deleted, third.bytes) == (0, 0, 0)
    assert third.unchanged == len(snapshot(www))


def test_rsync_to_one_pilot_touches_only_its_folder(tmp_path: Path) -> None:
    www = tmp_path / "www"
    settings = built_project(tmp_path / "project")
    deploy(settings, site_names=["main", "alpha"], target=f"rsync:{www}")
    (www / "stale-main.txt").write_text("main's business", encoding="utf-8")
    (www / "pilots" / "alpha" / "stale.txt").write_text("gone soon", encoding="utf-8")
    write_site(settings.output_dir / "pilots" / "alpha", 2)

    summary = deploy(settings, site_names=["alpha"], target=f"rsync:{www}")

    assert (www / "stale-main.txt").exists()
    assert snapshot(www / "pilots" / "alpha") == snapshot(settings.output_dir / "pilots" / "alpha")
    assert summary.deleted >= 1
    write_site(settings.output_dir, 3)
    deploy(settings, site_names=["main"], target=f"rsync:{www}")
    assert not (www / "stale-main.txt").exists()
    assert snapshot(www / "pilots" / "alpha") == snapshot(settings.output_dir / "pilots" / "alpha")


def test_rsync_deploy_paths_sends_and_deletes_named_files_only(tmp_path: Path) -> None:
    www = tmp_path / "www"
    settings = built_project(tmp_path / "project", main_deploy=f"rsync:{www}")
    deploy(settings, site_names=["main"])
    (settings.output_dir / "index.html").write_text("uusi etusivu", encoding="utf-8")
    (settings.output_dir / "posts" / "post-2.html").write_text("ei mukana", encoding="utf-8")
    (settings.output_dir / "posts" / "post-4.html").unlink()

    summary = deploy_paths(settings, settings.main, ["index.html", "posts/post-4.html"])

    assert (summary.uploaded, summary.deleted) == (1, 1)
    assert (www / "index.html").read_text(encoding="utf-8") == "uusi etusivu"
    assert (www / "posts" / "post-2.html").read_text(encoding="utf-8") != "ei mukana"
    assert not (www / "posts" / "post-4.html").exists()


def test_scope_filters_and_itemized_lines() -> None:
    assert scope_filters(Scope()) == []
    assert scope_filters(Scope(protect=("pilots/a/",))) == ["--exclude=/pilots/a/"]
    assert scope_filters(Scope(include=("pilots/b/",))) == [
        "--include=/pilots/",
        "--include=/pilots/b/***",
        "--exclude=*",
    ]
    assert parse_line(">f+++++++++|12|css/a b.css\n") == ("upload", "css/a b.css", 12)
    assert parse_line("*deleting  |0|old.html\n") == ("delete", "old.html", 0)
    assert parse_line("*deleting  |0|old/\n") is None
    assert parse_line("cd+++++++++|4096|css/\n") is None
    assert parse_line(".f..t......|12|same.css\n") is None

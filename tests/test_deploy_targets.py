"""Target strings, per-object headers and plan ordering (pure parsing and records)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alusta.deploy import DeployError, Target, TargetKind, parse_target, placements
from alusta.deploy.headers import cache_control, content_type
from alusta.deploy.plan import LocalFile, Scope, make_plan
from alusta.errors import ConfigError
from tests.deploy_trees import built_project


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("www", Target(TargetKind.FOLDER, "/base/www")),
        ("/srv/www/", Target(TargetKind.FOLDER, "/srv/www")),
        (
            "rsync:deploy@web.example:/srv/www",
            Target(TargetKind.RSYNC, "deploy@web.example:/srv/www"),
        ),
        ("rsync:out/site", Target(TargetKind.RSYNC, "/base/out/site")),
        ("rsync:rsync://host/module", Target(TargetKind.RSYNC, "rsync://host/module")),
        ("s3://my-bucket", Target(TargetKind.S3, "my-bucket")),
        ("s3://my-bucket/sites/main/", Target(TargetKind.S3, "my-bucket", prefix="sites/main")),
        (
            "git:git@example.org:me/site.git",
            Target(TargetKind.GIT, "git@example.org:me/site.git", branch="gh-pages"),
        ),
        (
            "git:https://example.org/site.git#pages",
            Target(TargetKind.GIT, "https://example.org/site.git", branch="pages"),
        ),
    ],
)
def test_parse_target(text: str, expected: Target) -> None:
    assert parse_target(text, base=Path("/base")) == expected


def test_endpoint_url_belongs_to_s3_only() -> None:
    target = parse_target("s3://b-1/p", endpoint_url="https://s3.example")
    assert target.endpoint_url == "https://s3.example"
    assert str(target) == "s3://b-1/p"
    with pytest.raises(DeployError, match="only applies to s3://"):
        parse_target("/srv/www", endpoint_url="https://s3.example")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("ftp://host/www", "unknown target kind"),
        ("s3://Bad_Bucket", "not a valid bucket name"),
        ("rsync:", "needs a destination"),
        ("git:#main", "needs a remote"),
        ("git:/srv/site.git#bad..branch", "not a valid branch name"),
        ("s3://bucket-ok", ""),
    ],
)
def test_bad_targets_say_why(text: str, reason: str) -> None:
    if not reason:
        assert parse_target(text).kind is TargetKind.S3
        return
    with pytest.raises(DeployError, match=reason):
        parse_target(text)


@pytest.mark.parametrize(
    ("key", "kind", "cache"),
    [
        ("index.html", "text/html; charset=utf-8", "public, max-age=300, must-revalidate"),
        (
            "feeds/all.atom.xml",
            "application/atom+xml; charset=utf-8",
            "public, max-age=300, must-revalidate",
        ),
        (
            "feeds/all.rss.xml",
            "application/rss+xml; charset=utf-8",
            "public, max-age=300, must-revalidate",
        ),
        ("sitemap.xml", "application/xml; charset=utf-8", "public, max-age=300, must-revalidate"),
        (
            "theme/css/style.3f9a1c2b.css",
            "text/css; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        (
            "theme/js/app.0123456789abcdef.js",
            "application/javascript; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        ("theme/css/style.css", "text/css; charset=utf-8", "public, max-age=86400"),
        ("images/kuva.JPG", "image/jpeg", "public, max-age=86400"),
        ("fonts/inter.woff2", "font/woff2", "public, max-age=86400"),
        ("images/logo.svg", "image/svg+xml; charset=utf-8", "public, max-age=86400"),
        ("data/blob", "application/octet-stream", "public, max-age=86400"),
    ],
)
def test_object_headers(key: str, kind: str, cache: str) -> None:
    assert (content_type(key), cache_control(key)) == (kind, cache)


def test_plan_orders_assets_pages_deletions_and_skips_same_files(tmp_path: Path) -> None:
    def local(key: str, size: int = 1) -> LocalFile:
        return LocalFile(key, tmp_path / key, size)

    built = {k: local(k) for k in ("b.html", "a.css", "feed.xml", "img.png", "same.js")}
    remote = {"same.js": 1, "img.png": 2, "old.html": 1, "old.css": 1}
    plan = make_plan(built, remote, lambda f, r: f.size == r)

    assert [s.key for s in plan.assets] == ["a.css", "img.png"]
    assert [s.key for s in plan.pages] == ["b.html", "feed.xml"]
    assert [s.key for s in plan.deletions] == ["old.css", "old.html"]
    assert [s.key for s in plan.steps()][:2] == ["a.css", "img.png"]
    assert plan.unchanged == 1
    assert Scope(include=("pilots/a/",)).owns("pilots/a/x.html")
    assert not Scope(include=("pilots/a/",)).owns("pilots/ab/x.html")
    assert not Scope(protect=("pilots/b/",)).owns("pilots/b/index.html")


def test_placements_follow_the_output_layout(tmp_path: Path) -> None:
    settings = built_project(tmp_path / "p", main_deploy="/srv/www", beta_deploy="s3://beta-site")
    shared, beta = placements(settings)
    assert (shared.sites, shared.target, shared.scope) == (
        ("main", "alpha"),
        Target(TargetKind.FOLDER, "/srv/www"),
        Scope(),
    )
    assert (beta.source, beta.target) == (
        settings.root / "output-beta",
        Target(TargetKind.S3, "beta-site"),
    )
    [alpha] = placements(settings, site_names=["alpha"])
    assert alpha.scope == Scope(include=("pilots/alpha/",))
    [main] = placements(settings, site_names=["main"])
    assert main.scope == Scope(protect=("pilots/alpha/",))
    elsewhere = parse_target("/tmp/x")
    [own] = placements(settings, site_names=["beta"], target=elsewhere)
    assert own.target == elsewhere
    assert placements(settings, target=elsewhere)[1].target == Target(TargetKind.S3, "beta-site")
    with pytest.raises(ConfigError, match="same target"):
        placements(settings, site_names=["main", "beta"], target=elsewhere)
    with pytest.raises(ConfigError, match="unknown site 'gamma'"):
        placements(settings, site_names=["gamma"])

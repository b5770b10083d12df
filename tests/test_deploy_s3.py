"""Deploying to an S3 bucket served on 127.0.0.1 by moto's server mode."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

from alusta.deploy import deploy, deploy_paths, parse_target  # noqa: E402
from alusta.settings import load_settings  # noqa: E402
from tests.deploy_trees import built_project, missing_assets, snapshot, write_site  # noqa: E402

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "NO_PROXY": "127.0.0.1",
}
_buckets = itertools.count()


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """The URL of a moto S3 server on a free port of 127.0.0.1."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str]:
    """A client and the name of a new, empty bucket."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    name = f"alusta-test-{next(_buckets)}"
    client.create_bucket(Bucket=name)
    return client, name


def objects(client: Any, bucket: str, prefix: str = "") -> dict[str, bytes]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
    return {
        key.removeprefix(prefix): client.get_object(Bucket=bucket, Key=key)["Body"].read()
        for key in keys
    }


def test_s3_deploy_uploads_with_types_and_caching_then_only_changes(
    tmp_path: Path, bucket: tuple[Any, str], s3_endpoint: str
) -> None:
    client, name = bucket
    settings = built_project(tmp_path / "project")
    target = parse_target(f"s3://{name}/site", endpoint_url=s3_endpoint)

    first = deploy(settings, site_names=["main", "alpha"], target=target)

    assert objects(client, name, "site/") == snapshot(settings.output_dir)
    assert first.uploaded == len(snapshot(settings.output_dir))
    css = next(k for k in snapshot(settings.output_dir) if k.endswith(".css"))
    expected = {
        "index.html": ("text/html; charset=utf-8", "public, max-age=300, must-revalidate"),
        "feeds/all.atom.xml": (
            "application/atom+xml; charset=utf-8",
            "public, max-age=300, must-revalidate",
        ),
        css: ("text/css; charset=utf-8", "public, max-age=31536000, immutable"),
        "images/photo-0-v1.png": ("image/png", "public, max-age=86400"),
        "images/logo.svg": ("image/svg+xml; charset=utf-8", "public, max-age=86400"),
        "pilots/alpha/robots.txt": ("text/plain; charset=utf-8", "public, max-age=86400"),
    }
    for key, (kind, cache) in expected.items():
        head = client.head_object(Bucket=name, Key=f"site/{key}")
        assert (head["ContentType"], head["CacheControl"]) == (kind, cache), key

    again = deploy(settings, site_names=["main", "alpha"], target=target)
    assert (again.uploaded, again.deleted, again.bytes) == (0, 0, 0)
    assert again.unchanged == first.uploaded

    write_site(settings.output_dir, 2)
    third = deploy(settings, site_names=["main", "alpha"], target=target)
    assert objects(client, name, "site/") == snapshot(settings.output_dir)
    assert not missing_assets(objects(client, name, "site/"))
    assert third.deleted > 0 and 0 < third.uploaded < len(snapshot(settings.output_dir))


def test_s3_target_from_config_with_endpoint_from_environment(
    tmp_path: Path, bucket: tuple[Any, str], s3_endpoint: str
) -> None:
    client, name = bucket
    built = built_project(tmp_path / "project", beta_deploy=f"s3://{name}")
    settings = load_settings(built.root, environ={"ALUSTA_S3_ENDPOINT_URL": s3_endpoint})
    client.put_object(Bucket=name, Key="left-over.html", Body=b"old")

    summary = deploy(settings, site_names=["beta"])

    assert objects(client, name) == snapshot(settings.root / "output-beta")
    assert summary.deleted == 1

    out = settings.root / "output-beta"
    (out / "index.html").write_text("uusi", encoding="utf-8")
    (out / "robots.txt").unlink()
    partial = deploy_paths(settings, settings.site("beta"), ["index.html", "robots.txt"])
    assert (partial.uploaded, partial.deleted) == (1, 1)
    assert objects(client, name) == snapshot(out)


def test_s3_errors_are_reported_with_the_bucket(
    tmp_path: Path, bucket: tuple[Any, str], s3_endpoint: str
) -> None:
    from alusta.deploy import DeployError  # noqa: PLC0415

    settings = built_project(tmp_path / "project")
    target = parse_target("s3://no-such-bucket-here", endpoint_url=s3_endpoint)
    with pytest.raises(DeployError, match="s3://no-such-bucket-here"):
        deploy(settings, site_names=["main"], target=target)

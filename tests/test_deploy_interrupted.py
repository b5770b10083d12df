"""A deploy killed midway leaves every page old or new, with all of its assets there.

The deploy runs in its own process, slowed by its progress callback (the test's own, not a
hook in the library), and is killed with SIGKILL in the middle of the asset or page phase.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.deploy_trees import built_project, missing_assets, snapshot, write_site

REPO = Path(__file__).resolve().parents[1]
WAIT_SECONDS = 60
SLOW_DEPLOY = """
import sys, time
from alusta.deploy import deploy, parse_target
from alusta.settings import load_settings

class Slow:
    def begin(self, label, plan):
        print("plan", len(plan.assets), len(plan.pages), len(plan.deletions), flush=True)

    def advance(self, step):
        print("step", step.key, flush=True)
        time.sleep(0.05)

root, target, endpoint = sys.argv[1:4]
deploy(load_settings(root, environ={}), target=parse_target(target, endpoint_url=endpoint),
       site_names=["main", "alpha"], progress=Slow())
print("done", flush=True)
"""


def kill_midway(root: Path, target: str, endpoint: str, phase: str) -> list[str]:
    """Run the slow deploy and kill its process group halfway through `phase`."""
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_DEPLOY, str(root), target, endpoint],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None
    _, assets, pages, _ = process.stdout.readline().split()
    stop_after = int(assets) // 2 if phase == "assets" else int(assets) + int(pages) // 2
    done = []
    while len(done) < stop_after:
        line = process.stdout.readline()
        assert line.startswith("step"), f"deploy ended before it could be interrupted: {line!r}"
        done.append(line.split()[1])
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=WAIT_SECONDS)
    assert process.returncode == -signal.SIGKILL
    return done


def assert_consistent(
    served: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]
) -> None:
    pages = [k for k in served if k.endswith(".html")]
    assert pages
    for key in pages:
        assert served[key] in (old.get(key), new.get(key)), f"{key} is neither version"
    assert missing_assets(served) == []


def s3_reader(endpoint: str, bucket: str) -> Any:
    boto3 = pytest.importorskip("boto3")
    client = boto3.client("s3", endpoint_url=endpoint)
    client.create_bucket(Bucket=bucket)

    def read() -> dict[str, bytes]:
        listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            for item in listing
        }

    return read


@pytest.fixture
def s3_env(monkeypatch: pytest.MonkeyPatch) -> Any:
    moto_server = pytest.importorskip("moto.server")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "NO_PROXY": "127.0.0.1",
    }.items():
        monkeypatch.setenv(name, value)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.mark.parametrize("phase", ["assets", "pages"])
@pytest.mark.parametrize("kind", ["folder", "rsync", "s3"])
def test_interrupted_deploy_serves_old_or_new_pages_with_their_assets(
    tmp_path: Path, kind: str, phase: str, request: pytest.FixtureRequest
) -> None:
    from alusta.deploy import deploy, parse_target  # noqa: PLC0415

    if kind == "rsync" and shutil.which("rsync") is None:
        pytest.skip("rsync is not installed")
    endpoint = request.getfixturevalue("s3_env") if kind == "s3" else ""
    www = tmp_path / "www"
    target, read = {
        "folder": (str(www), lambda: snapshot(www)),
        "rsync": (f"rsync:{www}", lambda: snapshot(www)),
        "s3": ("s3://interrupted", None),
    }[kind]
    if kind == "s3":
        read = s3_reader(endpoint, "interrupted")
    settings = built_project(tmp_path / "project")
    deploy(
        settings, site_names=["main", "alpha"], target=parse_target(target, endpoint_url=endpoint)
    )
    old = read()
    assert old == snapshot(settings.output_dir)
    write_site(settings.output_dir, 2)
    new = snapshot(settings.output_dir)

    done = kill_midway(settings.root, target, endpoint, phase)

    served = read()
    assert served != new, "the deploy finished before it was killed"
    assert_consistent(served, old, new)
    if phase == "pages":
        assert any(served.get(k) == new[k] != old.get(k) for k in done if k.endswith(".html"))
    deploy(
        settings, site_names=["main", "alpha"], target=parse_target(target, endpoint_url=endpoint)
    )
    assert read() == new

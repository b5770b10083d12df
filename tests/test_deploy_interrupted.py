"""A deploy killed midway leaves every page old or new, with all of its assets there.

The folder and S3 deploys run in their own process, slowed by their progress callback (the
test's own, not a hook in the library), and are killed with SIGKILL in the middle of the
asset or page phase. The rsync deploy is killed inside an rsync pass: rsync's own
`--bwlimit` (added by an `rsync` on the deploy's PATH that runs the real one) makes a pass
last long enough to see its temporary file in the target, and the kill lands then.
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
from tests.waiting import wait_until

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
@pytest.mark.parametrize("kind", ["folder", "s3"])
def test_interrupted_deploy_serves_old_or_new_pages_with_their_assets(
    tmp_path: Path, kind: str, phase: str, request: pytest.FixtureRequest
) -> None:
    from alusta.deploy import deploy, parse_target  # noqa: PLC0415

    endpoint = request.getfixturevalue("s3_env") if kind == "s3" else ""
    www = tmp_path / "www"
    target, read = {
        "folder": (str(www), lambda: snapshot(www)),
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


PLAIN_DEPLOY = """
import sys
from alusta.deploy import deploy, parse_target
from alusta.settings import load_settings

root, target = sys.argv[1:3]
deploy(load_settings(root, environ={}), target=parse_target(target), site_names=["main", "alpha"])
"""
RSYNC_BYTES_PER_SECOND = 2_000_000  # --bwlimit: a pass of the padded files lasts seconds
PADDING_BYTES = {".png": 400_000, ".html": 100_000}


def slow_rsync_path(folder: Path) -> str:
    """A PATH whose `rsync` is the real one with --bwlimit, so passes take observable time."""
    real = shutil.which("rsync")
    folder.mkdir()
    wrapper = folder / "rsync"
    limit = RSYNC_BYTES_PER_SECOND // 1024
    wrapper.write_text(f'#!/bin/sh\nexec {real} --bwlimit={limit} "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def pad(folder: Path) -> None:
    """Make images and pages big enough that rsync spends time inside each of them."""
    for path in folder.rglob("*"):
        extra = PADDING_BYTES.get(path.suffix)
        if extra and path.is_file() and "pilots" not in path.relative_to(folder).parts:
            filler = b"\0" * extra if path.suffix == ".png" else b"<!--" + b"x" * extra + b"-->"
            path.write_bytes(path.read_bytes() + filler)


def in_flight(www: Path, suffix: str) -> list[Path]:
    """rsync's temporary files (.name.XXXXXX) of files ending in `suffix`, in the target."""
    return [p for p in www.rglob(".*") if p.is_file() and f"{suffix}." in p.name]


def kill_inside_rsync_pass(
    root: Path, www: Path, path: str, phase: str, changed: dict[str, bytes]
) -> list[Path]:
    """Deploy, and SIGKILL the deploy and its rsync while a file of `phase` is in transfer
    (for pages: once at least one changed page is already there)."""
    suffix = ".png" if phase == "assets" else ".html"
    pages_done = [k for k in changed if k.endswith(".html")]
    process = subprocess.Popen(
        [sys.executable, "-c", PLAIN_DEPLOY, str(root), f"rsync:{www}"],
        stdout=subprocess.DEVNULL,
        cwd=REPO,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "PATH": path},
    )  # fmt: skip

    def inside_the_pass() -> list[str]:
        assert process.poll() is None, "the deploy ended before rsync could be interrupted"
        partial = in_flight(www, suffix)
        some_new = any((www / k).is_file() and (www / k).read_bytes() == changed[k]
                       for k in pages_done)  # fmt: skip
        return partial if partial and (phase == "assets" or some_new) else []

    try:
        partial = wait_until(
            inside_the_pass, seconds=WAIT_SECONDS, interval=0.005,
            what=f"rsync inside its pass on the {phase}",
        )  # fmt: skip
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=WAIT_SECONDS)
    return partial


@pytest.mark.parametrize("phase", ["assets", "pages"])
def test_rsync_killed_inside_a_pass_serves_old_or_new_pages_with_their_assets(
    tmp_path: Path, phase: str
) -> None:
    from alusta.deploy import deploy, parse_target  # noqa: PLC0415

    if shutil.which("rsync") is None:
        pytest.skip("rsync is not installed")
    www = tmp_path / "www"
    settings = built_project(tmp_path / "project")
    deploy(settings, site_names=["main", "alpha"], target=parse_target(f"rsync:{www}"))
    old = snapshot(www)
    write_site(settings.output_dir, 2)
    pad(settings.output_dir)
    new = snapshot(settings.output_dir)

    changed = {k: v for k, v in new.items() if old.get(k) != v}
    partial = kill_inside_rsync_pass(
        settings.root, www, slow_rsync_path(tmp_path / "bin"), phase, changed
    )

    served = {k: v for k, v in snapshot(www).items() if not k.rsplit("/", 1)[-1].startswith(".")}
    assert partial, "the kill landed outside a transfer"
    assert served != new, "the deploy finished before it was killed"
    assert_consistent(served, old, new)
    pages = [k for k in served if k.endswith(".html")]
    if phase == "assets":
        assert all(served[k] == old.get(k) for k in pages), "a page went out before its assets"
    else:
        assert any(served[k] == new.get(k) != old.get(k) for k in pages)
        still_old = [k for k in pages if k in new and served[k] == old.get(k) != new[k]]
        assert still_old, "the page pass had ended"
    deploy(settings, site_names=["main", "alpha"], target=parse_target(f"rsync:{www}"))
    assert snapshot(www) == new, "the next deploy completes it and leaves no temporary file"

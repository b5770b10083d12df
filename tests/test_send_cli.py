"""`publish.py send` through click's CliRunner and as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import cli
from tests.send_project import SendProject, make_project, post_url
from tests.send_servers import Response, TargetServer

REPO = Path(__file__).resolve().parents[1]
PRIVATE = {"ALUSTA_ALLOW_PRIVATE_ADDRESSES": "1"}
ENDPOINT_PAGE = '<!doctype html><link rel="webmention" href="/webmention"><p>target</p>'


@pytest.fixture
def receiver() -> TargetServer:
    with TargetServer() as server:
        server.add_page("/a", ENDPOINT_PAGE)
        yield server


@pytest.fixture
def site(tmp_path) -> SendProject:
    return make_project(tmp_path / "project")


def run(project: SendProject, *args: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["--root", str(project.root), "send", *args], env=env)


def test_dry_run_prints_each_notification_with_its_reason(site, receiver):
    site.write_post("eka", f"[a]({receiver.url('/a')})")
    site.build()

    result = run(site, "--dry-run", env=PRIVATE)

    assert result.exit_code == 0, result.output
    assert f"would send: new-link: {post_url('eka')} -> {receiver.url('/a')}" in result.output
    assert receiver.posted() == []


def test_status_lists_retries_and_given_up_notifications(site, receiver):
    receiver.script_posts("/webmention", *[Response(503, [], "try later")] * 3)
    site.write_post("eka", f"[a]({receiver.url('/a')})")
    site.build()

    sent = run(site, env=PRIVATE)
    status = run(site, "--status", env=PRIVATE)

    assert sent.exit_code == 0 and "retry:" in sent.output
    assert f"pending: {post_url('eka')} -> {receiver.url('/a')}" in status.output
    assert "retry webmention" in status.output and "503 try later" in status.output


def test_one_notification_prints_endpoint_status_and_body(site, receiver):
    receiver.script_posts("/webmention", Response(201, [], "Created, see status page"))

    result = run(
        site, "--source", "https://alusta.example/x/", "--target", receiver.url("/a"), env=PRIVATE
    )

    assert result.exit_code == 0, result.output
    assert f"endpoint: {receiver.url('/webmention')} (webmention)" in result.output
    assert "status:   201" in result.output
    assert "response: Created, see status page" in result.output


def test_send_before_any_build_is_a_clear_error(site):
    result = run(site)

    assert result.exit_code == 1
    assert "site main has not been built yet" in result.output


def test_send_as_a_subprocess_sends_once(site, receiver):
    site.write_post("eka", f"[a]({receiver.url('/a')})")
    site.build()
    environ = {**os.environ, **PRIVATE, "PYTHONPATH": str(REPO)}
    command = [sys.executable, str(REPO / "publish.py"), "--root", str(site.root), "send"]

    first = subprocess.run(
        command, env=environ, capture_output=True, text=True, check=False, timeout=120
    )
    second = subprocess.run(
        command, env=environ, capture_output=True, text=True, check=False, timeout=120
    )

    assert first.returncode == 0, first.stderr
    assert "1 notification(s) tried" in first.stdout
    assert "0 notification(s) tried" in second.stdout
    assert len(receiver.posted("/webmention")) == 1

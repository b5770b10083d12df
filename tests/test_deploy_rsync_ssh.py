"""Deploying with rsync over SSH (`rsync:user@host:path`) to a real sshd on 127.0.0.1.

The fixture starts Debian's OpenSSH server on a free loopback port with throwaway keys and
a config of its own in tmp_path; the deploy reaches it the way a maintainer's does: the
target comes from the site's configuration and the SSH options from `RSYNC_RSH`
(docs/deploy.md, "Over SSH").
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from alusta.deploy import DeployError, deploy
from tests.deploy_trees import built_project, folders, missing_assets, snapshot, write_site

SSHD = Path("/usr/sbin/sshd")
PRIVSEP_DIR = Path("/run/sshd")  # sshd started as root refuses to run without it
START_TIMEOUT_SECONDS = 10
STOP_TIMEOUT_SECONDS = 5
CLI_TIMEOUT_SECONDS = 120
REPO = Path(__file__).resolve().parents[1]
SITES = ["main", "alpha"]

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")


@dataclass(frozen=True)
class SshServer:
    """A running sshd: where to log in, and the `RSYNC_RSH` that gets there."""

    user: str
    port: int
    rsync_rsh: str
    log: Path

    def accepted_logins(self) -> int:
        return self.log.read_text(encoding="utf-8").count(f"Accepted publickey for {self.user}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def keygen(path: Path) -> str:
    """A new ed25519 key pair without a passphrase; returns the public key line."""
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
        capture_output=True,
    )
    return path.with_suffix(".pub").read_text(encoding="utf-8").strip()


def rsync_rsh(port: int, key: Path, known_hosts: Path) -> str:
    """An ssh command for RSYNC_RSH: only this key, only this host key, never a prompt."""
    return (
        f"ssh -F /dev/null -p {port} -i {key} -o IdentitiesOnly=yes -o BatchMode=yes"
        f" -o StrictHostKeyChecking=yes -o UserKnownHostsFile={known_hosts}"
        " -o ConnectTimeout=10 -o LogLevel=ERROR"
    )


def sshd_config(folder: Path, port: int) -> Path:
    config = folder / "sshd_config"
    config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {folder / 'host_key'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPidFile {folder / 'sshd.pid'}\n"
        "PubkeyAuthentication yes\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
        "StrictModes no\nUsePAM no\nLogLevel INFO\n",
        encoding="utf-8",
    )
    return config


def wait_for_login(process: subprocess.Popen[bytes], server: SshServer) -> str:
    """'' once a login runs a command over SSH, else why sshd is not usable here."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    reason = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"sshd exited ({process.returncode}): {server.log.read_text().strip()}"
        probe = subprocess.run(
            [*server.rsync_rsh.split(), f"{server.user}@127.0.0.1", "true"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0:
            return ""
        reason = f"ssh login failed: {probe.stderr.strip()} | sshd: {server.log.read_text()}"
        time.sleep(0.2)
    return reason


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[SshServer]:
    """OpenSSH's sshd on 127.0.0.1 and a free port, accepting one throwaway client key."""
    if not SSHD.exists() or shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        pytest.skip("OpenSSH is not installed (./dev test installs openssh-server)")
    if os.geteuid() == 0:
        PRIVSEP_DIR.mkdir(mode=0o755, exist_ok=True)
    folder = tmp_path / "ssh"
    folder.mkdir()
    port = free_port()
    host_key = keygen(folder / "host_key")
    (folder / "authorized_keys").write_text(keygen(folder / "client") + "\n", encoding="utf-8")
    (folder / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key}\n", encoding="utf-8")
    server = SshServer(
        user=pwd.getpwuid(os.geteuid()).pw_name,
        port=port,
        rsync_rsh=rsync_rsh(port, folder / "client", folder / "known_hosts"),
        log=folder / "sshd.log",
    )
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(sshd_config(folder, port))],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        reason = wait_for_login(process, server)
        if reason:
            pytest.skip(f"sshd cannot run here: {reason}")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cli_deploy(root: Path, rsh: str) -> str:
    """`publish.py deploy` as a maintainer runs it, with RSYNC_RSH in the environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ALUSTA_")}
    environment["RSYNC_RSH"] = rsh
    sites = [part for name in SITES for part in ("--site", name)]
    result = subprocess.run(
        [sys.executable, str(REPO / "publish.py"), "--root", str(root), "deploy", *sites],
        capture_output=True,
        text=True,
        env=environment,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_rsync_over_ssh_keeps_the_target_equal_to_the_output(
    tmp_path: Path, sshd: SshServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    www = tmp_path / "www"  # does not exist yet: rsync on the server side creates it
    destination = f"rsync:{sshd.user}@127.0.0.1:{www}"
    settings = built_project(tmp_path / "project", main_deploy=destination)
    monkeypatch.setenv("RSYNC_RSH", sshd.rsync_rsh)
    logins = sshd.accepted_logins()

    first = deploy(settings, site_names=SITES)

    assert first.targets == (f"main, alpha → {destination}",)
    assert sshd.accepted_logins() > logins  # it went through sshd, not a local copy
    assert snapshot(www) == snapshot(settings.output_dir)
    assert first.uploaded == len(snapshot(www))

    write_site(settings.output_dir, 2)
    write_site(settings.output_dir / "pilots" / "alpha", 2)
    (settings.output_dir / "posts" / "post-3.html").write_text("muutettu", encoding="utf-8")
    second = deploy(settings, site_names=SITES)

    assert snapshot(www) == snapshot(settings.output_dir)
    assert folders(www) == folders(settings.output_dir)
    assert not missing_assets(snapshot(www))
    assert second.deleted > 0
    assert 0 < second.uploaded < len(snapshot(www))

    monkeypatch.delenv("RSYNC_RSH")
    stdout = cli_deploy(settings.root, sshd.rsync_rsh)
    unchanged = len(snapshot(www))
    assert f"uploaded 0, unchanged {unchanged}, deleted 0, 0 B" in stdout.splitlines()
    assert snapshot(www) == snapshot(settings.output_dir)


def test_rsync_over_ssh_with_a_key_the_server_refuses_fails_clearly(
    tmp_path: Path, sshd: SshServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    www = tmp_path / "www"
    destination = f"{sshd.user}@127.0.0.1:{www}"
    settings = built_project(tmp_path / "project", main_deploy=f"rsync:{destination}")
    stranger = tmp_path / "stranger"
    keygen(stranger)
    known_hosts = tmp_path / "ssh" / "known_hosts"
    monkeypatch.setenv("RSYNC_RSH", rsync_rsh(sshd.port, stranger, known_hosts))

    with pytest.raises(DeployError, match=re.escape(f"rsync to {destination} failed")) as error:
        deploy(settings, site_names=SITES)

    assert "Permission denied (publickey)" in str(error.value)
    assert not www.exists()

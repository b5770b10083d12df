"""`./dev serve` says what it does, step by step, and nothing else (a real subprocess)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from tests.project import REPO, copy_project
from tests.publish_server import Serve

CODE_PARTS = ("dev", "publish.py", "pyproject.toml", "alusta", "package.json", "package-lock.json")


def dev_checkout(destination: Path) -> Path:
    """A project copy with the code and ./dev, sharing this checkout's installed .venv."""
    root = copy_project(destination)
    for part in CODE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / part)
    # Its own .venv folder over this checkout's packages, marked installed after the copy of
    # pyproject.toml: ./dev must find nothing to install (and never repoint our .venv).
    venv = root / ".venv"
    venv.mkdir()
    for part in ("bin", "lib", "pyvenv.cfg"):
        os.symlink(REPO / ".venv" / part, venv / part)
    (venv / ".installed").touch()
    # A copy (npm ci would empty a linked folder), newer than the lock: npm has nothing to do.
    shutil.copytree(REPO / "node_modules", root / "node_modules", symlinks=True)
    (root / "node_modules/.package-lock.json").touch()
    assert (venv / ".installed").stat().st_mtime >= (root / "pyproject.toml").stat().st_mtime
    return root


def test_dev_serve_prints_its_steps_and_nothing_else(tmp_path: Path) -> None:
    root = dev_checkout(tmp_path / "checkout")
    with Serve(root, launcher=[str(root / "dev")]) as serve:
        lines = serve.log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "building 3 site(s): main, ounasvaara, rajalla"
    assert re.fullmatch(
        r"rebuilt main, ounasvaara, rajalla in \d+\.\d\d s \(\d+ file\(s\) changed\)", lines[1]
    )
    assert lines[2] == (
        f"serving all sites on {serve.base_url}/; rebuilds and reloads on every save (Ctrl+C stops)"
    )
    assert len(lines) == 3, lines

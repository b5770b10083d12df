"""Every module of alusta/ imports on its own, in a fresh interpreter.

The suite imports modules in whatever order the tests happen to; a cycle between two
packages then hides behind an earlier import. Here each module is the first thing a new
interpreter imports, so any cycle fails by name.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "alusta"
IMPORT_TIMEOUT_SECONDS = 60.0
PARALLEL_IMPORTS = 4


def module_names() -> list[str]:
    """Dotted names of every module and package under alusta/."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def import_alone(name: str) -> str:
    """'' when `name` imports in a fresh interpreter; the error's last line otherwise."""
    completed = subprocess.run(
        [sys.executable, "-c", f"import {name}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=IMPORT_TIMEOUT_SECONDS,
        check=False,
    )
    if completed.returncode == 0:
        return ""
    lines = completed.stderr.strip().splitlines() or [f"exit status {completed.returncode}"]
    return lines[-1]


def test_the_package_has_modules_to_import() -> None:
    names = module_names()
    assert "alusta" in names
    assert "alusta.settings" in names
    assert len(names) > 50


def test_every_module_imports_alone_in_a_fresh_interpreter() -> None:
    names = module_names()
    with ThreadPoolExecutor(PARALLEL_IMPORTS) as pool:
        errors = dict(zip(names, pool.map(import_alone, names), strict=True))
    failed = {name: error for name, error in errors.items() if error}
    assert failed == {}

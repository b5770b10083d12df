"""Shared fixtures: a copy of the project to change freely, and one real build of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alusta.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("pelicanconf.py", "content", "pilots", "theme", "plugins")


def copy_project(destination: Path) -> Path:
    """A copy of the project's sources (content, pilots, theme, plugins, settings)."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(
                source, destination / part, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, destination / part)
    return destination


def project_settings(root: Path, **environ: str) -> Settings:
    """Settings of a copied project, isolated from the developer's environment."""
    return load_settings(root, environ=dict(environ))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project that a test may edit."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped content built once with the production URLs (read-only for tests)."""
    from alusta.build import build_sites  # noqa: PLC0415 - only sessions that build pay for pelican

    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    settings = project_settings(root)
    build_sites(settings)
    return settings

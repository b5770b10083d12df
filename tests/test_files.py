"""Replacing files so a reader sees the old one or the new one (alusta.files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alusta.files import atomic_copy, atomic_write, replacing


def test_atomic_write_creates_folders_and_replaces_the_file(tmp_path: Path):
    target = tmp_path / "a" / "b" / "index.html"
    atomic_write(target, "vanha")
    atomic_write(target, "uusi äö")
    assert target.read_text(encoding="utf-8") == "uusi äö"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]  # no temporary left


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    target = tmp_path / "index.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(target) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError("the writer failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.json"]


def test_two_writers_get_different_temporaries(tmp_path: Path):
    target = tmp_path / "page.html"
    with replacing(target) as first, replacing(target) as second:
        assert first != second
        first.write_bytes(b"1")
        second.write_bytes(b"2")
    assert target.read_bytes() == b"1"  # the outer block ends last


def test_atomic_copy_keeps_the_suffix_while_writing(tmp_path: Path):
    source, target = tmp_path / "source.css", tmp_path / "out" / "style.css"
    source.write_bytes(b"body{}")
    atomic_copy(source, target, suffix=".alusta-part")
    assert target.read_bytes() == b"body{}"

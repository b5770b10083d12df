"""The build's garbage collection: full collections rare inside, thresholds restored after."""

from __future__ import annotations

import gc

import pytest

from alusta.heap import YOUNG_COLLECTIONS_PER_FULL, few_full_collections


def test_full_collections_are_rare_inside_and_as_before_after() -> None:
    before = gc.get_threshold()
    with few_full_collections():
        assert gc.get_threshold() == (before[0], before[1], YOUNG_COLLECTIONS_PER_FULL)
    assert gc.get_threshold() == before


def test_thresholds_are_restored_when_the_block_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), few_full_collections():
        raise RuntimeError("build failed")
    assert gc.get_threshold() == before


def test_young_garbage_is_still_collected_inside() -> None:
    collected: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 0:
            collected.append(info["collected"])

    gc.callbacks.append(note)
    try:
        with few_full_collections():
            for _ in range(gc.get_threshold()[0] * 4):
                cycle: list[object] = []
                cycle.append(cycle)
    finally:
        gc.callbacks.remove(note)
    assert sum(collected) > 0

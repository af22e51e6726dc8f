"""The allocator's settings: taken where glibc is, harmless elsewhere."""

from __future__ import annotations

import platform

import numpy as np
import pytest

from store import allocator


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_glibc_takes_the_thresholds_and_gives_memory_back():
    assert allocator.keep_for_reuse() is True
    scratch = [np.ones(1 << 20) for _ in range(8)]  # 8 MB blocks: now from the heap
    del scratch
    allocator.give_back()


def test_without_glibc_nothing_is_done(monkeypatch):
    monkeypatch.setattr(allocator, "_libc", lambda: None)
    assert allocator.keep_for_reuse() is False
    allocator.give_back()

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


def _mapped_bytes() -> int:
    """glibc's count of the bytes in blocks it mapped on their own (mallinfo2's hblkhd)."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost")]

    libc = allocator._libc()
    libc.mallinfo2.restype = MallInfo2
    return libc.mallinfo2().hblkhd


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_an_index_build_maps_its_large_blocks_and_the_explorer_then_reuses_them():
    size = 8 << 20  # between the build's threshold and the explorer's
    try:
        assert allocator.map_large_blocks() is True
        before = _mapped_bytes()
        block = np.ones(size // 8)
        assert _mapped_bytes() - before >= size  # mapped: unmapped again when freed
        del block
        assert allocator.keep_for_reuse() is True
        before = _mapped_bytes()
        block = np.ones(size // 8)
        assert _mapped_bytes() - before < size  # from the heap, and back to it
        del block
    finally:
        allocator.keep_for_reuse()


def test_without_glibc_nothing_is_done(monkeypatch):
    monkeypatch.setattr(allocator, "_libc", lambda: None)
    assert allocator.keep_for_reuse() is False
    assert allocator.map_large_blocks() is False
    allocator.give_back()

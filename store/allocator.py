"""glibc's allocator, told how the explorer uses memory (a no-op elsewhere).

Two things it does by default cost the explorer time or memory:

- It returns freed memory at the top of the heap, and hands out each block
  over its (moving) mmap threshold as fresh pages from the kernel. A search
  at 1,000,000 quotes makes a few temporary arrays of several MB each; when
  they come as fresh pages every time, the page faults cost a phrase query
  1 ms of its 5-6 (measured: 6.4-6.5 ms against 4.9 ms with the thresholds
  fixed). `keep_for_reuse` fixes the thresholds, so such blocks are reused.
  The explorer does so once a database is loaded: during the load, large
  blocks are better given back when freed (fixed first, the index's arrays
  shared the heap with freed ones: 45 MB more kept at 100,000 quotes).
- It keeps freed memory after a bulk load (100 MB at 100,000 quotes):
  `give_back` returns it, after loading a database and after saving a
  snapshot.
- Its moving mmap threshold has risen to its 32 MB cap by the time a loaded
  database is indexed (each mapped block freed raises it). The tokenizer's
  temporary arrays of 2-5 MB then came from the heap, were left there when
  freed, and the index's arrays were laid out around them: the explorer
  kept 381 MB instead of 349 at 100,000 quotes (measured, three runs each).
  `map_large_blocks` fixes the threshold at 4 MB for the build, and
  `keep_for_reuse` raises it again once the database is loaded.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
from functools import cache

__all__ = ["give_back", "keep_for_reuse", "map_large_blocks"]

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)
#: blocks below this come from the heap and are reused, not mapped afresh
MMAP_THRESHOLD = 32 << 20
#: free memory at the top of the heap is returned beyond this
TRIM_THRESHOLD = 128 << 20
#: while a loaded database is indexed, blocks over this are mapped, and unmapped when freed
BUILD_MMAP_THRESHOLD = 4 << 20


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc has both
    except (OSError, AttributeError):  # not glibc
        return None
    return libc


def keep_for_reuse() -> bool:
    """Fix the thresholds (see above); False where there is no glibc to tell."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                and libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def map_large_blocks() -> bool:
    """Fix the mmap threshold for an index build (see above); False without glibc."""
    libc = _libc()
    return libc is not None and bool(libc.mallopt(_M_MMAP_THRESHOLD, BUILD_MMAP_THRESHOLD))


def give_back() -> None:
    """Return the freed heap to the system."""
    libc = _libc()
    if libc is not None:
        with contextlib.suppress(OSError):
            libc.malloc_trim(0)

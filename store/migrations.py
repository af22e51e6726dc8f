"""Schema versions and the upgrades between them.

The database file records the schema_version it was written with. A file
from an older peace-tui is upgraded step by step (the Store keeps a copy of
the old file first); a file from a newer one is refused.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["SCHEMA_VERSION", "migrate"]

SCHEMA_VERSION = 1

#: version N -> function that upgrades raw tables from N to N + 1, in place.
STEPS: dict[int, Callable[[dict], None]] = {}


def migrate(tables: dict, version: int) -> None:
    """Upgrade raw TinyDB tables from `version` to SCHEMA_VERSION."""
    while version < SCHEMA_VERSION:
        step = STEPS.get(version)
        if step is not None:
            step(tables)
        version += 1
    tables.setdefault("meta", {}).setdefault("schema", {})["schema_version"] = SCHEMA_VERSION

"""Schema versions and the upgrades between them.

The database file records the schema_version it was written with. A file
from an older peace-tui is upgraded step by step (the Store keeps a copy of
the old file first); a file from a newer one is refused.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from .errors import WriteFailed

__all__ = ["SCHEMA_VERSION", "keep_backup", "migrate"]

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


def keep_backup(path: Path, backup: Path) -> None:
    """Copy the file before a migration, atomically: a half copy is never left as 'the backup'."""
    tmp = backup.with_name(f".{backup.name}.{os.getpid()}.tmp")
    try:
        shutil.copy2(path, tmp)
        os.replace(tmp, backup)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteFailed(
            f"could not keep a backup of {path} before upgrading it: {e.strerror or e}; "
            "the file was left untouched"
        ) from None

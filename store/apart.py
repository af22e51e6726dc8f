"""A recorded change to a database, made in a process of its own.

Why: a change to the file is made TinyDB's way, the whole file parsed,
changed and written again (100,000 quotes: 0.7 s; 1,000,000: 12 s), and
orjson holds the GIL all the while: run in a thread, it would stop the
explorer's screen just the same. In another process it does not: the
explorer stays live, and reads the change afterwards as it reads any other
process's write.

The change is named, not sent as code: an `Editor` method and its
arguments. The child opens the database, calls the method, and sends back
what it returned or the `StoreError` it raised; both are pickled, and both
processes are this program. Anything else that goes wrong in the child is
a `WriteFailed` with its last line of error output: the file is written
atomically (`store.storage`), so a child that dies leaves it as it was.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

from .errors import StoreError, WriteFailed

__all__ = ["CHANGES", "Changed", "change_apart"]

#: The Editor methods a child may be asked to call: those that change the database.
CHANGES = frozenset({"edit_quote", "delete_quote", "edit_actor", "merge_actors",
                     "save_proposal", "delete_proposal", "undo"})
_ROOT = Path(__file__).resolve().parent.parent  # where `store` is imported from


class Changed(NamedTuple):
    """What a change made apart returned, and which version of the file it changed into
    which (`Store.last_write`: the explorer then applies the change to what it
    shows, `Store.adopt_write`, instead of reading the whole file again)."""

    value: Any
    written: tuple[Any, Any] | None


def change_apart(path: Path, method: str, *args: Any, **kwargs: Any) -> Changed:
    """`Editor(Store.open(path)).<method>(*args, **kwargs)`, in a child process: its
    result, or the StoreError it raised, raised here."""
    if method not in CHANGES:
        raise ValueError(f"not a change: {method}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    try:
        done = subprocess.run(
            # -P: not the working folder first on the path: a `store` there is not this one
            [sys.executable, "-P", "-m", "store.apart"], env=env, check=False,
            capture_output=True,
            input=pickle.dumps((str(Path(path).absolute()), method, args, kwargs)))
    except OSError as e:
        raise WriteFailed(f"could not start the change: {e}") from e
    if done.returncode == 0:
        try:
            ok, value, written = pickle.loads(done.stdout)
        except Exception as e:  # whatever a broken answer raises
            raise WriteFailed(f"the change's answer was unreadable: {e}") from e
        if ok:
            return Changed(value, written)
        raise value
    said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    raise WriteFailed(f"the change failed: {said[-1] if said else f'exit {done.returncode}'}")


def _main() -> None:
    # A process that lives for one change makes no cycles worth collecting; paused, the
    # collector does not walk the parsed file's objects after the parse (1.6 s of the
    # change at 1,000,000 quotes).
    gc.disable()
    path, method, args, kwargs = pickle.loads(sys.stdin.buffer.read())
    from . import Editor, Store

    try:
        store = Store.open(Path(path))
        answer = (True, getattr(Editor(store), method)(*args, **kwargs), store.last_write())
    except StoreError as e:
        answer = (False, e, None)
    sys.stdout.buffer.write(pickle.dumps(answer))


if __name__ == "__main__":
    _main()

"""The form of a document's id, in a module of its own.

`store.models` checks ids with it; so does the child process that indexes
a large file's lines (`store.coldindex`), which must start quickly and so
does not import the models (pydantic: 0.2 s).
"""

from __future__ import annotations

import re

__all__ = ["ID"]

#: letters, digits and . _ -, a letter or digit first, at most 128
ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")

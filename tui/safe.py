"""Making store text safe to put on a terminal.

Text from articles is untrusted. It is stripped of control characters when
it enters the store, and again here, at the last moment before display, so
that an escape sequence can never reach the user's terminal even if a
database was written by something else. Callers then wrap it in
`rich.text.Text` / `textual.content.Content`, never in markup.
"""

from __future__ import annotations

import re

__all__ = ["flat", "literal_markup", "one_line", "safe"]

# C0 except tab and newline, DEL, C1; plus the bidi overrides that can reorder a line.
_SPACE_RUN = re.compile(r"\s+")
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """Safe, and folded onto a single line (tabs and newlines become spaces)."""
    return " ".join(safe(text).split())


def flat(text: str) -> str:
    """Safe, each run of white space one space, ends kept (for joined segments)."""
    return _SPACE_RUN.sub(" ", safe(text))


def literal_markup(text: str) -> str:
    """Text for an API that only takes markup (the palette's help line), shown literally.

    `textual.markup.escape` leaves `[ @click=app.quit]` (a space after the
    bracket) alone, and Textual's parser runs it. Escaping every `[` leaves
    nothing for the parser to take as a tag.
    """
    return safe(text).replace("[", "\\[")

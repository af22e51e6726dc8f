"""An Input that holds text only: no control characters, whatever is pasted into it.

Textual's Input draws its value as it is, so a pasted escape sequence (an
OSC 52 clipboard write copied from a web page, say) would go to the
terminal as bytes. Every way of changing the value (typing, pasting,
setting it) passes through `validate_value`, which drops them.
"""

from __future__ import annotations

from textual.widgets import Input

from ..safe import safe

__all__ = ["PlainInput"]


class PlainInput(Input):
    """An Input whose value never holds control characters or line breaks."""

    def validate_value(self, value: str) -> str:
        if value.isprintable():
            return value
        return safe(value).replace("\n", " ").replace("\t", " ")

"""An Input that holds text only: no control characters, whatever is pasted into it.

Textual's Input draws its value as it is, so a pasted escape sequence (an
OSC 52 clipboard write copied from a web page, say) would go to the
terminal as bytes. Every way of changing the value (typing, pasting,
setting it) passes through `validate_value`, which drops them.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ..safe import safe
from .typeahead import hand_on, run_binding_now

__all__ = ["PlainInput"]


class PlainInput(Input):
    """An Input whose value never holds control characters or line breaks."""

    async def _on_key(self, event: events.Key) -> None:
        """Keys typed ahead (`typeahead`): one that came after the focus left this box goes
        where the focus is; a bound one (Enter, Esc, the arrows) runs now, in order with
        the characters typed (a character is never taken as a binding here)."""
        if not hand_on(self, event) and not event.is_printable:
            await run_binding_now(self, event)

    def validate_value(self, value: str) -> str:
        if value.isprintable():
            return value
        return safe(value).replace("\n", " ").replace("\t", " ")

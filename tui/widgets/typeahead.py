"""Keys typed ahead keep their order and follow the focus: '/peace' typed in one burst
searches for 'peace'.

Textual hands each key to the widget that has the focus when the key
arrives, and runs the key's binding only once the key has bubbled up from
that widget to the app. Typed fast (a burst from the terminal over a slow
SSH link, a quick typist), '/' and the letters after it all reached the
quote list before '/' had moved the focus to the search box: the letters
were lost, or taken as the list's keys. So the explorer's lists and
inputs run a key's binding as soon as the key reaches them (what the app
would run, in the same order, only sooner), and a widget that gets a key
after the focus has moved on hands it to the widget that has the focus
now, as if typed there.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget

__all__ = ["hand_keyboard_to", "hand_on", "run_binding_now"]


def hand_on(widget: Widget, event: events.Key) -> bool:
    """Give `event` to the focused widget if that is no longer `widget` (True if so: the
    caller then does nothing with it)."""
    try:
        focused = widget.app.focused
    except Exception:  # no app, or no screen: nothing to hand it to
        return False
    if focused is None or focused is widget or widget.screen is not focused.screen:
        return False
    event.stop()
    event.prevent_default()  # neither this widget's own handling nor its bindings
    focused._forward_event(events.Key(event.key, event.character))
    return True


def hand_keyboard_to(widget: Widget, selector: str | None) -> None:
    """Focus the widget `selector` names on `widget`'s screen now (None: nothing), not
    when a message of it is heard: the keys typed right after are then that widget's."""
    if selector is not None:
        widget.screen.set_focus(widget.screen.query_one(selector))


async def run_binding_now(widget: Widget, event: events.Key) -> bool:
    """Run the binding of `event`'s key now, as the app would once the key had bubbled
    up to it (from the focused widget up; True if one ran: the key goes no further)."""
    app = widget.app
    check = getattr(app, "_check_bindings", None)  # (Textual's own, as it runs it)
    context = getattr(app, "_context", None)
    if check is None or context is None:
        return False
    # In the app's context, as when the app runs it: a screen pushed by the action answers
    # its callback through the app, not through this widget's queue.
    with context():
        handled = await check(event.key)
    if not handled:
        return False
    event.stop()
    event.prevent_default()
    return True

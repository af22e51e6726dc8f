"""End to end: the installed `peace-tui`, in tmux at 80x24, as it runs over SSH.

The program gets a real terminal (TERM=screen-256color, COLORTERM unset);
keys are typed with `send-keys` and the screen read with `capture-pane`.
Each wait polls the screen with a deadline, so the test takes as long as
the program does, and fails with the screen in the message when it hangs.
tmux runs on a private socket, so the user's own tmux is never touched.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def _peace_tui() -> str:
    """The console script pip installed: on PATH in the venv (else beside its python)."""
    found = shutil.which("peace-tui") or str(Path(sys.executable).with_name("peace-tui"))
    if not os.access(found, os.X_OK):
        pytest.fail("the peace-tui console script is not installed (pip install -e .)")
    return found


class Terminal:
    """One tmux pane of a given size running one command."""

    def __init__(self, command: str, width: int, height: int) -> None:
        self.socket = f"peace-tui-e2e-{uuid.uuid4().hex[:8]}"
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e",
                   "-x", str(width), "-y", str(height), command)

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([TMUX, "-L", self.socket, *args],  # type: ignore[list-item]
                              capture_output=True, text=True, timeout=10)

    def send(self, *keys: str, literal: bool = False) -> None:
        self._tmux("send-keys", "-t", "e2e", *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "e2e").stdout

    def alive(self) -> bool:
        return self._tmux("has-session", "-t", "e2e").returncode == 0

    def wait_for(self, what: str, test: Callable[[str], bool], timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if test(text):
                return text
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the screen was:\n{text}")
            time.sleep(0.05)

    def close(self) -> None:
        self._tmux("kill-server")


def test_search_and_diff_in_a_real_terminal(sample_db):
    program = f"{shlex.quote(_peace_tui())} --db {shlex.quote(str(sample_db))}"
    # As over SSH into tmux: no COLORTERM, and no COLUMNS (the test run sets one).
    unset = " ".join(f"-u {name}" for name in ("NO_COLOR", "COLORTERM", "TEXTUAL",
                                               "TEXTUAL_COLOR_SYSTEM", "COLUMNS", "LINES"))
    command = f"env {unset} TERM=screen-256color {program}"
    term = Terminal(command, 80, 24)
    try:
        screen = term.wait_for("the quote list", lambda s: "Quotes 21" in s)
        lines = screen.splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        assert "Sergei Lavr" in screen and "neo-Nazi" in screen

        # Like a user, look before typing on: keys sent in one burst can reach the
        # list before '/' has moved the keyboard to the search box.
        term.send("/")
        term.wait_for("the search box", lambda s: "Back to list" in s)
        term.send("truce", literal=True)
        screen = term.wait_for("the search to narrow the list", lambda s: "Quotes 2/21" in s)
        assert "2 matches" in screen
        # The first hit in the detail pane: drawn with the list, or a frame after it.
        term.wait_for("the first hit in the detail pane", lambda s: "declaring a truce" in s)

        term.send("Enter")
        term.wait_for("the list to have the keys", lambda s: "d Diff" in s)
        term.send("d")
        screen = term.wait_for("the terms diff", lambda s: "only left" in s)
        assert "≠ Ce Ceasefire" in screen and "changed" in screen
        assert "L the Russian side is declaring a truce" in screen  # stacked at 80 columns
        assert "R Trump is seeking a permanent ceasefire" in screen
        assert "Russia's Victory Day truce" in screen

        term.send("q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not term.alive(), "q did not quit"
    finally:
        term.close()

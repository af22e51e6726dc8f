"""In a real pseudo-terminal: no escape sequence from the data reaches the terminal.

The installed `peace-tui` runs on a database file holding PAYLOADS raw
(ESC, BEL and C1 bytes in names, quotes, titles, terms). The test reads
every byte the program writes to its terminal while it draws the quotes,
the detail pane, copies a citation (`y`, which itself writes OSC 52) and
opens the diff, and checks that none of the data's sequences is in that
stream: the text is there, its escape bytes are not.
"""

from __future__ import annotations

import base64
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.hostile_support import hostile_bundle, write_raw_db

#: Sequences of the data, as they would reach the terminal if passed through.
FORBIDDEN = [
    rb"\x1b\]52;c;cm0gLXJmIH4K",  # OSC 52: write `rm -rf ~` to the clipboard
    rb"\x1b\]0;PWNED-TITLE",  # OSC 0: set the window title
    rb"\x1b\[2Jclear",  # CSI 2J: clear the screen
    "\x9b31mc1".encode(),  # C1 CSI, UTF-8 encoded (some terminals act on it)
    "\x9dosc".encode(),  # C1 OSC
    "\u202eevil".encode(),  # a bidi override reordering the line
    b"\x07title",  # the BEL ending the title sequence
]


def _peace_tui() -> str:
    found = shutil.which("peace-tui") or str(Path(sys.executable).with_name("peace-tui"))
    if not os.access(found, os.X_OK):
        pytest.fail("the peace-tui console script is not installed (pip install -e .)")
    return found


class Pty:
    """One program on a pseudo-terminal of a given size; everything it writes is kept."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int, rows: int) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.output = b""
        self.eof = False

    def read_until(self, test, timeout: float = 20.0) -> bool:
        """Read what the program writes until test(output) holds; False at the deadline."""
        deadline = time.monotonic() + timeout
        while not test(self.output):
            left = deadline - time.monotonic()
            if left <= 0 or self.eof:
                return test(self.output)
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.2))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # EIO: the program has exited
                    chunk = b""
                self.eof = not chunk
                self.output += chunk
        return True

    def send(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def quit(self, keys: bytes) -> int | None:
        """Type the quit key (again, if the program was busy) and wait for the exit code."""
        try:
            for _ in range(3):
                self.send(keys)
                if self.read_until(lambda _: self.eof, timeout=5):
                    break
            # The terminal closes a moment before the process can be reaped.
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    return os.waitstatus_to_exitcode(status)
                time.sleep(0.05)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            return None
        finally:
            os.close(self.fd)


def test_no_escape_sequence_from_the_data_reaches_the_terminal(tmp_path):
    db = tmp_path / "hostile.json"
    write_raw_db(db, hostile_bundle())
    assert b"\\u001b]52;c;cm0gLXJmIH4K" in db.read_bytes()  # the file really holds them
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TERM": "xterm-256color",
           "LANG": "C.UTF-8", "NO_COLOR": "1"}
    term = Pty([_peace_tui(), "--db", str(db)], env, cols=160, rows=50)
    try:
        assert term.read_until(lambda out: b"outlet0" in out), term.output[-2000:]
        term.send(b"y")  # copy: the program's own OSC 52
        assert term.read_until(lambda out: b"\x1b]52;c;" in out), term.output[-2000:]
        term.send(b"d")
        assert term.read_until(lambda out: b"term1" in out), term.output[-2000:]
        term.send(b"d")
    finally:
        code = term.quit(b"q")
    out = term.output
    for sequence in FORBIDDEN:
        assert not re.search(sequence, out), sequence
    assert code == 0, out[-2000:]
    # The text around those sequences was drawn, without them.
    assert b"PWNED-TITLEtitle" in out and b"[2Jclear" in out
    # The copy is the program's own OSC 52, holding the cleaned citation only.
    copies = re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)", out)
    assert copies, out[-2000:]
    for payload in copies:
        text = base64.b64decode(payload).decode()
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text), text


@pytest.mark.parametrize("args", [["quotes"], ["quotes", "--search", "quote"], ["actors"],
                                  ["proposals"], ["diff", "p0", "p1"], ["check"],
                                  ["export", "--format", "md"], ["export", "--format", "csv"],
                                  ["export"]])
def test_no_escape_sequence_from_the_data_reaches_the_terminal_from_the_cli(tmp_path, args):
    """The command line's tables on a real terminal (rich styles them: still no data escapes)."""
    db = tmp_path / "hostile.json"
    write_raw_db(db, hostile_bundle())
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TERM": "xterm-256color",
           "LANG": "C.UTF-8"}
    term = Pty([_peace_tui(), *args, "--db", str(db)], env, cols=200, rows=50)
    try:
        assert term.read_until(lambda _: term.eof), term.output[-2000:]
    finally:
        code = term.quit(b"")
    out = term.output
    # JSON and CSV are the data, exactly: a bidi override is text there, not a control.
    exact = args[-1] in ("csv", "export")
    for sequence in FORBIDDEN:
        if not (exact and sequence == "\u202eevil".encode()):
            assert not re.search(sequence, out), sequence
    assert code in (0, 1), out[-2000:]  # check: 1, the raw spans do not match
    if args == ["check"]:  # lists the quotes whose raw text is not at its span
        assert b"nul quote 10" in out
    else:  # the text itself is there (Markdown escapes its brackets)
        assert b"[@click=app.quit]" in out or b"\\[@click=app.quit\\]" in out

"""SVG snapshots of the explorer at 80x24 and 120x36: main screen, a search, the diff, help.

Update after a deliberate change with `pytest tests/test_app_snapshots.py
--snapshot-update`, then look at the report (snapshot_report.html) before
committing. Colour snapshots use the default theme at 256 colours; one at
80x24 shows NO_COLOR and one the 16-colour theme.
"""

from __future__ import annotations

import pytest

from tests.explorer_support import open_app, paste_text, settle, terminal_env

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)

SIZES = [(80, 24), (120, 36)]


@pytest.fixture
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)


async def _search(pilot) -> None:
    await pilot.press("slash")
    await paste_text(pilot, "truce")
    await pilot.press("enter", "n")  # back to the list, on the first match
    await settle(pilot)


async def _settle(pilot) -> None:
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, sample_db, colour, size):
    assert snap_compare(open_app(sample_db), press=["j"], terminal_size=size,
                        run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search(snap_compare, sample_db, colour, size):
    assert snap_compare(open_app(sample_db), terminal_size=size, run_before=_search)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_diff(snap_compare, sample_db, colour, size):
    assert snap_compare(open_app(sample_db), press=["d"], terminal_size=size,
                        run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, sample_db, colour, size):
    assert snap_compare(open_app(sample_db), press=["question_mark"], terminal_size=size,
                        run_before=_settle)


def test_main_screen_no_color(snap_compare, sample_db):
    """NO_COLOR=1 (set for every test): the cursor and matches show by reverse and bold."""
    assert snap_compare(open_app(sample_db), terminal_size=(80, 24), run_before=_search)


def test_main_screen_sixteen_colours(snap_compare, sample_db, colour, monkeypatch):
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    assert snap_compare(open_app(sample_db), terminal_size=(80, 24), run_before=_search)

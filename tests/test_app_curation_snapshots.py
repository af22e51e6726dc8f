"""SVG snapshots of the curation forms at 80x24: a quote's edit form, the proposal editor.

Update after a deliberate change with `pytest tests/test_app_curation_snapshots.py
--snapshot-update`, and look at the report before committing.
"""

from __future__ import annotations

import pytest

from tests.explorer_support import open_app, settle, terminal_env

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)


async def _settle(pilot) -> None:
    await settle(pilot)


def test_quote_edit_form(snap_compare, sample_db):
    assert snap_compare(open_app(sample_db), press=["e"], terminal_size=(80, 24),
                        run_before=_settle)


def test_proposal_editor(snap_compare, sample_db):
    assert snap_compare(open_app(sample_db), press=["p", "down", "down", "enter"],
                        terminal_size=(80, 24), run_before=_settle)

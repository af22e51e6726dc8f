"""Shared fixtures: every store test runs over memory and over a real file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store import Store
from store.sample import load_sample

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "memory":
        return Store.memory()
    return Store.open(tmp_path / "db.json", create=True)


@pytest.fixture
def sample():
    return load_sample()


@pytest.fixture
def sample_store(store: Store, sample) -> Store:
    store.add_bundle(sample)
    return store


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    """A database file holding the bundled sample."""
    path = tmp_path / "sample.json"
    Store.open(path, create=True).add_bundle(load_sample())
    return path


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the user's real database or depend on their environment."""
    monkeypatch.delenv("PEACE_TUI_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    os.environ.pop("TEXTUAL", None)


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample taken for a large database: every reading goes through the worker."""
    monkeypatch.setattr("tui.loading.SYNC_LIMIT", 0)
    monkeypatch.setattr("tui.app.SYNC_LIMIT", 0)

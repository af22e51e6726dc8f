"""The layering rules: store never imports textual; --help stays light."""

import subprocess
import sys

import store


def _modules_after(code: str) -> set[str]:
    code += "\nimport sys\nprint(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_store_never_imports_textual():
    import pkgutil

    names = [m.name for m in pkgutil.walk_packages(store.__path__, "store.")]
    assert "store.db" in names and "store.search" in names
    loaded = _modules_after("\n".join(f"import {n}" for n in names))
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_help_does_not_load_the_store_or_the_ui():
    loaded = _modules_after("import tui.cli\ntry:\n    tui.cli.main(['--help'])\n"
                            "except SystemExit:\n    pass")
    for heavy in ("textual", "rich", "tinydb", "pydantic", "store"):
        assert heavy not in loaded, heavy

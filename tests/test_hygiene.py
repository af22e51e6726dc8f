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


def test_every_module_a_kept_index_is_made_by_is_in_the_snapshots_code_digest():
    """A snapshot is dropped when the code that made what it keeps changes (`_CODE`): the
    modules that make the index, its order and its words, and every `store` module
    they import, are listed (a change to one of them must not leave old arrays)."""
    import ast
    from pathlib import Path

    from store import snapshot

    makers = {"index", "postings", "tokens", "query", "coldindex", "coldhalf", "coldhelper",
              "lines", "merge", "search", "views", "models", "ids"}
    # What a maker may import without its code shaping what is kept:
    exempt = {"storage",  # lines takes only the pattern of a table's head from it
              "collector", "evaluate", "glimpse", "patch", "results", "spans",  # search's
              "pairs",  # index's: made after loading (`Segment.warm`), never kept
              "typos"}  # search's: the typo candidates' masks, made on a typo, never kept
    here = Path(store.__file__).parent
    for name in makers:
        assert f"{name}.py" in snapshot._CODE, name
        tree = ast.parse((here / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                dep = node.module.split(".")[0]
                assert f"{dep}.py" in snapshot._CODE or dep in exempt, (name, dep)

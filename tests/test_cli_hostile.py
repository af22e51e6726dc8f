"""Every command against every broken database and a catalogue of bad input.

The contract (README "Command line", DESIGN.md): bad input is one line on
stderr, exit code 2, no traceback, and the database byte for byte as it was.
Each case here would fail if a command crashed, printed a traceback, wrote
anything, or accepted what it must refuse.
"""

from __future__ import annotations

import builtins
import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

ARTICLE = Path(__file__).parent / "articles" / "ap-envoy.txt"

#: Every command of the CLI contract, with arguments that would succeed on a good database.
COMMANDS = {
    "explorer": [],
    "ingest": ["ingest", str(ARTICLE)],
    "quotes": ["quotes"],
    "quotes-search": ["quotes", "--search", "ceasefire"],
    "actors": ["actors", "--json"],
    "proposals": ["proposals"],
    "diff": ["diff", "us-seven-point-plan", "russia-terms-lavrov"],
    "export-json": ["export"],
    "export-csv": ["export", "--format", "csv"],
    "export-md": ["export", "--format", "md"],
    "import": ["import", "{tmp}/good.json"],
    "check": ["check"],
}

#: Database files that must be refused, never repaired or overwritten.
BROKEN = {
    "corrupt": (b"{not json", "corrupt or truncated"),
    "truncated": (None, "corrupt or truncated"),  # the sample cut in half
    "binary": (bytes(range(256)) * 4, "corrupt or truncated"),
    "not-an-object": (b"[1, 2, 3]", "not a peace-tui database"),
    "malformed-table": (b'{"meta": {"schema": {"schema_version": 1}}, "actors": []}',
                        "table 'actors' is malformed"),
    "no-schema": (b'{"actors": {"a": {"name": "A"}}}', "no schema_version"),
    "bad-schema": (b'{"meta": {"schema": {"schema_version": "1"}}}', "invalid schema_version"),
    "newer": (b'{"meta": {"schema": {"schema_version": 99}}}', "newer peace-tui"),
    "invalid-document": (b'{"meta": {"schema": {"schema_version": 1}}, '
                         b'"actors": {"a": {"name": "A", "kind": "alien"}}}',
                         "stored actor 'a' is invalid"),
}


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_explorer(monkeypatch):
    """Read the database as the explorer does after its first paint (`tui.loading.load`,
    in its worker), but fail instead of showing it: a refusal there is the real one."""
    import tui.app
    from tui.loading import load

    def refuse(path, early=None):
        load(path, lambda message: None, early=early)
        raise AssertionError("the explorer opened a database it should have refused")

    monkeypatch.setattr(tui.app, "run_app", refuse)


def _assert_refused(code: int, out: str, err: str, message: str) -> None:
    assert code == 2, (out, err)
    assert err.startswith("peace-tui") and "error: " in err and err.count("\n") == 1, err
    assert message in err, err
    assert "Traceback" not in err
    assert out == "", out  # nothing half-done was reported as done


def _listing(folder: Path) -> list[str]:
    """The folder's files, less lock files (a lock holds no data)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def _write_good_exchange(tmp: Path) -> None:
    (tmp / "good.json").write_text(json.dumps(
        {"format": "peace-tui", "schema_version": 1,
         "actors": [{"id": "someone-new", "name": "Someone New"}]}))


@pytest.mark.usefixtures("no_explorer")
@pytest.mark.parametrize("state", BROKEN)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_a_broken_database_and_leaves_it(capsys, tmp_path, sample_db,
                                                                state, command):
    content, message = BROKEN[state]
    if (command, state) == ("diff", "invalid-document"):
        message = "no proposal"  # diff reads proposals only; the broken actor is not one
    if content is None:
        content = sample_db.read_bytes()[: sample_db.stat().st_size // 2]
    db = tmp_path / "broken.json"
    db.write_bytes(content)
    _write_good_exchange(tmp_path)
    before = _listing(tmp_path)
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    _assert_refused(*run(capsys, *args, "--db", str(db)), message)
    assert db.read_bytes() == content
    assert _listing(tmp_path) == before  # no backup, temp or replacement file either


@pytest.mark.usefixtures("no_explorer")
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("failure", ["permission", "directory"])
def test_every_command_refuses_an_unreadable_database(capsys, tmp_path, sample_db, monkeypatch,
                                                     command, failure):
    _write_good_exchange(tmp_path)
    before = sample_db.read_bytes()
    db = sample_db
    if failure == "directory":
        db = tmp_path / "a-folder"
        db.mkdir()
        message = "not a regular file"
    else:
        # Root reads any file, so the refusal is made by the kernel's answer, not by chmod.
        real_open = builtins.open

        def denied(file, *a, **k):
            if str(file) == str(sample_db):
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return real_open(file, *a, **k)

        monkeypatch.setattr("store.storage.open", denied, raising=False)
        message = "Permission denied"
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    _assert_refused(*run(capsys, *args, "--db", str(db)), message)
    assert sample_db.read_bytes() == before


def _bad_files(tmp: Path) -> None:
    """Input files, each wrong in its own way."""
    big = tmp / "huge.txt"
    with big.open("wb") as f:
        f.truncate(21 * 2**20)  # sparse: costs no disk
    files = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 64,
        "latin.txt": b"\xff\xfe\x00\x00" + b"\x00" * 64,
        "bad.json": b'{"actors": [',
        "array.json": b"[]",
        "scalar.json": b"42",
        "other-format.json": b'{"format": "zotero", "actors": []}',
        "newer.json": b'{"schema_version": 99, "actors": []}',
        "bool-version.json": b'{"schema_version": true, "actors": []}',
        "unknown-key.json": b'{"actors": [], "weapons": []}',
        "no-tables.json": b'{"format": "peace-tui"}',
        "types.json": b'{"actors": "everyone"}',
        "id-type.json": b'{"actors": [{"id": 5, "name": "Five"}]}',
        "bad-id.json": b'{"actors": [{"id": "../../etc/passwd", "name": "X"}]}',
        "long-id.json": json.dumps({"actors": [{"id": "a" * 100_000, "name": "X"}]}).encode(),
        "blank-name.json": b'{"actors": [{"id": "x", "name": "  "}]}',
        "bad-kind.json": b'{"actors": [{"id": "x", "name": "X", "kind": "alien"}]}',
        "huge-int.json": b'{"sources": [{"id": "s", "title": "T", "text": "abc"}], '
                         b'"statements": [{"id": "q", "actor_id": "a", "source_id": "s", '
                         b'"text": "a", "span": [0, 1' + b"0" * 400 + b"]}]}",
        "neg-span.json": b'{"actors": [{"id": "a", "name": "A"}], '
                         b'"sources": [{"id": "s", "title": "T", "text": "abc"}], '
                         b'"statements": [{"id": "q", "actor_id": "a", "source_id": "s", '
                         b'"text": "a", "span": [-1, 1]}]}',
        "bad-date.json": b'{"actors": [{"id": "a", "name": "A"}], "sources": [{"id": "s", '
                         b'"title": "T", "published": "2025-02-30"}]}',
        "bad-issue.json": b'{"actors": [{"id": "a", "name": "A"}], "proposals": [{"id": "p", '
                          b'"title": "P", "proposer": "a", "terms": [{"issue": "NOPE", '
                          b'"text": "t"}]}]}',
        "dangling.json": b'{"proposals": [{"id": "p", "title": "P", "proposer": "ghost"}]}',
        "twice.json": b'{"actors": [{"id": "x", "name": "X"}, {"id": "x", "name": "Y"}]}',
        "nested.json": b"[" * 100_000 + b"]" * 100_000,
        "nan.json": b'{"actors": [{"id": "x", "name": NaN}]}',
        "not-utf8.json": b'{"actors": [{"id": "x", "name": "\xff\xfe"}]}',
        "nul.json": b'{"actors": [{"id": "x\\u0000", "name": "X"}]}',
    }
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    (tmp / "no-articles").mkdir()
    (tmp / "no-articles" / "notes.pdf").write_bytes(b"%PDF")


BAD_INPUTS = [
    # argument errors (argparse)
    (["frobnicate"], "invalid choice"),
    (["quotes", "--bogus"], "unrecognized arguments"),
    (["diff", "only-one"], "required"),
    (["ingest"], "required"),
    (["import"], "required"),
    (["export", "--format", "xml"], "invalid choice"),
    (["quotes", "--search"], "expected one argument"),
    # ingest
    (["ingest", "{tmp}/absent.txt"], "no such file"),
    (["ingest", "{tmp}/empty.txt"], "empty"),
    (["ingest", "{tmp}/binary.txt"], "binary"),
    (["ingest", "{tmp}/huge.txt"], "larger than 20 MB"),
    (["ingest", "{tmp}/no-articles"], "no article files"),
    (["ingest", "-", "-"], "can be given once"),
    (["ingest", str(ARTICLE), "--date", "yesterday"], "--date wants YYYY-MM-DD"),
    (["ingest", str(ARTICLE), "--date", "2025-02-30"], "--date wants YYYY-MM-DD"),
    (["ingest", str(ARTICLE), "--date", "9" * 5000], "--date wants YYYY-MM-DD"),
    (["ingest", str(ARTICLE), "{tmp}/absent.txt"], "no such file"),  # all or nothing
    # diff
    (["diff", "nope", "us-seven-point-plan"], "no proposal with id 'nope'"),
    (["diff", "us-seven-point-plan", "x" * 10_000], "no proposal with id"),
    # import
    (["import", "{tmp}/absent.json"], "no such file"),
    (["import", "{tmp}"], "is a folder"),
    (["import", "{tmp}/bad.json"], "not valid JSON"),
    (["import", "{tmp}/array.json"], "expected a proposal (title, proposer, terms) or a peace"),
    (["import", "{tmp}/scalar.json"], "expected a proposal (title, proposer, terms) or a peace"),
    (["import", "{tmp}/other-format.json"], "format is 'zotero'"),
    (["import", "{tmp}/newer.json"], "newer peace-tui"),
    (["import", "{tmp}/bool-version.json"], "schema_version must be a whole number"),
    (["import", "{tmp}/unknown-key.json"], "unknown key 'weapons'"),
    (["import", "{tmp}/no-tables.json"], "none of actors"),
    (["import", "{tmp}/types.json"], "actors"),
    (["import", "{tmp}/id-type.json"], "actors.0.id"),
    (["import", "{tmp}/bad-id.json"], "must be lower-case letters"),
    (["import", "{tmp}/long-id.json"], "must be lower-case letters"),
    (["import", "{tmp}/blank-name.json"], "must not be empty"),
    (["import", "{tmp}/bad-kind.json"], "actors.0.kind"),
    (["import", "{tmp}/huge-int.json"], "{tmp}/huge-int.json"),
    (["import", "{tmp}/neg-span.json"], "statements.0.span"),
    (["import", "{tmp}/bad-date.json"], "sources.0.published"),
    (["import", "{tmp}/bad-issue.json"], "unknown issue code 'NOPE'"),
    (["import", "{tmp}/dangling.json"], "unknown proposer 'ghost'"),
    (["import", "{tmp}/twice.json"], "appears twice"),
    (["import", "{tmp}/nested.json"], "not valid JSON"),
    (["import", "{tmp}/nan.json"], "not valid JSON"),
    (["import", "{tmp}/not-utf8.json"], "not valid JSON"),
    (["import", "{tmp}/nul.json"], "must be lower-case letters"),
    # a database path that does not exist, for a command that does not create one
    (["quotes", "--db", "{tmp}/absent-db.json"], "no database at"),
    (["check", "--db", "{tmp}/no-such-folder/db.json"], "no database at"),
]


@pytest.mark.parametrize("args,message", BAD_INPUTS, ids=[" ".join(a)[:50] for a, _ in BAD_INPUTS])
def test_bad_input_is_refused_in_one_line_and_changes_nothing(capsys, tmp_path, sample_db,
                                                              args, message):
    _bad_files(tmp_path)
    before = sample_db.read_bytes()
    files_before = _listing(tmp_path)
    args = [a.format(tmp=tmp_path) for a in args]
    if "--db" not in args:
        args += ["--db", str(sample_db)]
    _assert_refused(*run(capsys, *args), message.format(tmp=tmp_path))
    assert sample_db.read_bytes() == before
    assert _listing(tmp_path) == files_before


def test_the_installed_program_refuses_without_a_traceback(tmp_path):
    """Out of process, as a user runs it: the exit code and stderr the shell sees."""
    db = tmp_path / "db.json"
    db.write_bytes(b'{"meta": {"schema": {"schema_version": 1}}, "actors": {"a": ')
    for args in (["quotes"], ["import", "-"], []):
        out = subprocess.run([sys.executable, "-m", "tui.cli", *args, "--db", str(db)],
                             input="{}", capture_output=True, text=True, timeout=60)
        assert out.returncode == 2, out.stderr
        assert out.stderr.count("\n") == 1 and "corrupt or truncated" in out.stderr
        assert out.stdout == ""
    assert db.read_bytes() == b'{"meta": {"schema": {"schema_version": 1}}, "actors": {"a": '

"""Every command of the CLI contract, its output and its exit codes."""

import json
import shutil
import subprocess
import sys

import pytest

from tui.cli import main


def run(capsys, *args):
    """Run the CLI in-process; an argparse exit counts as its exit code."""
    try:
        code = main(list(args))
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def test_quotes_json_lists_every_sample_quote_with_speaker(capsys, sample_db, sample):
    code, out, _ = run(capsys, "quotes", "--db", str(sample_db), "--json")
    assert code == 0
    items = json.loads(out)
    assert len(items) == len(sample.statements)
    for item in items:
        assert {"id", "text", "speaker", "actor_id", "source_id", "said_on", "issues"} <= set(item)
        assert item["speaker"] and item["speaker"] != item["actor_id"]
    lavrov = [i for i in items if i["speaker"] == "Sergei Lavrov"]
    assert lavrov and lavrov[0]["said_on"] == "2025-04-28"


def test_db_option_may_come_first(capsys, sample_db):
    code, out, _ = run(capsys, "--db", str(sample_db), "actors", "--json")
    assert code == 0 and json.loads(out)


def test_env_variable_names_the_database(capsys, sample_db, monkeypatch):
    monkeypatch.setenv("PEACE_TUI_DB", str(sample_db))
    code, out, _ = run(capsys, "proposals", "--json")
    assert code == 0 and {p["id"] for p in json.loads(out)} >= {"us-seven-point-plan"}


def test_default_database_is_created_from_the_sample(capsys, tmp_path):
    code, out, _ = run(capsys, "check")
    assert code == 0 and out.startswith("ok: 21 statements")
    assert (tmp_path / "xdg-data" / "peace-tui" / "peace-tui.json").exists()


def test_quotes_search_and_exit_code_when_nothing_matches(capsys, sample_db):
    code, out, _ = run(capsys, "quotes", "--db", str(sample_db), "--search", "speaker:gomart",
                       "--json")
    assert code == 0 and {i["speaker"] for i in json.loads(out)} == {"Thomas Gomart"}
    code, out, err = run(capsys, "quotes", "--db", str(sample_db), "--search", "qqqzzz")
    assert code == 1 and "no quotes matched" in err


def test_quotes_table_shows_markup_literally(capsys, tmp_path):
    from store import Actor, Source, Statement, Store

    db = tmp_path / "db.json"
    store = Store.open(db, create=True)
    text = "[@click=app.quit]x[/] [bold]not bold[/bold] \x1b]0;owned\x07"
    store.add(Actor(id="a", name="[red]Name[/red]"))
    store.add(Source(id="s", title="T", text=text))
    store.add(Statement(id="st-1", actor_id="a", text=text[:36], source_id="s", span=(0, 36)))
    code, out, _ = run(capsys, "quotes", "--db", str(db))
    assert code == 0
    assert "[@click=app.quit]x[/]" in out and "[bold]not bold" in out and "[red]Name[/red]" in out
    assert "\x1b" not in out and "\x07" not in out


def test_actors_and_proposals_tables(capsys, sample_db):
    code, out, _ = run(capsys, "actors", "--db", str(sample_db))
    assert code == 0 and "Dara Massicot" in out and "Carnegie" in out
    code, out, _ = run(capsys, "proposals", "--db", str(sample_db))
    assert code == 0 and "US seven-point peace plan" in out and "X-Recognition" in out


def test_diff(capsys, sample_db):
    code, out, _ = run(capsys, "diff", "us-seven-point-plan", "russia-terms-lavrov",
                       "--db", str(sample_db), "--json")
    assert code == 0
    rows = {r["issue"]: r for r in json.loads(out)["rows"]}
    assert rows["X-Recognition"]["status"] == "changed"
    assert rows["X-Alliance"]["status"] == "only-left"
    assert rows["X-FrozenAssets"]["status"] == "only-right"
    code, out, _ = run(capsys, "diff", "us-seven-point-plan", "russia-terms-lavrov",
                       "--db", str(sample_db))
    assert code == 0 and "changed" in out


def test_export_formats_and_import_round_trip(capsys, sample_db, tmp_path):
    code, out, _ = run(capsys, "export", "--db", str(sample_db))
    assert code == 0 and json.loads(out)["format"] == "peace-tui"
    dump = tmp_path / "dump.json"
    dump.write_text(out)
    fresh = tmp_path / "fresh.json"
    code, out2, _ = run(capsys, "import", str(dump), "--db", str(fresh))
    assert code == 0 and "21 statements" in out2
    code, again, _ = run(capsys, "export", "--db", str(fresh))
    assert again == out
    code, out3, _ = run(capsys, "import", str(dump), "--db", str(fresh))
    assert code == 0 and "0 statements" in out3 and "already present" in out3
    code, csv_out, _ = run(capsys, "export", "--db", str(sample_db), "--format", "csv")
    assert csv_out.splitlines()[0].startswith("id,speaker,actor_id,said_on,text")
    assert len(csv_out.strip().splitlines()) == 22
    code, md, _ = run(capsys, "export", "--db", str(sample_db), "--format", "md")
    assert "## Proposals" in md and "— Sergei Lavrov, Daily Mail, 2025-04-28" in md


def test_check_finds_a_quote_that_is_not_verbatim(capsys, sample_db):
    data = json.loads(sample_db.read_text())
    some = next(iter(data["statements"]))
    data["statements"][some]["text"] = "words that are not in the article"
    sample_db.write_text(json.dumps(data))
    code, out, _ = run(capsys, "check", "--db", str(sample_db))
    assert code == 1 and "is not at" in out and "1 problem(s) found" in out


BAD_INPUTS = [
    ("missing database", ["quotes", "--db", "{tmp}/nope.json"], "no database at"),
    ("unknown proposal", ["diff", "nope", "us-seven-point-plan", "--db", "{db}"],
     "no proposal with id 'nope'"),
    ("malformed import", ["import", "{tmp}/bad.json", "--db", "{db}"], "not valid JSON"),
    ("wrong field type", ["import", "{tmp}/badtype.json", "--db", "{db}"],
     "actors.0.aliases"),
    ("import missing file", ["import", "{tmp}/absent.json", "--db", "{db}"], "no such file"),
    ("import conflicting", ["import", "{tmp}/conflict.json", "--db", "{db}"],
     "a different actor with id 'sergei-lavrov'"),
    ("unknown command", ["frobnicate", "--db", "{db}"], "invalid choice"),
    ("bad export format", ["export", "--format", "xml", "--db", "{db}"], "invalid choice"),
]


@pytest.mark.parametrize("name,args,message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_one_line_exit_2_and_database_unchanged(capsys, sample_db, tmp_path,
                                                             name, args, message):
    (tmp_path / "bad.json").write_text('{"actors": [')
    (tmp_path / "badtype.json").write_text('{"actors": [{"id": "x", "name": "X", "aliases": 5}]}')
    (tmp_path / "conflict.json").write_text(
        '{"actors": [{"id": "sergei-lavrov", "name": "Not Lavrov"}]}')
    before = sample_db.read_bytes()
    code, _, err = run(capsys, *[a.format(tmp=tmp_path, db=sample_db) for a in args])
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert sample_db.read_bytes() == before


def test_corrupt_database_is_refused_and_untouched(capsys, tmp_path):
    db = tmp_path / "db.json"
    db.write_bytes(b'{"meta": {"schema": {"schema_version": 1}}, "actors": {"a": ')
    before = db.read_bytes()
    for args in (["quotes"], ["import", "-"], ["check"], ["actors", "--json"]):
        code, _, err = run(capsys, *args, "--db", str(db))
        assert code == 2 and "corrupt or truncated" in err and err.count("\n") == 1
    assert db.read_bytes() == before


def test_newer_database_is_refused(capsys, tmp_path):
    db = tmp_path / "db.json"
    db.write_bytes(b'{"meta": {"schema": {"schema_version": 7}}}')
    code, _, err = run(capsys, "quotes", "--db", str(db))
    assert code == 2 and "newer peace-tui" in err


@pytest.mark.skipif(shutil.which("peace-tui") is None, reason="peace-tui is not installed")
def test_installed_console_script(sample_db):
    out = subprocess.run(["peace-tui", "quotes", "--json", "--db", str(sample_db)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and len(json.loads(out.stdout)) == 21
    out = subprocess.run([sys.executable, "-m", "tui.cli", "--help"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and "ingest" in out.stdout

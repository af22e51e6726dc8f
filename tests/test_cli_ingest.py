"""`peace-tui ingest`: inputs of every kind, the summary, and refusals."""

import io
import json
import sys
from pathlib import Path

import pytest

from store import Actor, Store

from .test_cli import run

ARTICLES = Path(__file__).parent / "articles"
SHARED_ARTICLES = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "articles"


def test_ingest_a_file_creates_the_database_and_lists_quotes(capsys, tmp_path):
    db = tmp_path / "new.json"
    code, out, _ = run(capsys, "ingest", str(ARTICLES / "kyiv-drones.txt"), "--db", str(db),
                       "--outlet", "Kyiv Desk", "--date", "2025-11-20")
    assert code == 0 and out.startswith("added: ") and "6 quotes from 4 speakers" in out
    code, out, _ = run(capsys, "quotes", "--db", str(db), "--json")
    items = json.loads(out)
    assert {i["speaker"] for i in items} == {"Air Force", "Denys Shmyhal", "Andriy Yermak",
                                             "Oleksandr Merezhko"}
    code, out, _ = run(capsys, "check", "--db", str(db))
    assert code == 0


def test_ingest_twice_adds_nothing(capsys, tmp_path):
    db = tmp_path / "db.json"
    run(capsys, "ingest", str(ARTICLES / "ap-envoy.txt"), "--db", str(db))
    before = db.read_bytes()
    code, out, _ = run(capsys, "ingest", str(ARTICLES / "ap-envoy.txt"), "--db", str(db),
                       "--title", "A different title")
    assert code == 0 and out.startswith("already in the database")
    assert db.read_bytes() == before


def test_dry_run_and_json_summary(capsys, tmp_path):
    db = tmp_path / "db.json"
    code, out, _ = run(capsys, "ingest", str(ARTICLES / "wire-geneva-talks.txt"), "--db",
                       str(db), "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0 and report[0]["status"] == "dry-run" and len(report[0]["quotes"]) == 10
    assert Store.open(db).count(Actor) == 0


def test_folder_and_stdin(capsys, tmp_path, monkeypatch):
    db = tmp_path / "db.json"
    code, out, _ = run(capsys, "ingest", str(ARTICLES), "--db", str(db), "--json")
    assert code == 0 and len(json.loads(out)) == len(list(ARTICLES.glob("*.txt")))
    text = '"Nothing is agreed until everything is agreed," Kaja Kallas said on Monday.'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, _ = run(capsys, "ingest", "-", "--db", str(db), "--date", "2025-11-26",
                       "--json")
    (entry,) = json.loads(out)
    assert entry["quotes"][0]["speaker"] == "Kaja Kallas"
    assert entry["quotes"][0]["said_on"] == "2025-11-24"


def test_speakers_are_merged_across_articles_and_spellings(capsys, tmp_path, sample_db):
    one = tmp_path / "one.txt"
    one.write_text('"We will not give up our land," Volodymyr Zelenskyy said in Kyiv.')
    two = tmp_path / "two.txt"
    two.write_text('"Peace needs strong guarantees for Ukraine," Zelenskyy told reporters.')
    code, _, _ = run(capsys, "ingest", str(one), str(two), "--db", str(sample_db))
    assert code == 0
    store = Store.open(sample_db)
    zel = [a for a in store.list(Actor) if "zelensk" in a.name.casefold()]
    assert [a.id for a in zel] == ["volodymyr-zelensky"]
    code, out, _ = run(capsys, "quotes", "--db", str(sample_db), "--search",
                       "speaker:zelensky", "--json")
    assert len(json.loads(out)) == 2


def test_html_page(capsys, tmp_path):
    body = "".join(
        f"<p>{p}</p>" for p in [
            "Ukraine and Russia exchanged prisoners on Friday, the third swap this month, "
            "officials in both capitals said after the handover on the Belarusian border.",
            "&ldquo;Every one of our people must come home, and we will bring them all "
            "back,&rdquo; Ukrainian President Volodymyr Zelensky said in his evening "
            "address, thanking the mediators from the United Arab Emirates for their work.",
            "The exchange followed weeks of talks in Istanbul, where both delegations "
            "agreed on lists of names but failed to make progress on a ceasefire."])
    page = ("<!DOCTYPE html><html><head><title>Prisoner swap brings 300 home | Example "
            "News</title><meta property='og:site_name' content='Example News'>"
            "<meta property='article:published_time' content='2025-06-20T10:00:00Z'>"
            f"</head><body><nav>Home | World</nav><article><h1>Prisoner swap brings 300 "
            f"home</h1>{body}</article><footer>Copyright Example News</footer></body></html>")
    path = tmp_path / "swap.html"
    path.write_text(page)
    db = tmp_path / "db.json"
    code, out, _ = run(capsys, "ingest", str(path), "--db", str(db), "--json")
    assert code == 0, out
    (entry,) = json.loads(out)
    assert entry["quotes"][0]["speaker"] == "Volodymyr Zelensky"
    assert "Prisoner swap" in entry["title"]
    source = json.loads(run(capsys, "export", "--db", str(db))[1])["sources"][0]
    assert source["outlet"] == "Example News" and source["published"] == "2025-06-20"
    assert "Home | World" not in source["text"]


def test_markdown_file(capsys, tmp_path):
    md = tmp_path / "note.md"
    md.write_text("# Talks in Riyadh\n\nThe envoy **spoke** to [reporters](http://x.y).\n\n"
                  "> \"We are ready for a ceasefire on land and at sea,\" Rustem Umerov said.\n")
    code, out, _ = run(capsys, "ingest", str(md), "--db", str(tmp_path / "db.json"), "--json")
    assert code == 0
    (entry,) = json.loads(out)
    assert entry["title"] == "Talks in Riyadh"
    assert entry["quotes"][0]["speaker"] == "Rustem Umerov"


def test_mojibake_and_other_encodings(capsys, tmp_path):
    text = '"Russia\u2019s demands are a non-starter for us," Kaja Kallas said.'
    broken = tmp_path / "broken.txt"
    broken.write_bytes(text.encode("utf-8").decode("cp1252").encode("utf-8"))
    latin = tmp_path / "latin.txt"
    latin.write_bytes('"Le plan n\'est pas acceptable pour nous," said François '
                      'Heisbourg.'.encode("cp1252"))
    code, out, _ = run(capsys, "ingest", str(broken), str(latin), "--db",
                       str(tmp_path / "db.json"), "--json")
    assert code == 0
    quotes = [q for e in json.loads(out) for q in e["quotes"]]
    assert quotes[0]["text"] == "Russia\u2019s demands are a non-starter for us"
    assert quotes[1]["speaker"] == "François Heisbourg"


BAD = [
    ("empty", b"   \n\n  ", "empty"),
    ("binary", bytes(range(256)) * 8, "binary data"),
    ("utf16-broken", b"\xff\xfe" + b"\x00\xd8\x41\x00", "invalid utf-16"),
]


@pytest.mark.parametrize("name,content,message", BAD, ids=[b[0] for b in BAD])
def test_bad_articles_are_refused_and_change_nothing(capsys, sample_db, tmp_path, name,
                                                     content, message):
    good = tmp_path / "good.txt"
    good.write_text('"A perfectly fine quote of several words," Kaja Kallas said.')
    bad = tmp_path / f"{name}.txt"
    bad.write_bytes(content)
    before = sample_db.read_bytes()
    code, _, err = run(capsys, "ingest", str(good), str(bad), "--db", str(sample_db))
    assert code == 2 and message in err.lower() and err.count("\n") == 1
    assert sample_db.read_bytes() == before


def test_huge_file_is_refused_without_reading_it(capsys, sample_db, tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(21 * 1024 * 1024)
    before = sample_db.read_bytes()
    code, _, err = run(capsys, "ingest", str(huge), "--db", str(sample_db))
    assert code == 2 and "larger than 20 MB" in err
    assert sample_db.read_bytes() == before


@pytest.mark.parametrize("args,message", [
    (["--date", "29/04/2025"], "--date wants YYYY-MM-DD"),
    (["-", "-"], "standard input"),
    (["nope.txt"], "no such file"),
])
def test_bad_arguments(capsys, sample_db, args, message):
    before = sample_db.read_bytes()
    code, _, err = run(capsys, "ingest", *(args if args[0] != "--date" else
                                           [str(ARTICLES / "ap-envoy.txt"), *args]),
                       "--db", str(sample_db))
    assert code == 2 and message in err
    assert sample_db.read_bytes() == before


@pytest.mark.skipif(not SHARED_ARTICLES.exists(), reason="../shared/corpus is not beside the repo")
def test_the_seed_article_gives_the_gold_speakers(capsys, tmp_path):
    code, out, _ = run(capsys, "ingest", str(SHARED_ARTICLES /
                                            "dailymail-kremlin-rejects-us-plan.txt"),
                       "--db", str(tmp_path / "db.json"), "--json")
    assert code == 0
    speakers = {q["speaker"] for q in json.loads(out)[0]["quotes"]}
    assert {"Sergei Lavrov", "Dara Massicot", "Kremlin", "Donald Trump", "François Heisbourg",
            "Emmanuel Macron", "A European diplomat", "Thomas Gomart"} <= speakers

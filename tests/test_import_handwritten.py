"""`peace-tui import` of a proposal typed by hand (YAML or JSON), next to the exchange format."""

from __future__ import annotations

import json

import pytest

from store import Actor, Proposal, Store
from tui.cli import main

PLAN_YAML = """\
# The draft as reported; typed in an editor.
title: 28-point peace plan (draft)
proposer: United States
date: 2025-11-20
status: proposed
sources: [reuters-2025-04-25-us-framework]
terms:
  - Ce: A ceasefire along the current line of contact
  - x-alliance: Ukraine does not join NATO
  - SsrGua: "Security guarantees: a NATO-like commitment"
"""

EUROPE_JSON = {
    "title": "European counter-proposal", "proposer": "European Union",
    "proposer_kind": "organisation", "date": "2025-11",
    "terms": ["Ce: Ceasefire first", {"issue": "StBor", "text": "Borders from the line"}],
}


def run(capsys, *args):
    try:
        code = main(list(args))
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def test_import_a_yaml_proposal_then_again(capsys, sample_db, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN_YAML)
    code, out, _ = run(capsys, "import", str(plan), "--db", str(sample_db))
    assert code == 0 and "imported proposal 28-point-peace-plan-draft (3 terms)" in out
    store = Store.open(sample_db)
    proposal = store.get(Proposal, "28-point-peace-plan-draft")
    assert proposal.proposer == "united-states" and str(proposal.date) == "2025-11-20"
    assert [t.issue for t in proposal.terms] == ["Ce", "X-Alliance", "SsrGua"]
    assert proposal.terms[2].text == "Security guarantees: a NATO-like commitment"
    [record] = store.history()
    assert record.action == "import proposals"
    before = sample_db.read_bytes()
    code, out, _ = run(capsys, "import", str(plan), "--db", str(sample_db))
    assert code == 0 and "already present" in out
    assert sample_db.read_bytes() == before
    # And it can be diffed against the US plan at once.
    code, out, _ = run(capsys, "diff", "us-seven-point-plan", "28-point-peace-plan-draft",
                       "--db", str(sample_db), "--json")
    assert code == 0 and json.loads(out)["right"]["title"] == "28-point peace plan (draft)"


def test_import_a_json_proposal_from_stdin_creating_its_proposer(capsys, sample_db,
                                                                 monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        json.dumps(EUROPE_JSON).encode())))
    code, out, err = run(capsys, "import", "-", "--db", str(sample_db))
    assert code == 0, err
    assert "created the proposer european-union" in out
    store = Store.open(sample_db)
    assert store.get(Actor, "european-union").kind == "organisation"
    proposal = store.get(Proposal, "european-counter-proposal")
    assert proposal.date_precision == "month" and proposal.terms[1].issue == "StBor"


BAD = [
    ("not yaml", "title: [unclosed\n", "neither JSON nor YAML"),
    ("no title", "proposer: Russia\nterms: []\n", "title is missing"),
    ("unknown proposer", "title: T\nproposer: Atlantis\nterms: []\n", "not a known actor"),
    ("bad kind", "title: T\nproposer: Atlantis\nproposer_kind: robot\nterms: []\n",
     "proposer_kind must be"),
    ("unknown code", "title: T\nproposer: Russia\nterms:\n  - Zz: text\n",
     "term 1: unknown issue code 'Zz'"),
    ("term shape", "title: T\nproposer: Russia\nterms:\n  - just text\n",
     "term 1 must be one `issue: text` line"),
    ("empty term", "title: T\nproposer: Russia\nterms:\n  - Ce:\n", "with some text"),
    ("unknown key", "title: T\nproposer: Russia\nterms: []\nowner: me\n", "unknown key 'owner'"),
    ("bad date", "title: T\nproposer: Russia\ndate: someday\nterms: []\n", "YYYY-MM-DD"),
    ("bad status", "title: T\nproposer: Russia\nstatus: maybe\nterms: []\n", "status"),
    ("unknown source", "title: T\nproposer: Russia\nsources: [nowhere]\nterms: []\n",
     "unknown source"),
    ("neither form", "- a\n- b\n", "expected a proposal"),
    ("conflict", "id: us-seven-point-plan\ntitle: T\nproposer: Russia\nterms: []\n",
     "a different proposal with id 'us-seven-point-plan'"),
]


@pytest.mark.parametrize("name,text,message", BAD, ids=[b[0] for b in BAD])
def test_bad_hand_written_input_is_one_line_exit_2_db_unchanged(capsys, sample_db, tmp_path,
                                                               name, text, message):
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    before = sample_db.read_bytes()
    code, _, err = run(capsys, "import", str(path), "--db", str(sample_db))
    assert code == 2 and message in err, err
    assert err.count("\n") == 1
    assert sample_db.read_bytes() == before


def test_an_exchange_file_in_yaml_is_still_the_exchange_format(capsys, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("actors:\n  - id: a\n    name: A\n")
    code, out, err = run(capsys, "import", str(path), "--db", str(tmp_path / "new.json"))
    assert code == 0 and "imported 1 actors" in out, err


TWO_PLANS = """\
title: EU plan, part one
proposer: European Union
proposer_kind: organisation
terms:
  - Ce: Ceasefire first
---
title: EU plan, part two
proposer: European Union
date: 2025-11-24
terms:
  - SsrGua: European guarantee
"""


def test_several_proposals_in_one_file_in_one_change(capsys, sample_db, tmp_path):
    path = tmp_path / "plans.yaml"
    path.write_text(TWO_PLANS)
    code, out, err = run(capsys, "import", str(path), "--db", str(sample_db))
    assert code == 0, err
    assert "imported proposal eu-plan-part-one (1 term)" in out
    assert "imported proposal eu-plan-part-two (1 term)" in out
    assert "created the proposer european-union" in out
    store = Store.open(sample_db)
    assert store.get(Proposal, "eu-plan-part-two").proposer == "european-union"
    [record] = store.history()
    assert record.summary.startswith("Imported 2 proposals")


@pytest.mark.parametrize("text, message", [
    (TWO_PLANS.replace("SsrGua", "Nope"), "plans.yaml, proposal 2: term 1: unknown issue code"),
    (TWO_PLANS.replace("part two", "part one"), "two proposals have the id 'eu-plan-part-one'"),
    ('[{"title": "A", "proposer": "russia", "terms": []}, 3]', "expected a proposal"),
])
def test_one_bad_proposal_in_a_file_imports_none(capsys, sample_db, tmp_path, text, message):
    path = tmp_path / "plans.yaml"
    path.write_text(text)
    before = sample_db.read_bytes()
    code, _, err = run(capsys, "import", str(path), "--db", str(sample_db))
    assert code == 2 and message in err, err
    assert sample_db.read_bytes() == before


def test_a_json_list_of_proposals(capsys, sample_db, tmp_path):
    path = tmp_path / "plans.json"
    path.write_text(json.dumps([{"title": "A", "proposer": "russia", "terms": ["Ce: x"]},
                                {"title": "B", "proposer": "Ukraine", "terms": []}]))
    code, out, err = run(capsys, "import", str(path), "--db", str(sample_db))
    assert code == 0 and "imported proposal a (1 term)" in out and "proposal b" in out, err

"""Hand edits through the store: validated, atomic, recorded, undoable."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as strat

from store import Actor, ConflictError, InvalidData, NotFound, Proposal, Statement, Store
from store.edits import Editor, parse_date, unique_id
from store.models import DatePrecision

LAVROV_QUOTE = "st-b61baa660eed"  # 'neo-Nazi', said by Sergei Lavrov


@pytest.fixture
def editor(sample_store: Store) -> Editor:
    return Editor(sample_store, user="tester")


def test_edit_quote_speaker_date_issues_and_record(editor):
    store = editor.store
    record = editor.edit_quote(LAVROV_QUOTE, actor_id="vladimir-putin", said_on="2025-05",
                               issues=["Ce", "tjsan", "ce"])  # codes in any case
    st = store.get(Statement, LAVROV_QUOTE)
    assert st.actor_id == "vladimir-putin" and st.issues == ["Ce", "TjSan"]
    assert st.said_on.isoformat() == "2025-05-01" and st.said_on_precision is DatePrecision.month
    assert st.text == "neo-Nazi"  # the verbatim text is never touched
    [stored] = store.history()
    assert stored == record and stored.user == "tester" and stored.action == "edit quote"
    assert stored.changes[0].before["actor_id"] == "sergei-lavrov"
    assert stored.changes[0].after["actor_id"] == "vladimir-putin"
    assert "Vladimir Putin" in stored.summary


def test_user_defaults_to_the_login_name(sample_store, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "analyst7")
    record = Editor(sample_store).delete_quote(LAVROV_QUOTE)
    assert record.user == "analyst7"


@pytest.mark.parametrize("kwargs, message", [
    ({"actor_id": "nobody"}, "no actor"),
    ({"said_on": "28/04/2025"}, "YYYY-MM-DD"),
    ({"issues": ["NotACode"]}, "unknown issue code"),
])
def test_an_invalid_edit_changes_nothing_on_disk(sample_db, kwargs, message):
    before = sample_db.read_bytes()
    editor = Editor(Store.open(sample_db))
    with pytest.raises(InvalidData, match=message):
        editor.edit_quote(LAVROV_QUOTE, **kwargs)
    assert sample_db.read_bytes() == before


def test_delete_and_undo_a_quote(editor):
    store = editor.store
    editor.delete_quote(LAVROV_QUOTE)
    assert store.find(Statement, LAVROV_QUOTE) is None
    undo = editor.undo()
    assert store.find(Statement, LAVROV_QUOTE).text == "neo-Nazi"
    assert undo.action == "undo" and undo.undoes == store.history()[0].id
    assert editor.undoable() is None  # undone; the undo itself is not undone by `u`
    with pytest.raises(NotFound):
        editor.undo()


def test_undo_walks_back_through_changes(editor):
    editor.edit_quote(LAVROV_QUOTE, issues=["Ce"])
    editor.edit_quote(LAVROV_QUOTE, actor_id="vladimir-putin")
    editor.undo()
    assert editor.store.get(Statement, LAVROV_QUOTE).actor_id == "sergei-lavrov"
    assert editor.store.get(Statement, LAVROV_QUOTE).issues == ["Ce"]
    editor.undo()
    assert editor.store.get(Statement, LAVROV_QUOTE).issues == ["X-Leadership"]
    assert len(editor.store.history()) == 4


def test_undo_is_refused_when_the_object_changed_since(sample_db):
    mine, theirs = Editor(Store.open(sample_db), "me"), Editor(Store.open(sample_db), "them")
    mine.edit_quote(LAVROV_QUOTE, issues=["Ce"])
    theirs.edit_quote(LAVROV_QUOTE, issues=["TjSan"])
    # The last change is theirs; undo the one before it by id: it would overwrite theirs.
    first = mine.store.history()[0].id
    before = sample_db.read_bytes()
    with pytest.raises(ConflictError, match="changed since"):
        mine.undo(first)
    assert sample_db.read_bytes() == before


def test_an_edit_from_a_stale_read_is_refused(sample_db):
    store = Store.open(sample_db)
    old = store.get(Statement, LAVROV_QUOTE)
    Editor(Store.open(sample_db)).edit_quote(LAVROV_QUOTE, issues=["Ce"])
    from store.db import to_doc
    from store.history import DocChange

    stale = DocChange(table="statements", id=old.id, before=to_doc(old),
                      after={**to_doc(old), "issues": ["TjSan"]})
    with pytest.raises(ConflictError):
        store.apply([stale], action="edit quote", summary="stale")
    assert store.get(Statement, LAVROV_QUOTE).issues == ["Ce"]


def test_edit_actor_and_invalid_name(editor):
    editor.edit_actor("sergei-lavrov", name="Sergey Lavrov", role="FM", kind="person",
                      affiliation="Russia", aliases=["Lavrov", "Sergei Lavrov", "lavrov"])
    actor = editor.store.get(Actor, "sergei-lavrov")
    assert actor.name == "Sergey Lavrov" and actor.role == "FM"
    assert actor.aliases == ["Lavrov", "Sergei Lavrov"]
    with pytest.raises(InvalidData, match="name"):
        editor.edit_actor("sergei-lavrov", name="  ")
    with pytest.raises(InvalidData, match="kind"):
        editor.edit_actor("sergei-lavrov", kind="robot")


def test_merge_actors_moves_quotes_and_proposals_and_undoes(editor):
    store = editor.store
    quotes = [s.id for s in store.list(Statement) if s.actor_id == "kremlin"]
    assert quotes
    record = editor.merge_actors("kremlin", "russia")
    assert store.find(Actor, "kremlin") is None
    assert all(store.get(Statement, q).actor_id == "russia" for q in quotes)
    assert store.get(Proposal, "russia-victory-day-truce").proposer == "russia"
    assert "The Kremlin" in store.get(Actor, "russia").aliases
    assert f"{len(quotes)} quotes moved" in record.summary
    editor.undo()
    assert store.get(Actor, "kremlin").name == "The Kremlin"
    assert all(store.get(Statement, q).actor_id == "kremlin" for q in quotes)
    assert "The Kremlin" not in store.get(Actor, "russia").aliases
    with pytest.raises(InvalidData):
        editor.merge_actors("russia", "russia")


def test_create_actor_gets_a_free_id(editor):
    actor, _ = editor.create_actor("Sergei Lavrov")
    assert actor.id == "sergei-lavrov-2"
    assert unique_id("EU plan", {"eu-plan"}) == "eu-plan-2"


def test_create_edit_delete_a_proposal(editor):
    store = editor.store
    proposal, _ = editor.save_proposal({
        "title": "European counter-proposal", "proposer": "emmanuel-macron",
        "date": "2025-11-23", "status": "proposed",
        "terms": [{"issue": "Ce", "text": "Ceasefire on the line of contact"},
                  {"issue": "SsrGua", "text": "NATO-like security guarantee"}]})
    assert proposal.id == "european-counter-proposal"
    assert store.get(Proposal, proposal.id).terms[1].issue == "SsrGua"
    edited, record = editor.save_proposal({**proposal.model_dump(), "date": "2025-11",
                                           "terms": list(reversed(proposal.terms))})
    assert edited.terms[0].issue == "SsrGua" and record.action == "edit proposal"
    editor.delete_proposal(proposal.id)
    assert store.find(Proposal, proposal.id) is None
    editor.undo()
    assert store.get(Proposal, proposal.id).terms[0].issue == "SsrGua"


@pytest.mark.parametrize("data, message", [
    ({"title": "", "proposer": "russia"}, "title"),
    ({"title": "X", "proposer": "nobody"}, "unknown proposer"),
    ({"title": "X", "proposer": "russia", "terms": [{"issue": "Nope", "text": "t"}]},
     "unknown issue code"),
    ({"title": "X", "proposer": "russia", "source_ids": ["nowhere"]}, "unknown source"),
    ({"title": "X", "proposer": "russia", "date": "soon"}, "YYYY-MM-DD"),
])
def test_an_invalid_proposal_saves_nothing(sample_db, data, message):
    before = sample_db.read_bytes()
    with pytest.raises(InvalidData, match=message):
        Editor(Store.open(sample_db)).save_proposal(data)
    assert sample_db.read_bytes() == before


def test_deleting_an_actor_in_use_through_a_change_is_refused(editor):
    from store.db import to_doc
    from store.history import DocChange

    actor = editor.store.get(Actor, "sergei-lavrov")
    with pytest.raises(InvalidData, match="referred to"):
        editor.store.apply([DocChange(table="actors", id="sergei-lavrov",
                                          before=to_doc(actor))],
                           action="x", summary="x")


def test_parse_date():
    assert parse_date("") == (None, DatePrecision.unknown)
    assert parse_date("2025-04")[1] is DatePrecision.month
    with pytest.raises(InvalidData):
        parse_date("2025-13-01")


def test_nothing_changed_is_not_recorded(editor):
    with pytest.raises(InvalidData, match="nothing changed"):
        editor.edit_quote(LAVROV_QUOTE, issues=["X-Leadership"])
    assert editor.store.history() == []


def test_a_new_speaker_is_created_with_the_edit_and_undone_with_it(editor):
    record = editor.edit_quote(LAVROV_QUOTE, new_speaker="Dmitry Peskov")
    assert [c.table for c in record.changes] == ["actors", "statements"]
    assert editor.store.get(Statement, LAVROV_QUOTE).actor_id == "dmitry-peskov"
    editor.undo()
    assert editor.store.find(Actor, "dmitry-peskov") is None
    assert editor.store.get(Statement, LAVROV_QUOTE).actor_id == "sergei-lavrov"


def test_an_edit_based_on_what_a_form_showed_is_refused_if_changed_since(sample_db):
    form_store = Store.open(sample_db)
    shown_quote = form_store.get(Statement, LAVROV_QUOTE)
    shown_actor = form_store.get(Actor, "sergei-lavrov")
    shown_plan = form_store.get(Proposal, "trump-permanent-ceasefire")
    other = Editor(Store.open(sample_db), "other")
    other.edit_quote(LAVROV_QUOTE, issues=["Ce"])
    other.edit_actor("sergei-lavrov", role="FM")
    other.save_proposal({**shown_plan.model_dump(), "status": "rejected"})
    before = sample_db.read_bytes()
    mine = Editor(form_store, "me")
    with pytest.raises(ConflictError, match="changed since"):
        mine.edit_quote(LAVROV_QUOTE, actor_id="vladimir-putin", base=shown_quote)
    with pytest.raises(ConflictError, match="changed since"):
        mine.edit_actor("sergei-lavrov", name="S. Lavrov", base=shown_actor)
    with pytest.raises(ConflictError, match="changed since"):
        mine.save_proposal({**shown_plan.model_dump(), "title": "Mine"}, base=shown_plan)
    assert sample_db.read_bytes() == before

_SPEAKERS = ["sergei-lavrov", "vladimir-putin", "kremlin", "russia"]
_CODES = ["Ce", "TjSan", "SsrGua", "X-Alliance", "X-Leadership"]
_EDITS = strat.lists(strat.tuples(strat.sampled_from(_SPEAKERS),
                                  strat.lists(strat.sampled_from(_CODES), max_size=3),
                                  strat.sampled_from(["", "2025-05", "2025-04-28"])),
                     min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_EDITS)
def test_undoing_every_edit_gives_back_the_data_exactly(edits):
    from store.sample import load_sample

    store = Store.memory()
    store.add_bundle(load_sample())
    original = store.bundle()
    editor = Editor(store, "prop")
    made = 0
    for speaker, codes, when in edits:
        try:
            editor.edit_quote(LAVROV_QUOTE, actor_id=speaker, issues=codes, said_on=when)
            made += 1
        except InvalidData:  # nothing changed: not recorded
            pass
    for _ in range(made):
        editor.undo()
    assert store.bundle() == original
    assert editor.undoable() is None
    assert len(store.history()) == 2 * made


def test_documents_written_without_their_defaults_are_compared_by_content(sample_db):
    import json

    data = json.loads(sample_db.read_text())
    doc = data["statements"][LAVROV_QUOTE]
    del doc["kind"]  # as an older or other peace-tui might have written it
    sample_db.write_text(json.dumps(data))
    editor = Editor(Store.open(sample_db))
    editor.edit_quote(LAVROV_QUOTE, issues=["Ce"])
    editor.undo()
    assert editor.store.get(Statement, LAVROV_QUOTE).issues == ["X-Leadership"]


def test_an_invalid_history_record_is_a_one_line_error(sample_db):
    import json

    from store import DatabaseCorrupt

    data = json.loads(sample_db.read_text())
    data["history"] = {"00000001": {"at": "yesterday"}}
    sample_db.write_text(json.dumps(data))
    with pytest.raises(DatabaseCorrupt, match="change record"):
        Store.open(sample_db).history()


def test_a_term_with_a_span_must_stand_verbatim_there(editor):
    src = "dailymail-2025-04-29-kremlin-rejects-us-plan"
    data = {"title": "X", "proposer": "russia",
            "terms": [{"issue": "Ce", "text": "not these words", "source_id": src,
                       "span": (3268, 3317)}]}
    with pytest.raises(InvalidData, match=r"term 1's text is not at 3268\.\.3317"):
        editor.save_proposal(data)
    data["terms"][0]["text"] = "Trump is seeking a permanent ceasefire in Ukraine"
    proposal, _ = editor.save_proposal(data)
    assert proposal.terms[0].span == (3268, 3317)

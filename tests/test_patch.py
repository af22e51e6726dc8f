"""store.patch (Corpus.patched): a change record applied to what is shown is what a new
reading of the changed file shows; or None, where that cannot be told."""

from __future__ import annotations

from operator import itemgetter
from pathlib import Path

import orjson
import pytest

from bench.corpus import generate
from store import Editor, Store
from store.history import DocChange
from store.models import Actor, Proposal, Statement
from store.search import QuoteSearch
from store.views import view_order
from tui.corpus import Corpus


@pytest.fixture
def archive(tmp_path: Path) -> Store:
    path = tmp_path / "archive.json"
    path.write_bytes(orjson.dumps(generate(400, seed=5)))
    return Store.open(path)


def _shown_after(store: Store, change) -> tuple[Corpus | None, Corpus]:
    """The corpus shown before, patched with the record `change(editor)` made; and the
    corpus a new reading of the file makes."""
    before = Corpus.from_store(store)
    before.counts  # noqa: B018 - counted, as the explorer's actor pane has: patched then
    found = change(Editor(store))
    record = found[1] if isinstance(found, tuple) else found
    return before.patched(record.changes), Corpus.from_store(Store.open(store.path))


def _same(patched: Corpus | None, fresh: Corpus) -> None:
    assert patched is not None
    assert patched.views == fresh.views
    assert [v.actor for v in patched.views] == [v.actor for v in fresh.views]
    assert [v.source for v in patched.views] == [v.source for v in fresh.views]
    assert patched.actors == fresh.actors and patched.proposals == fresh.proposals
    assert patched.sources == fresh.sources
    assert patched.counts == fresh.counts


def _quotes(store: Store) -> list[Statement]:
    return store.list(Statement)


@pytest.mark.parametrize("change", [
    lambda e, s: e.edit_quote(s[7].id, said_on="2021-03"),
    lambda e, s: e.edit_quote(s[8].id, actor_id=s[50].actor_id, issues=["Dev", "GCh"]),
    lambda e, s: e.edit_quote(s[9].id, new_speaker="A speaker not known before"),
    lambda e, s: e.delete_quote(s[10].id),
    lambda e, s: e.edit_actor(s[11].actor_id, name="Renamed envoy", aliases=["R. Envoy"]),
    lambda e, s: e.merge_actors(s[12].actor_id, s[200].actor_id),
    lambda e, s: e.delete_proposal(e.store.list(Proposal)[0].id),
    lambda e, s: e.save_proposal({**e.store.list(Proposal)[1].model_dump(), "title": "Renamed"}),
    lambda e, s: e.save_proposal({"title": "A new plan", "proposer": s[0].actor_id,
                                  "date": "2025-02"}),
], ids=["date", "speaker and issues", "new speaker", "delete", "actor renamed", "merge",
        "proposal deleted", "proposal edited", "proposal added"])
def test_each_kind_of_change_shows_what_a_new_reading_shows(archive, change):
    quotes = _quotes(archive)
    assert quotes[12].actor_id != quotes[200].actor_id  # merged below
    _same(*_shown_after(archive, lambda e: change(e, quotes)))


def test_an_undo_shows_what_a_new_reading_shows(archive):
    quotes = _quotes(archive)
    for change in (lambda e: e.delete_quote(quotes[20].id),  # undone: back, last in the file
                   lambda e: e.merge_actors(quotes[21].actor_id, quotes[300].actor_id)):
        _same(*_shown_after(archive, change))
        _same(*_shown_after(archive, lambda e: e.undo()))


def test_the_index_brought_in_step_answers_as_a_new_one(archive, monkeypatch):
    """Change after change, each applied to the corpus before and its index brought in
    step from what the change says (`QuoteSearch.plan_patch`): the same answers, in
    the same places, as an index of a new reading; and no pass over every quote."""
    quotes = _quotes(archive)
    shown = Corpus.from_store(archive)
    shown.index  # noqa: B018 - built (its counts are left to be counted after each change)
    renamed = quotes[90].actor_id  # quotes[30] is given to it, in the small segment
    changes = [
        lambda e: e.edit_quote(quotes[30].id, actor_id=quotes[90].actor_id),
        lambda e: e.edit_quote(quotes[30].id, said_on="2019-05-02", issues=["Dev"]),
        lambda e: e.delete_quote(quotes[32].id),
        lambda e: e.undo(),  # back, last in the file
        lambda e: e.edit_actor(renamed, name="Zebediah Quill", aliases=["Z. Quill"]),
        lambda e: e.merge_actors(quotes[33].actor_id, quotes[91].actor_id),
        lambda e: e.edit_quote(quotes[34].id, new_speaker="Ophelia Nightingale"),
    ]
    queries = ["ceasefire", "peace talks", '"of the"', "sanc", "ceasfire", "speaker:zebediah",
               "speaker:quill", "speaker:ophelia", f"speaker:{quotes[91].actor_id}", "iss:Dev",
               "after:2019-01-01 before:2019-12-31", "-the peace"]
    monkeypatch.setattr(QuoteSearch, "plan_sync", None)  # would fail: not called
    for change in changes:
        record = change(Editor(archive))
        patched = shown.patched(record.changes)
        plan = patched.plan_index(shown)
        assert patched._patched is not None  # from the change, not plan_sync
        patched.adopt_index(shown, plan)
        fresh = Corpus.from_store(Store.open(archive.path))
        _same(patched, fresh)
        for q in queries:
            ours, theirs = patched.search(q), fresh.search(q)
            assert sorted(((h.view.statement.id, h.view) for h in ours.hits),
                          key=itemgetter(0)) == sorted(
                ((h.view.statement.id, h.view) for h in theirs.hits), key=itemgetter(0)), q
            assert ours.in_order() == theirs.in_order(), q
        shown = patched


def _one(table: str, id: str, before, after) -> list[DocChange]:
    return [DocChange(table=table, id=id, before=before, after=after)]


def test_what_cannot_be_told_for_certain_is_none(archive):
    corpus = Corpus.from_store(archive)
    tables = orjson.loads(archive.path.read_bytes())
    sid, doc = next(iter(tables["statements"].items()))
    src_id, src = next(iter(tables["sources"].items()))
    assert corpus.patched(_one("sources", src_id, src, {**src, "title": "Other"})) is None
    assert corpus.patched(_one("elsewhere", "x", None, {"a": 1})) is None
    twice = _one("statements", sid, doc, {**doc, "said_on": None,
                                          "said_on_precision": "unknown"}) * 2
    assert corpus.patched(twice) is None
    # A quote now from a source no quote was from: not at hand (the corpus keeps quoted ones)
    assert "src-unquoted" not in {v.statement.source_id for v in corpus.views}
    assert corpus.patched(_one("statements", sid, doc, {**doc, "source_id": "src-unquoted"})
                          ) is None
    # history is not part of what is shown
    assert corpus.patched(_one("history", "0001", None, {"a": 1})) is not None


def test_a_quote_moved_where_another_starts_is_left_to_a_new_reading(archive):
    corpus = Corpus.from_store(archive)
    a, b = corpus.views[40], corpus.views[41]
    if a.statement.source_id != b.statement.source_id:
        b = next(v for v in corpus.views if v.statement.source_id == a.statement.source_id
                 and v is not a)
    doc = {k: v for k, v in Store.open(archive.path)._tables()["statements"][b.statement.id]
           .items()}
    moved = {**doc, "span": [a.statement.span[0], a.statement.span[0] + len(doc["text"])]}
    change = _one("statements", b.statement.id, doc, moved)
    assert view_order(a) == (a.source.published, a.statement.source_id, moved["span"][0])
    assert corpus.patched(change) is None  # tied with a: their places in the file decide
    alone = {**doc, "span": [10**6, 10**6 + len(doc["text"])]}  # nowhere near another
    patched = corpus.patched(_one("statements", b.statement.id, doc, alone))
    assert patched is not None
    assert [v.statement.id for v in patched.views].index(b.statement.id) > corpus.views.index(b)


def test_a_proposal_moved_to_another_s_date_and_title_is_left_to_a_new_reading(archive):
    corpus = Corpus.from_store(archive)
    tables = Store.open(archive.path)._tables()["proposals"]
    first, second = corpus.proposals[0], corpus.proposals[1]
    doc = tables[second.id]
    same = {**doc, "title": first.title, "date": first.date and first.date.isoformat(),
            "date_precision": first.date_precision.value}
    assert corpus.patched(_one("proposals", second.id, doc, same)) is None
    assert corpus.patched(_one("proposals", second.id, doc, {**same, "title": "Unique"})) \
        is not None


def test_an_actor_that_goes_leaves_its_quotes_without_one_as_a_reading_does(archive):
    corpus = Corpus.from_store(archive)
    actor = corpus.views[0].actor
    assert isinstance(actor, Actor)
    doc = Store.open(archive.path)._tables()["actors"][actor.id]
    patched = corpus.patched(_one("actors", actor.id, doc, None))
    assert all(v.actor is None for v in patched.views if v.statement.actor_id == actor.id)
    assert actor.id not in {a.id for a in patched.actors}


def test_a_new_quote_where_another_starts_goes_after_it_as_in_the_file(archive):
    """A new document is last in its table: a new reading lists it after any other at
    the same place (source and start)."""
    corpus = Corpus.from_store(archive)
    tables = orjson.loads(archive.path.read_bytes())
    sid = corpus.views[60].statement.id
    twin = dict(tables["statements"][sid], text="A second quote at the same place.")
    tables["statements"]["st-twin"] = twin
    archive.path.write_bytes(orjson.dumps(tables))
    patched = corpus.patched(_one("statements", "st-twin", None, twin))
    _same(patched, Corpus.from_store(Store.open(archive.path)))
    ids = [v.statement.id for v in patched.views]
    assert ids.index("st-twin") == ids.index(sid) + 1

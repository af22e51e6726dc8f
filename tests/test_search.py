import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from store.query import parse_query
from store.search import QuoteSearch
from store.views import quote_views


def _search(sample, q):
    return QuoteSearch(quote_views(sample)).search(q)


def _speakers(result):
    return [h.view.speaker for h in result.hits]


def test_words_must_all_occur_and_prefixes_match(sample):
    r = _search(sample, "sanc lawsuits")
    assert _speakers(r) == ["Sergei Lavrov"] and not r.fuzzy
    assert r.hits[0].spans  # where to highlight


def test_phrase(sample):
    r = _search(sample, '"all hostilities"')
    assert [h.view.statement.text for h in r.hits] == ["all hostilities"]
    assert _search(sample, '"hostilities all"').hits == []


def test_speaker_issue_and_dates(sample):
    assert set(_speakers(_search(sample, "speaker:macron"))) == {"Emmanuel Macron"}
    assert set(_speakers(_search(sample, 'speaker:"emmanuel macron" pressure'))) == {
        "Emmanuel Macron"}
    assert all("X-FrozenAssets" in h.view.statement.issues
               for h in _search(sample, "issue:x-frozenassets").hits)
    before = _search(sample, "before:2025-04-20").hits
    assert [h.view.date for h in before] == [dt.date(2025, 4, 14)]
    after = _search(sample, "after:2025-04-29").hits
    assert after and all(h.view.date >= dt.date(2025, 4, 29) for h in after)


def test_excluded_word(sample):
    with_drones = _search(sample, "kremlin").hits
    assert len(_search(sample, "kremlin -drones").hits) == len(with_drones) - 1


def test_typo_tolerant_fallback(sample):
    r = _search(sample, "sanctons")
    assert r.fuzzy and _speakers(r) == ["Sergei Lavrov"]
    assert _search(sample, "zzzzqqq").hits == []


def test_half_typed_queries_are_not_errors():
    assert parse_query('speaker:').is_empty
    assert parse_query('"open phrase').words == ("open", "phrase") or parse_query(
        '"open phrase').phrases == ("open phrase",)
    assert parse_query("after:2025-1").problems


@given(st.text())
def test_parser_never_raises(text):
    parse_query(text)

"""The bundled sample: complete, checkable, and true to the hand-labelled gold."""

import json
import re
from pathlib import Path

import pytest

from store.check import check_bundle
from store.views import quote_views

from .conftest import SHARED

GOLD = SHARED / "corpus" / "gold.json"
ARTICLE = "dailymail-kremlin-rejects-us-plan.txt"


def _words(s: str) -> list[str]:
    s = s.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))
    return re.findall(r"[\w']+", s.lower())


def _cover(part: str, whole: str) -> float:
    p, w = _words(part), set(_words(whole))
    return sum(1 for x in p if x in w) / len(p)


def test_sample_passes_check(sample):
    assert check_bundle(sample) == []


def test_every_quote_once(sample):
    texts = [" ".join(_words(s.text)) for s in sample.statements]
    assert len(texts) == len(set(texts))
    spans = [(s.source_id, s.span) for s in sample.statements]
    assert len(spans) == len(set(spans))


def test_article_is_cleaned_once(sample):
    source = next(s for s in sample.sources if s.outlet == "Daily Mail")
    assert source.text.count("Sergei Lavrov") == 1
    assert "Hit the follow button" not in source.text and "Read more" not in source.text
    assert "’" in source.text  # the typographic copy of each paragraph was kept


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/corpus/gold.json is not beside the repo")
def test_sample_matches_gold():
    from store.sample import load_sample

    gold = json.loads(GOLD.read_text("utf-8"))[ARTICLE]
    views = quote_views(load_sample())
    for q in gold["quotes"]:
        found = [v for v in views if _cover(q["q"], v.statement.text) >= 0.8
                 and any(alias.lower() in v.speaker.lower() for alias in q["speaker"])]
        assert found, f"gold quote missing or misattributed: {q['q'][:60]}"
    # and nothing of four words or more that gold does not label
    for v in views:
        if len(_words(v.statement.text)) >= 4:
            good = " ".join(q["q"] for q in gold["quotes"]
                            if any(a.lower() in v.speaker.lower() for a in q["speaker"]))
            assert _cover(v.statement.text, good + " " + " ".join(gold["ignore"])) >= 0.8, \
                v.statement.text


def test_actors_named_in_the_design_are_present(sample):
    names = " ".join(a.name for a in sample.actors)
    for who in ("Lavrov", "Putin", "Zelensky", "Trump", "Leavitt", "Macron", "Massicot",
                "Heisbourg", "Gomart", "Barrie", "European diplomat", "Kremlin"):
        assert who in names
    kinds = {a.id: a.kind for a in sample.actors}
    assert kinds["european-diplomat"] == "anonymous" and kinds["kremlin"] == "institution"
    massicot = next(a for a in sample.actors if a.id == "dara-massicot")
    assert massicot.role == "Senior Fellow"
    assert massicot.affiliation == "Carnegie Endowment for International Peace"


def test_proposals_of_the_design(sample):
    by_id = {p.id: p for p in sample.proposals}
    us = by_id["us-seven-point-plan"]
    assert {"X-Recognition", "Ce", "X-Alliance", "SsrGua", "TjSan"} <= {t.issue for t in us.terms}
    lavrov = by_id["russia-terms-lavrov"]
    assert {"X-Recognition", "X-Leadership", "SsrArm", "ImE", "TjSan", "TjAm",
            "X-FrozenAssets"} <= {t.issue for t in lavrov.terms}
    assert "russia-victory-day-truce" in by_id and "trump-permanent-ceasefire" in by_id
    reuters = [t for t in us.terms if t.source_id == "reuters-2025-04-25-us-framework"]
    assert reuters and all(t.span is None for t in reuters)


def test_sample_file_is_what_the_builder_makes():
    from store.exchange import dump_json
    from store.sample import sample_bytes
    from store.sample.build import build

    article = SHARED / "corpus" / "articles" / ARTICLE
    if not article.exists():
        pytest.skip("the seed article is not beside the repo")
    assert dump_json(build(Path(article))) == sample_bytes()

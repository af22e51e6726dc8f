"""The word lists the extractor reads from `store/data/` (data, not code)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Lexicon", "lexicon"]


def _load(name: str) -> dict:
    return json.loads(resources.files("store").joinpath(f"data/{name}").read_text("utf-8"))


@dataclass(frozen=True)
class Lexicon:
    speech_verbs: tuple[str, ...]
    verb_pattern: str  # regex alternation of speech verbs, longest first
    titles: frozenset[str]
    role_words: frozenset[str]
    organisation_words: frozenset[str]
    states: dict[str, str]  # folded name or capital -> state name

    def is_verb(self, word: str) -> bool:
        return word.casefold() in self.speech_verbs


@cache
def lexicon() -> Lexicon:
    attr = _load("attribution.json")
    verbs = tuple(sorted({v.casefold() for v in attr["speech_verbs"]}, key=len, reverse=True))
    pattern = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in verbs)
    states: dict[str, str] = {}
    for name, aliases in _load("states.json")["states"].items():
        for alias in (name, *aliases):
            states[alias.casefold()] = name
    return Lexicon(
        speech_verbs=verbs,
        verb_pattern=pattern,
        titles=frozenset(w.casefold() for w in attr["titles"]),
        role_words=frozenset(w.casefold() for w in attr["role_words"]),
        organisation_words=frozenset(w.casefold() for w in attr["organisation_words"]),
        states=states,
    )

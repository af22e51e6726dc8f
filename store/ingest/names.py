"""Reading a noun phrase as a speaker: a person, an institution, a state,
an anonymous source, a pronoun or a description to resolve.

    "French President Emmanuel Macron" -> person Emmanuel Macron, role French President
    "the Kremlin"                      -> institution Kremlin
    "Moscow"                           -> state Russia
    "a European diplomat"              -> anonymous "A European diplomat"
    "she", "it"                        -> pronoun
    "the head of the MFA"              -> description, resolved against the article
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import lexicon

__all__ = ["NOT_NAMES", "Phrase", "parse_phrase", "split_title"]

_CUT_AT = re.compile(
    r"\s+(?:on|in|at|during|after|before|from|by|with|yesterday|today|tonight|last|earlier|"
    r"later|this|when|as|while|via|through|told|speaking|who|which|whose|according|"
    # 'a diplomat briefed on the talks', 'a source close to / familiar with the Kremlin'
    r"briefed|familiar|close|involved|knowledgeable|granted|requesting|insisting)\b.*$|"
    # 'European leaders meeting on the sidelines ...': a participle ends the speaker
    r"\s+(?!(?:leading|ruling|acting|outgoing|incoming|founding|governing|visiting|managing|"
    r"reigning|serving|ranking)\b)[a-z]+ing\b.*$|"
    r"\s*[,;:(\[—–].*$",
    re.DOTALL,
)
#: Capitalised words that start sentences or name days, never a person's name.
NOT_NAMES = frozenset("""
    a an and as at after although also according any before but by during earlier for from
    he her his however i if in it its last later many meanwhile most no of on our she
    since so some than that the their these they this those though to under we when where
    whether which while who with without yet monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december
""".split())
#: 'Mr Merz': a form of address, not a role.
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "mr.", "mrs.",
               "ms.", "dr.", "madam", "monsieur", "herr"}
_POSSESSIVE = re.compile(r"[’']s?$")
_CAPITAL = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſА-Я]")
_PARTICLES = {"de", "van", "von", "der", "den", "al", "bin", "da", "di", "du", "le", "la", "dos",
              "del", "el", "ter", "zu"}
_ANON = {"a", "an", "one", "another"}
_POSSESSIVE_PRONOUNS = {"his", "her", "its", "their"}
_PRONOUNS = {"he", "she", "it", "they"}
#: 'According to him': object pronouns name the same people.
_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}
#: Words that open a phrase without being part of a name: 'But', 'Meanwhile'.
_LEAD = re.compile(r"^(?:(?:but|and|so|yet|however|meanwhile|then|also|even|as)\s+)+",
                   re.IGNORECASE)
#: Things that 'say' in the passive sense only: 'the report said' names no speaker.
_INANIMATE = {"report", "statement", "document", "plan", "agreement", "declaration", "text",
              "draft", "letter", "study", "survey", "poll", "proposal", "treaty", "deal",
              "readout", "communique", "communiqué", "memo", "article", "paper", "resolution",
              "framework", "law", "bill", "decree", "order", "website", "post", "video",
              "message", "note", "analysis", "data", "figures", "record", "transcript"}
#: Plural nouns that name an unnamed group of sources.
_GROUPS = {"officials", "diplomats", "sources", "analysts", "experts", "lawmakers", "observers",
           "critics", "residents", "witnesses", "negotiators", "aides", "insiders", "people",
           "leaders", "ministers", "governments", "allies", "envoys", "mediators"}


@dataclass(frozen=True, slots=True)
class Phrase:
    """What a noun phrase names. kind: person, institution, state, anonymous,
    pronoun or description."""

    kind: str
    name: str
    role: str | None = None


def _bare(token: str) -> str:
    return _POSSESSIVE.sub("", token.strip(".,;:")).casefold()


def _is_capital(token: str) -> bool:
    return bool(_CAPITAL.match(token)) or token.casefold() in _PARTICLES


def split_title(tokens: list[str]) -> tuple[list[str], list[str]]:
    """('French President Emmanuel Macron') -> (['French', 'President'], ['Emmanuel', 'Macron'])."""
    lex = lexicon()
    last_title = -1
    for i, tok in enumerate(tokens):
        if _bare(tok) in lex.titles:
            last_title = i
    return tokens[: last_title + 1], tokens[last_title + 1 :]


@lru_cache(maxsize=16384)
def parse_phrase(text: str) -> Phrase | None:
    """What a speaker phrase names, or None when it cannot be a speaker."""
    lex = lexicon()
    np = _CUT_AT.sub("", " ".join(text.split())).strip(" .,;:'\"“”‘’«»")
    np = _LEAD.sub("", np)
    tokens = np.split()
    if not tokens or len(tokens) > 12:  # 'the head of the Office of the President A B'

        return None
    first = tokens[0].casefold()
    if len(tokens) == 1 and first in _PRONOUNS:
        return Phrase("pronoun", first)
    if len(tokens) == 1 and first in _OBJECT_PRONOUNS:
        return Phrase("pronoun", _OBJECT_PRONOUNS[first])
    if first in _ANON:
        if len(tokens) < 2:
            return None
        return Phrase("anonymous", np[0].upper() + np[1:])
    if first in _POSSESSIVE_PRONOUNS:
        return _description(tokens[1:])
    plain = np[4:] if first == "the" else np
    state = lex.states.get(plain.casefold())
    if state:
        return Phrase("state", state)
    if first == "the":
        rest = tokens[1:]
        if not rest:
            return None
        titles, name = split_title(rest)
        if name and all(_is_capital(t) for t in name):
            return _named(titles, name)
        if not name and any(_bare(t) in lex.role_words for t in rest):
            return Phrase("description", " ".join(rest))  # 'the US President'
        if all(_is_capital(t) for t in rest):
            return Phrase("institution", " ".join(rest))
        if any(_bare(t) in lex.organisation_words for t in rest):
            if len(rest) <= 2 and all(t.islower() for t in rest):
                return Phrase("description", " ".join(rest))  # 'the ministry': known one
            return Phrase("institution", " ".join(rest))
        return _description(rest)
    if tokens[-1].casefold() in _GROUPS:
        return Phrase("anonymous", np[0].upper() + np[1:])  # 'Western diplomats', 'officials'
    if not _is_capital(tokens[0]) and _bare(tokens[0]) not in lex.titles:
        return None
    titles, name = split_title(tokens)
    if not name:
        return Phrase("description", np)
    if not all(_is_capital(t) for t in name):
        if any(_bare(t) in lex.organisation_words for t in tokens):
            return Phrase("institution", np)  # "Ukraine's foreign ministry"
        return None
    return _named(titles, name)


def _person_after_body(titles: list[str], name: list[str]) -> tuple[list[str], list[str]]:
    """'Minister ... of Ukraine Andrii Sybiha', '... of the Russian Foreign Ministry Maria
    Zakharova': a state or an organisation standing before a two-word name is part of the
    title, not of the name."""
    lex = lexicon()
    last_org = max((i for i, t in enumerate(name) if _bare(t) in lex.organisation_words),
                   default=-1)
    if 0 <= last_org <= len(name) - 3:
        titles, name = [*titles, *name[:last_org + 1]], name[last_org + 1:]
    for size in (3, 2, 1):
        if len(name) >= size + 2 and " ".join(name[:size]).casefold() in lex.states:
            return [*titles, *name[:size]], name[size:]
    return titles, name


def _description(tokens: list[str]) -> Phrase | None:
    """'the minister', 'his spokeswoman', 'the 43-year-old', 'the hardliner'.

    A short noun phrase naming someone already introduced; not 'the report'.
    """
    if not tokens or len(tokens) > 5 or _bare(tokens[-1]) in _INANIMATE:
        return None
    if any(_bare(t) in _INANIMATE for t in tokens[:2]) and not any(
            _bare(t) in lexicon().role_words for t in tokens):
        return None
    return Phrase("description", " ".join(tokens))


def _named(titles: list[str], name: list[str]) -> Phrase | None:
    lex = lexicon()
    titles, name = _person_after_body(titles, name)
    if len(name) == 1 and name[0].casefold() in NOT_NAMES:
        return None  # 'As', 'Meanwhile', 'Monday': capitalised, but no one's name
    titles = [t for t in titles if _bare(t) not in _HONORIFICS] if len(titles) == 1 else titles
    owner = max((i for i, t in enumerate(name) if _POSSESSIVE.search(t) and
                 t[-2:] in ("’s", "'s")), default=-1)
    if 0 <= owner < len(name) - 1:
        # "Al Jazeera’s Youssef Salem": the name follows the possessive.
        titles, name = [*titles, *name[:owner + 1]], name[owner + 1:]
    full = " ".join(name)
    if full.endswith(("’s", "'s")):
        state = lex.states.get(full[:-2].casefold())
        return Phrase("state", state) if state else None  # "South Korea’s"
    if len(name) == 1 and len(full) >= 2 and full.isupper() and full.isalpha():
        return Phrase("institution", full)  # an acronym: IDF, RSF, OCHA
    if all(_bare(t) in lex.role_words for t in name):
        return Phrase("description", " ".join([*titles, *name]))  # 'Senior Fellow'

    if lex.states.get(full.casefold()):
        return Phrase("state", lex.states[full.casefold()])
    if any(_bare(t) in lex.organisation_words for t in name):
        return Phrase("institution", " ".join([*titles, *name]) if titles else full)
    if len(name) > 4:
        return None
    return Phrase("person", full, " ".join(titles) or None)
